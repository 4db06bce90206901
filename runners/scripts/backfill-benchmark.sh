#!/usr/bin/env bash
# Backfill benchmark: generates a raw archive of --messages (default 5,000,000) from --devices
# (default 1,000) with the simulator's file transport, backfills it on Flink embedded (batch,
# --parallelism, default 2) and prints msg/s, elapsed and heap; then the same domain work over the
# same archive in one plain Java thread (DomainBaseline) and the ratio baseline/pipeline. Not a
# test.
#
#   runners/scripts/backfill-benchmark.sh [--messages=N] [--devices=D] [--parallelism=P]
#       [--dir=DIR] [--keep] [--baselineMessages=N (0: none)] [BackfillPipeline flags...]
#   JFR=/tmp/backfill.jfr runners/scripts/backfill-benchmark.sh   # also profile, print top frames
#   HEAP=4g ...                                                   # -Xmx (default: the JVM's)
#   SKIP_BUILD=1 ...                          # do not `mvn install` the modules pipelines needs first
#
# Pass --dir=DIR to keep the generated archive between runs (it is reused when its size matches).
set -euo pipefail
cd "$(dirname "$0")/../.."
. runners/scripts/lib/bench-classpath.sh
bench_classpath pipelines/target/benchmark.classpath
# Flink on Java 17 (its own scripts pass these)
OPENS="--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
 --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
 --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
 --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
JAVA_FLAGS=(${OPENS})
[[ -n "${HEAP:-}" ]] && JAVA_FLAGS+=("-Xmx${HEAP}")
[[ -n "${JFR:-}" ]] && JAVA_FLAGS+=("-XX:+FlightRecorder"
  "-XX:StartFlightRecording=filename=${JFR},settings=profile,dumponexit=true")
java "${JAVA_FLAGS[@]}" \
  -cp "$CP" \
  org.iotbeam.pipelines.batch.BackfillBenchmark "$@"

if [[ -n "${JFR:-}" ]]; then
  # where the time goes: samples by pipeline stage / activity, and the top self frames
  jfr print --stack-depth 64 --events jdk.ExecutionSample "${JFR}" > "${JFR}.txt"
  python3 runners/scripts/jfr-summary.py "${JFR}.txt"
fi
