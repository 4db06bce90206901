#!/usr/bin/env bash
# Throughput and latency of the streaming pipeline on Flink embedded (an in-process KRaft broker),
# with a JFR recording summarized at the end. Bounded: N messages, then RATE msg/s for SECONDS.
#   N=1000000 RATE=10000 SECONDS=30 runners/scripts/benchmark-streaming.sh
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
cd "$ROOT"
N=${N:-1000000}; RATE=${RATE:-10000}; SECONDS_=${SECONDS:-30}; DEVICES=${DEVICES:-1000}
OUT=${BENCH_OUT:-/tmp/iotbeam-bench}; mkdir -p "$OUT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q install -DskipTests -pl pipelines -am
  mvn -B -q -pl pipelines test-compile
fi
mvn -B -q -pl pipelines dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp.txt"
CP="pipelines/target/test-classes:pipelines/target/classes:$(cat "$OUT/cp.txt")"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
timeout 1800 "$JAVA" -Xmx6g -XX:+UseG1GC \
  -XX:StartFlightRecording=filename="$OUT/bench.jfr",settings=profile,dumponexit=true \
  -Dlog4j2.configurationFile=pipelines/src/test/resources/log4j2-test.xml \
  -Dn="$N" -Drate="$RATE" -Dseconds="$SECONDS_" -Ddevices="$DEVICES" \
  -cp "$CP" org.iotbeam.pipelines.bench.StreamingBenchmark 2>"$OUT/bench.log" | tee "$OUT/result.txt"
echo "--- hottest methods (top frames of jdk.ExecutionSample) ---"
jfr print --events jdk.ExecutionSample "$OUT/bench.jfr" \
  | awk '/stackTrace = \[/{getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print}' \
  | sort | uniq -c | sort -rn | head -25
echo "--- by package (top frame) ---"
jfr print --events jdk.ExecutionSample "$OUT/bench.jfr" \
  | awk '/stackTrace = \[/{getline; sub(/^[ \t]+/, ""); n=split($0, a, "."); print a[1]"."a[2]"."a[3]}' \
  | sort | uniq -c | sort -rn | head -15
