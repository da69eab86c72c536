#!/bin/bash
# The real sample, early start off (conductor.early-start=never, as before issue 26) and on, interleaved:
# JVM start to the "Started" line, polled every 100 ms; usage: benchmarks/sample-early-start.sh [runs] (after a
# warm-up pair). Each run's log (DEBUG on the starter) shows when each component set up and when the lifecycle began.
runs=${1:-3}
for i in $(seq 0 $runs); do
  for mode in never auto; do
    log=${TMPDIR:-/tmp}/sample-$mode-$i.log
    start=$(date +%s%N)
    java -jar ${SAMPLE_JAR:-samples/target/conductor-samples.jar} --server.port=0 --conductor.early-start=$mode --spring.jmx.enabled=false \
      --logging.level.dev.conductor.spring.autoconfigure=DEBUG > $log 2>&1 &
    pid=$!
    for t in $(seq 1 1200); do
      if grep -q "Started OrderServiceApplication" $log; then break; fi
      sleep 0.1
    done
    end=$(date +%s%N)
    kill $pid; wait $pid 2>/dev/null
    echo "$mode run=$i ready_ms=$(( (end-start)/1000000 )) $(grep -o 'Started OrderServiceApplication in [0-9.]* seconds' $log)"
  done
done
