#!/usr/bin/env bash
# Runs every benchmark once on the given JDK and writes the output to a directory, for BENCHMARKS.md.
# Usage: benchmarks/run-all.sh [java-home] [output-dir]  (build first: ./mvnw -B -DskipTests -pl benchmarks -am package)
# Takes 6-7 minutes on a quiet 2-core machine. Run nothing else meanwhile: the figures are wall clock. The load
# average is recorded before every step in machine.txt: the figures are only as good as the machine was quiet.
set -euo pipefail
cd "$(dirname "$0")/.."
java_home="${1:-${JAVA_HOME:-}}"
java="${java_home:+$java_home/bin/}java"
out="${2:-benchmarks/target/results}"
jar=benchmarks/target/benchmarks.jar
mkdir -p "$out"
{ "$java" -version 2>&1; echo "nproc: $(nproc)"; free -h | head -2; date -u; } > "$out/machine.txt"
load() { echo "$1: $(date -u +%H:%M:%S) $(uptime | sed 's/.*load average/load average/')" >> "$out/machine.txt"; }
load makespan
"$java" -cp "$jar" dev.conductor.benchmarks.MakespanHarness --seeds=3 --runs=3 --warmups=1 | tee "$out/makespan.md"
load overhead
"$java" -cp "$jar" dev.conductor.benchmarks.OverheadHarness --rounds=10 --warmups=10 | tee "$out/overhead.md"
load whole-app
"$java" -cp "$jar" dev.conductor.benchmarks.WholeAppHarness --runs=7 --warmups=1 | tee "$out/whole-app.md"
load startup
"$java" -cp "$jar" dev.conductor.benchmarks.StartupHarness --runs=40 --warmups=15 | tee "$out/startup.md"
load jmh
"$java" -jar "$jar" "OverheadBenchmark|GraphBuildBenchmark" -wi 3 -w 1s -i 5 -r 1s -f 1 -prof gc -rf text \
    -rff "$out/jmh.txt" > "$out/jmh.log"
grep -E "^Benchmark|components[0-9]+k +|build[0-9]+k +|gc.alloc.rate.norm" "$out/jmh.txt" || true
load end
