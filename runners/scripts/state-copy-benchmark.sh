#!/usr/bin/env bash
# What Flink's heap backend spends after each checkpoint, on the thread that processes readings,
# copying every device's timeline state through its coder (Beam's CoderTypeSerializer.copy):
# DEVICES devices (1000) with ENTRIES de-duplication entries each (7500: the 10-minute horizon,
# swept every half horizon, at 10 readings a second). Prints min / median / max of 20 rounds.
#   DEVICES=1000 ENTRIES=7500 runners/scripts/state-copy-benchmark.sh
# SKIP_BUILD=1 reuses the build.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
cd "$ROOT"
DEVICES=${DEVICES:-1000}; ENTRIES=${ENTRIES:-7500}
. "$HERE/lib/bench-classpath.sh"
bench_classpath pipelines/target/cp.txt
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# the benchmark lives beside the package-private state it copies, in the transforms test classes
exec "$JAVA" -Xmx4g -XX:+UseG1GC -cp "transforms/target/test-classes:$CP" \
  org.iotbeam.transforms.DeviceStateCopyBenchmark "$DEVICES" "$ENTRIES"
