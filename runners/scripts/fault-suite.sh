#!/usr/bin/env bash
# The fault-injection suite: the same deterministic input through the streaming job on a real
# standalone Flink 1.19 cluster twice, once with faults injected and once without, then the two
# runs' outputs compared (org.iotbeam.runners.faults.CompareRuns) and a report printed.
#
#   runners/scripts/fault-suite.sh short   # CI: ~30,000 messages, one kill -9 of the TaskManager,
#                                          # the broker stopped 30 s, stop-with-savepoint + restart
#   runners/scripts/fault-suite.sh full    # ~300,000 messages, two kills -9 of the TaskManager,
#                                          # the broker stopped 30 s, stop-with-savepoint and a
#                                          # restart from it with a rebuilt jar
#
# Faults: the TaskManager killed with SIGKILL and started again; the Kafka broker (a separate
# process, its log kept) stopped for 30 s and started again; the job stopped with a savepoint and
# submitted again from it. The input: the device simulator with a fixed seed and start time,
# produced while the faulty run runs; the reference run reads the same topic afterwards with a
# consumer group of its own, so both see the same records at the same offsets.
#
# The end of a run: the watermark follows the data (a partition's clock is the newest event time
# it saw minus --maxOutOfOrderSeconds), so after a fixed input the last windows close only when
# newer data arrives, or once every partition has been idle for --idlePartitionSeconds (60 s, left
# as shipped). Once the input is in, the suite sends what production's newer data would be: a
# reading of a clock device on every partition just after the input's last window, then one of
# "now" (org.iotbeam.runners.faults.ClockTicks). The input's event times start 3 minutes before
# the run (devices whose data reaches the broker late, which the watermark follows), so "now"
# lies beyond every window of the input at once. A run is complete when its consumer group has
# committed every offset (checkpoints commit them), the clock's first window has an aggregate
# in the finished files (every window of the input closed no later than it), no file written since
# the job's last restore waits to be finalized, the raw archive holds every record of the topic,
# and the finished files then stay the same over
# four more completed checkpoints: read from the outputs, no fixed sleep.
#
# Equal must be, in the files and in the Kafka output topics: the final aggregate per id, the
# alert events (id, state, content), the dead letters by id (reason, detail, payload); in the
# files the raw archive by source position; each run's topics hold what its files hold.
# Differences as well: an empty aggregate (count 0), a position archived twice, a replay that is
# not identical, a Kafka record not keyed by its id. Reported apart: dead letters of sinks,
# identical replayed copies (the Kafka sinks are at-least-once: Event Hubs has no transactions),
# the clock device's records.
#
# Environment: IOTBEAM_FAULTS_HOME (/tmp/iotbeam-faults), FAULTS_KAFKA_PORT (19092),
# FLINK_REST_PORT (18081), FLINK_RPC_PORT (16123), FLINK_METRICS_PORT (19464), JOB_JAR, REBUILD
# (1: build the jars first), MVN_FLAGS (more Maven flags), JAVA_HOME. Exit status 0 when the runs are equal.
set -euo pipefail
MODE=${1:-short}
case "$MODE" in short|full) ;; *) echo "usage: $0 short|full" >&2; exit 2 ;; esac

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
WORK=${IOTBEAM_FAULTS_HOME:-/tmp/iotbeam-faults}
export IOTBEAM_FLINK_HOME=$WORK/flink
export FLINK_REST_PORT=${FLINK_REST_PORT:-18081}
export FLINK_RPC_PORT=${FLINK_RPC_PORT:-16123}
export FLINK_METRICS_PORT=${FLINK_METRICS_PORT:-19464}
# a killed TaskManager noticed in seconds, not the default 50 s; checkpoints every 5 s
export FLINK_CONF_EXTRA="heartbeat.interval: 2000\nheartbeat.timeout: 10000\nexecution.checkpointing.interval: 5s\nexecution.checkpointing.min-pause: 1s"
KAFKA_PORT=${FAULTS_KAFKA_PORT:-19092}
CONTROLLER_PORT=$((KAFKA_PORT + 1))
BOOTSTRAP=127.0.0.1:$KAFKA_PORT
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
export JOB_JAR=${JOB_JAR:-$ROOT/runners/target/iotbeam-runners-0.1.0-SNAPSHOT-shaded.jar}
CLUSTER="$HERE/flink-cluster.sh"
REPORT=$WORK/report.txt

# faults: seconds after the faulty run's job runs and its input starts
if [ "$MODE" = short ]; then
  DEVICES=50; RATE=200; SECONDS_OF_INPUT=150
  FAULTS=("30 kill-taskmanager" "60 stop-broker" "105 savepoint-restart")
