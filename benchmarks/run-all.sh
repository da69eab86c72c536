#!/usr/bin/env bash
# Runs every benchmark once on the given JDK and writes the output to a directory, for BENCHMARKS.md.
# Usage: benchmarks/run-all.sh [java-home] [output-dir]     (build first: mvn -B -DskipTests -pl benchmarks -am install)
# Takes about 10 minutes on 2 cores. Run nothing else meanwhile: the makespan and overhead figures are wall clock.
set -euo pipefail
cd "$(dirname "$0")/.."
java_home="${1:-${JAVA_HOME:-}}"
java="${java_home:+$java_home/bin/}java"
out="${2:-benchmarks/target/results}"
jar=benchmarks/target/benchmarks.jar
mkdir -p "$out"
{ "$java" -version 2>&1; echo "nproc: $(nproc)"; free -h | head -2; date -u; uptime; } > "$out/machine.txt"
"$java" -cp "$jar" dev.conductor.benchmarks.MakespanHarness --seeds=3 --runs=3 --warmups=1 | tee "$out/makespan.md"
"$java" -cp "$jar" dev.conductor.benchmarks.OverheadHarness --rounds=10 --warmups=10 | tee "$out/overhead.md"
"$java" -cp "$jar" dev.conductor.benchmarks.StartupHarness --runs=40 --warmups=15 | tee "$out/startup.md"
"$java" -jar "$jar" OverheadBenchmark -wi 3 -w 1s -i 5 -r 1s -f 1 -prof gc -rf text -rff "$out/jmh.txt" > "$out/jmh.log"
grep -E "^Benchmark|components[0-9]+k +|gc.alloc.rate.norm" "$out/jmh.txt" || true
uptime >> "$out/machine.txt"   # load after: the figures are only as good as the machine was quiet
