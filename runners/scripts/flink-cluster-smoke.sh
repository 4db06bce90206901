#!/usr/bin/env bash
# CI-friendly smoke test of the standalone cluster: builds the shaded job jar, starts a real Flink
# 1.19 cluster on 127.0.0.1, runs the end-to-end scenario against it (a KRaft broker in the test
# JVM, the job submitted with --flinkMaster/--filesToStage), checks the same results as on Flink
# embedded, scrapes the TaskManager's Beam metrics (received = produced = valid + dead letters),
# and always stops the cluster.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
export FLINK_REST_PORT=${FLINK_REST_PORT:-8081}
export FLINK_METRICS_PORT=${FLINK_METRICS_PORT:-9464}
export IOTBEAM_FLINK_HOME=${IOTBEAM_FLINK_HOME:-/tmp/iotbeam-flink-smoke}
JOB_JAR=${JOB_JAR:-$ROOT/runners/target/iotbeam-runners-0.1.0-SNAPSHOT-shaded.jar}
cd "$ROOT"
if [ ! -f "$JOB_JAR" ] || [ "${REBUILD:-1}" = 1 ]; then
  mvn -B -q install -DskipTests -pl runners -am
fi
trap '"$HERE/flink-cluster.sh" stop' EXIT
"$HERE/flink-cluster.sh" start
timeout 900 mvn -B -pl pipelines test -Dtest=StreamingPipelineFlinkClusterTest \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Diotbeam.flinkMaster="127.0.0.1:$FLINK_REST_PORT" -Diotbeam.jobJar="$JOB_JAR" \
  -Diotbeam.metricsUrl="http://127.0.0.1:$FLINK_METRICS_PORT/metrics"