else
  DEVICES=200; RATE=1000; SECONDS_OF_INPUT=300
  FAULTS=("40 kill-taskmanager" "90 stop-broker" "150 kill-taskmanager" "200 savepoint-restart-rebuilt")
fi
MESSAGES=$((RATE * SECONDS_OF_INPUT))
WINDOW_MINUTES=1
WINDOW_MS=$((WINDOW_MINUTES * 60000))
OUT_OF_ORDER=20
INPUT_LAG_SECONDS=180 # event times trail the broker's by this much (see above)
CLOCK_DEVICE=fault-suite-clock
SUITE_T0=$(date +%s)

log() { printf '[fault-suite %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

cleanup() {
  "$CLUSTER" stop >/dev/null 2>&1 || true
  stop_broker || true
  [ -n "${PRODUCER_PID:-}" ] && kill "$PRODUCER_PID" 2>/dev/null || true
}
trap cleanup EXIT

# --- the Kafka broker: a process of its own, so it can be stopped and started again ----------
broker_alive() { [ -f "$WORK/kafka.pid" ] && kill -0 "$(cat "$WORK/kafka.pid")" 2>/dev/null; }

start_broker() {
  if [ ! -f "$WORK/kafka/server.properties" ]; then
    mkdir -p "$WORK/kafka/data"
    cat > "$WORK/kafka/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$WORK/kafka/data
num.partitions=2
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
EOF
    "$JAVA" -cp "$JOB_JAR" kafka.tools.StorageTool format -t "$("$JAVA" -cp "$JOB_JAR" \
      kafka.tools.StorageTool random-uuid)" -c "$WORK/kafka/server.properties" \
      --ignore-formatted > "$WORK/kafka/format.log" 2>&1
  fi
  nohup "$JAVA" -Xmx512m -cp "$JOB_JAR" kafka.Kafka "$WORK/kafka/server.properties" \
    >> "$WORK/kafka/broker.log" 2>&1 &
  echo $! > "$WORK/kafka.pid"
  for _ in $(seq 1 60); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null; then
      log "Kafka broker up on $BOOTSTRAP (pid $(cat "$WORK/kafka.pid"))"; return 0
    fi
    sleep 1
  done
  log "Kafka broker did not start; see $WORK/kafka/broker.log"; return 1
}

stop_broker() {
  broker_alive || return 0
  local pid; pid=$(cat "$WORK/kafka.pid")
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$WORK/kafka.pid"
}

# --- the job --------------------------------------------------------------------------------
# submit NAME [extra flags]: prints the job id. Checkpoints every 5 s: the job sets 30 s unless
# told (it overrides the cluster's interval), and offsets are committed, files finalized on them.
submit() {
  local name=$1; shift
  "$CLUSTER" submit --bootstrapServers="$BOOTSTRAP" --inputTopic=telemetry \
    --aggregatesTopic="$name-aggregates" --alertsTopic="$name-alerts" \
    --deadLetterTopic="$name-dead-letters" --consumerGroup="iotbeam-$name" \
    --outputBase="$WORK/out-$name" --windowMinutes=$WINDOW_MINUTES \
    --maxOutOfOrderSeconds=$OUT_OF_ORDER --fileFlushSeconds=5 --checkpointingInterval=5000 \
    --jobName="iotbeam-$name" "$@" \
    2>>"$WORK/submit.log" | tee -a "$WORK/submit.log" \
    | sed -n 's/^job \([0-9a-f]\{32\}\) RUNNING.*/\1/p' | tail -1
}

lag() {
  "$JAVA" -cp "$JOB_JAR" org.iotbeam.runners.faults.ConsumerLag "$BOOTSTRAP" "iotbeam-$1" \
    telemetry 2>/dev/null | tail -1 || echo -1
}

# records of the input topic not yet in the run's finished raw-archive files
archive_lag() {
  "$JAVA" -cp "$JOB_JAR" org.iotbeam.runners.faults.ArchiveLag "$BOOTSTRAP" telemetry \
    "$WORK/out-$1" 2>/dev/null | tail -1 || echo -1
}

finished_files() { { find "$WORK/out-$1" -name '*.gz' -not -path '*.temp*' 2>/dev/null || true; } | sort; }

# pending_files NAME JOB: files a sink has written since the job's last (re)start that no
# checkpoint has finalized yet (Beam's .temp* directories). Those written before a restore are
# orphans of the killed attempt: the restored one writes their records again, and Beam leaves
# them behind.
pending_files() {
  local since
  since=$(curl -sf "http://127.0.0.1:$FLINK_REST_PORT/jobs/$2/checkpoints" \
    | sed -n 's/.*"restore_timestamp":\([0-9]*\).*/\1/p' || true)
  [ -n "$since" ] || since=$(curl -sf "http://127.0.0.1:$FLINK_REST_PORT/jobs/$2" \
    | sed -n 's/.*"start-time":\([0-9]*\).*/\1/p' || true)
  { find "$WORK/out-$1" -path '*.temp*' -type f -newermt "@$(( ${since:-0} / 1000 ))" \
    2>/dev/null || true; } | wc -l
}

# aggregates of the clock device in the run's finished files
clock_aggregates() {
  finished_files "$1" | grep '/aggregates/' | xargs -r zcat \
    | grep -c "\"deviceId\":\"$CLOCK_DEVICE\"" || true
}

completed_checkpoints() {
  curl -sf "http://127.0.0.1:$FLINK_REST_PORT/jobs/$1/checkpoints" \
    | sed -n 's/.*"counts":{[^}]*"completed":\([0-9]*\).*/\1/p' || true
}

# Complete: every offset committed, every window closed (the clock's first window has its
# aggregate), no file waiting to be finalized, every record of the input topic in the finished
# raw-archive files (a raw-archive pane was once missing from a reference run judged complete
# without it), and the finished files unchanged over four completed
# checkpoints since the last look. (Unchanged files alone were not enough: a run was once judged
# complete with a pane of alerts written to .temp-beam and not yet finalized.) Four, not two: a
# faulty run was once judged complete 17 s after the clock ticks with the raw archive's
# pane of those ticks not yet written (a file pane passes two triggered groupings, each with its
# 5 s early firing, before it is finalized at a checkpoint).
await_done() {
  local name=$1 job=$2 deadline=$(( $(date +%s) + 600 )) files="" checkpoints=0 f c l k p a seen=""
  while :; do
    f=$(finished_files "$name" | xargs -r cat | cksum)
    c=$(completed_checkpoints "$job"); c=${c:-0}
    l=$(lag "$name"); k=$(clock_aggregates "$name"); p=$(pending_files "$name" "$job")
    a=$(archive_lag "$name")
    [ "$l $k $p $a" != "$seen" ] && log "run $name: lag $l, clock aggregates $k, files pending $p, not archived $a, checkpoints $c"
    seen="$l $k $p $a"
    if [ "$l" = 0 ] && [ "$k" -gt 0 ] && [ "$p" = 0 ] && [ "$a" = 0 ] && [ "$f" = "$files" ] \
        && [ "$c" -ge $((checkpoints + 4)) ]; then
      log "run $name complete: offsets committed, windows closed, every record archived, files unchanged over $((c - checkpoints)) checkpoints"
      return 0
    fi
    if [ "$(date +%s)" -gt "$deadline" ]; then
      log "run $name not complete after 10 min: lag $l, clock aggregates $k, files pending $p, not archived $a, checkpoints $c"
      return 1
    fi
    if [ "$f" != "$files" ]; then files=$f; checkpoints=$c; fi
    sleep 5
  done
}

# After the input: a clock reading on every partition just past the input's last window, then
# one of "now" once "now" minus the allowed disorder lies beyond that window.
send_clock_ticks() {
  local after_input=$1 sent
  local closes_at=$(( (after_input / WINDOW_MS + 1) * WINDOW_MS + OUT_OF_ORDER * 1000 + 1000 ))
  sent=$("$JAVA" -cp "$JOB_JAR" org.iotbeam.runners.faults.ClockTicks "$BOOTSTRAP" telemetry \
    "$CLOCK_DEVICE" "$after_input" "$closes_at")
  log "clock ticks sent on every partition at event times (ms): $sent"
}

# --- the suite ------------------------------------------------------------------------------
# the cluster's resolved classpath is kept, with its time (flink-cluster.sh resolves it again
# when its pom is newer or an entry is gone)
mv "$IOTBEAM_FLINK_HOME/classpath.txt" "$WORK.classpath" 2>/dev/null || true
rm -rf "$WORK"; mkdir -p "$IOTBEAM_FLINK_HOME"
mv "$WORK.classpath" "$IOTBEAM_FLINK_HOME/classpath.txt" 2>/dev/null || true
if [ ! -f "$JOB_JAR" ] || [ "${REBUILD:-1}" = 1 ]; then
  log "building the jars"
  # shellcheck disable=SC2086
  (cd "$ROOT" && mvn -B -q ${MVN_FLAGS:-} install -DskipTests) >&2
fi
start_broker & BROKER_STARTING=$! # side by side with the cluster
"$CLUSTER" start >&2
wait "$BROKER_STARTING"

"$JAVA" -cp "$JOB_JAR" org.iotbeam.runners.faults.CreateTopic "$BOOTSTRAP" telemetry 2
JOB=$(submit faults)
[ -n "$JOB" ] || { log "the faulty run did not start; see $WORK/submit.log"; exit 1; }
log "run 'faults': job $JOB"

T0=$(date +%s) # the input and the fault times start once the job runs
START=$(date -u -d "@$((T0 - INPUT_LAG_SECONDS))" +%Y-%m-%dT%H:%M:%SZ)
# every reading of the input lies before this (a device's phase and jitter stay within a window)
AFTER_INPUT_MS=$(( (T0 - INPUT_LAG_SECONDS + SECONDS_OF_INPUT) * 1000 + WINDOW_MS ))
log "producing $MESSAGES messages ($DEVICES devices, $RATE msg/s, event times from $START)"
"$JAVA" -cp "$JOB_JAR" org.iotbeam.simulator.DeviceSimulator --transport kafka \
  --bootstrapServers "$BOOTSTRAP" --topic telemetry --devices "$DEVICES" --rate "$RATE" \
  --count "$MESSAGES" --duration $((SECONDS_OF_INPUT * 3))s --seed 14 --startTime "$START" \
  > "$WORK/producer.log" 2>&1 &
PRODUCER_PID=$!
INJECTED=()
for f in "${FAULTS[@]}"; do
  at=${f%% *}; what=${f#* }
  while [ $(( $(date +%s) - T0 )) -lt "$at" ]; do sleep 1; done
  case "$what" in
    kill-taskmanager)
      "$CLUSTER" kill-taskmanager; sleep 5; "$CLUSTER" start-taskmanager ;;
    stop-broker)
      log "stopping the Kafka broker for 30 s"; stop_broker; sleep 30; start_broker ;;
    savepoint-restart|savepoint-restart-rebuilt)
      SAVEPOINT=$("$CLUSTER" stop-with-savepoint "$JOB")
      log "stopped job $JOB with savepoint $SAVEPOINT"
      if [ "$what" = savepoint-restart-rebuilt ]; then
        log "rebuilding the job jar"
        # shellcheck disable=SC2086
        (cd "$ROOT" && mvn -B -q ${MVN_FLAGS:-} package -DskipTests -pl runners) >&2
      fi
      JOB=$(submit faults --savepointPath="$SAVEPOINT")
      [ -n "$JOB" ] || { log "the restart from the savepoint failed; see $WORK/submit.log"; exit 1; }
      log "restarted from the savepoint: job $JOB" ;;
  esac
  INJECTED+=("$(( $(date +%s) - T0 )) s: $what")
  log "fault injected: $what"
