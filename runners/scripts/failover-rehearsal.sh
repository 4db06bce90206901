#!/usr/bin/env bash
# The failover of docs/failover.md, rehearsed on one machine: the streaming job (dev's deployed
# arguments, local endpoints) on standalone Flink cluster A while a simulator sends live
# telemetry to a Kafka broker; A is killed (SIGKILL, as a region is lost); its checkpoint storage
# is copied as its geo-replica would be and the original removed; cluster B, with its own state
# directory, restores the last retained checkpoint from the copy and continues from the offsets
# it holds while telemetry keeps coming. Cluster C runs the same job on the same input without
# interruption. Prints what it compared (final aggregate per id, alert ids+states, dead letters
# by id, archived messages; from the topics and the files) and the differences: expected zero.
# Exit code 0 when there are none.
#
#   runners/scripts/failover-rehearsal.sh          # 10-20 minutes on a 2-core machine
#   runners/scripts/failover-rehearsal.sh --help
#
# Environment: REHEARSAL_HOME (work directory, emptied first; /tmp/iotbeam-failover-rehearsal),
# PRODUCE_SECONDS (150), KILL_AFTER_SECONDS (50: live traffic before A is killed), REBUILD (1:
# mvn install the job jar and the reporter's jars first; 0: use JOB_JAR as it is), JOB_JAR.
# Clusters A, B, C use ports 18581-18583 (REST), 16523-16525 (RPC), 19581-19583 (metrics).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
case "${1:-}" in
  -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "usage: $0 [--help]  (settings come from the environment, see --help)" >&2; exit 2 ;;
esac
WORK=${REHEARSAL_HOME:-/tmp/iotbeam-failover-rehearsal}
JOB_JAR=${JOB_JAR:-$ROOT/runners/target/iotbeam-runners-0.1.0-SNAPSHOT-shaded.jar}
cd "$ROOT"
start=$(date +%s)
if [ ! -f "$JOB_JAR" ] || [ "${REBUILD:-1}" = 1 ]; then
  mvn -B -q install -DskipTests -pl runners -am
fi
rm -rf "$WORK" && mkdir -p "$WORK"
echo "[failover-rehearsal] work directory $WORK; log $WORK/maven.log" >&2
rc=0
timeout 2400 mvn -B -pl pipelines test -Dtest=FailoverRehearsalTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Diotbeam.rehearsal.home="$WORK" \
  -Diotbeam.jobJar="$JOB_JAR" -Diotbeam.rehearsal.produceSeconds="${PRODUCE_SECONDS:-150}" \
  -Diotbeam.rehearsal.killAfterSeconds="${KILL_AFTER_SECONDS:-50}" > "$WORK/maven.log" 2>&1 || rc=$?
if [ -f "$WORK/report.txt" ]; then
  cat "$WORK/report.txt"
else
  tail -40 "$WORK/maven.log"
fi
echo "[failover-rehearsal] $( [ $rc = 0 ] && echo "no difference" || echo "FAILED (exit $rc)" ) after $(( $(date +%s) - start )) s" >&2
exit $rc