done
wait "$PRODUCER_PID" || log "the producer ended with an error; see $WORK/producer.log"
PRODUCER_PID=
send_clock_ticks "$AFTER_INPUT_MS"
await_done faults "$JOB"
"$CLUSTER" cancel "$JOB"
FAULTY_DONE=$(date +%s)

JOB=$(submit reference)
[ -n "$JOB" ] || { log "the reference run did not start; see $WORK/submit.log"; exit 1; }
log "run 'reference' (no faults): job $JOB"
await_done reference "$JOB"
"$CLUSTER" cancel "$JOB"
REFERENCE_DONE=$(date +%s)

{
  echo "Fault suite ($MODE), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "input: $MESSAGES messages from $DEVICES simulated devices (seed 14, event times from $START)"
  grep -E "^(messages|valid|malformed|delivered|failed): " "$WORK/producer.log" | tr "\n" " " || true
  echo
  echo "faults injected (${#INJECTED[@]}; seconds after the faulty run's start):"
  printf '  %s\n' "${INJECTED[@]}"
  echo "durations: suite $(( $(date +%s) - SUITE_T0 )) s; faulty run $((FAULTY_DONE - T0)) s" \
    "(input $SECONDS_OF_INPUT s), reference run $((REFERENCE_DONE - FAULTY_DONE)) s"
  echo
  set +e
  "$JAVA" -cp "$JOB_JAR" org.iotbeam.runners.faults.CompareRuns "$WORK/out-reference" \
    "$WORK/out-faults" --bootstrap="$BOOTSTRAP" --referenceTopics=reference \
    --faultyTopics=faults --clockDevice="$CLOCK_DEVICE"
  echo "exit $?"
} | tee "$REPORT"
log "report: $REPORT"
grep -q "^RESULT: equal" "$REPORT"
