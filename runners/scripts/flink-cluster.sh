#!/usr/bin/env bash
# A real standalone Flink 1.19 session cluster (one JobManager, one TaskManager) on 127.0.0.1,
# made of Maven Central jars (flink-dist is not served), and the IoT Beam job submitted to it.
#
#   runners/scripts/flink-cluster.sh start            # web UI on http://127.0.0.1:8081,
#                                                     # Beam metrics on http://127.0.0.1:9464/metrics
#   runners/scripts/flink-cluster.sh status
#   runners/scripts/flink-cluster.sh submit --bootstrapServers=127.0.0.1:9092 --outputBase=/tmp/out ...
#                                                     # returns once the job runs: its id, web UI URL
#   runners/scripts/flink-cluster.sh stop
#   runners/scripts/flink-cluster.sh kill-taskmanager | start-taskmanager      # fault injection
#   runners/scripts/flink-cluster.sh stop-with-savepoint JOB_ID | cancel JOB_ID
#
# Environment: FLINK_REST_PORT (8081), FLINK_RPC_PORT (6123), FLINK_METRICS_PORT (9464: the
# TaskManager's Beam metrics in Prometheus format, FlinkBeamMetricsReporter), IOTBEAM_FLINK_HOME (state, logs,
# checkpoints; /tmp/iotbeam-flink), FLINK_CONF_EXTRA (lines added to flink-conf.yaml), MVN_FLAGS (more
# Maven flags, e.g. -Dmaven.repo.local=...), FLINK_CHECKPOINTS_DIR (default
# IOTBEAM_FLINK_HOME/checkpoints; failover-rehearsal.sh gives two clusters one, as two regions share
# one geo-redundant account), JOB_JAR (the shaded jar; built with
# `mvn -B -q install -DskipTests -pl runners -am` when missing), JAVA_HOME.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
RUNNERS=$(dirname "$HERE")
ROOT=$(dirname "$RUNNERS")
STATE=${IOTBEAM_FLINK_HOME:-/tmp/iotbeam-flink}
REST_PORT=${FLINK_REST_PORT:-8081}
RPC_PORT=${FLINK_RPC_PORT:-6123}
METRICS_PORT=${FLINK_METRICS_PORT:-9464}
CHECKPOINTS=${FLINK_CHECKPOINTS_DIR:-$STATE/checkpoints}
METRICS_URL="http://127.0.0.1:$METRICS_PORT/metrics"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JOB_JAR=${JOB_JAR:-$RUNNERS/target/iotbeam-runners-0.1.0-SNAPSHOT-shaded.jar}
URL="http://127.0.0.1:$REST_PORT"

# Flink's own Java 17 flags (env.java.opts.all of its default config)
OPENS="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
--add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

log() { echo "[flink-cluster] $*" >&2; }

# every entry of a cached classpath still exists (a cleaned ~/.m2 means: resolve again)
classpath_complete() {
  local entry
  IFS=: read -ra entries < "$STATE/classpath.txt"
  for entry in "${entries[@]}"; do [ -e "$entry" ] || return 1; done
}

classpath() {
  mkdir -p "$STATE"
  if [ ! -s "$STATE/classpath.txt" ] || [ "$RUNNERS/flink-cluster/pom.xml" -nt "$STATE/classpath.txt" ] \
      || ! classpath_complete; then
    log "resolving the Flink 1.19 cluster classpath (runners/flink-cluster/pom.xml)"
    # shellcheck disable=SC2086
    if ! mvn -B -q ${MVN_FLAGS:-} -f "$RUNNERS/flink-cluster/pom.xml" dependency:build-classpath \
        -Dmdep.outputFile="$STATE/classpath.txt" >&2; then
      rm -f "$STATE/classpath.txt"
      log "cannot resolve the cluster classpath; the metrics reporter needs the project's jars" \
        "installed: (cd $ROOT && mvn -B -q install -DskipTests -pl runners -am)"
      return 1
    fi
  fi
  cat "$STATE/classpath.txt"
}

write_conf() {
  rm -rf "$STATE/conf" && mkdir -p "$STATE/conf" "$STATE/log" "$CHECKPOINTS" "$STATE/savepoints"
  cp "$RUNNERS"/src/main/flink/conf/* "$STATE/conf/"
  sed -i "s#^rest.port:.*#rest.port: $REST_PORT#; \
          s#^state.checkpoints.dir:.*#state.checkpoints.dir: file://$CHECKPOINTS#; \
          s#^state.savepoints.dir:.*#state.savepoints.dir: file://$STATE/savepoints#" "$STATE/conf/flink-conf.yaml"
  {
    # FLINK_CONF_EXTRA: more lines (e.g. the fault suite's shorter heartbeat timeout)
    [ -n "${FLINK_CONF_EXTRA:-}" ] && printf '%b\n' "$FLINK_CONF_EXTRA"
    echo "jobmanager.rpc.port: $RPC_PORT"
    echo "io.tmp.dirs: $STATE/tmp"
    echo "web.tmpdir: $STATE/web"
    echo "blob.storage.directory: $STATE/blob"
  } >> "$STATE/conf/flink-conf.yaml"
  mkdir -p "$STATE/tmp" "$STATE/web" "$STATE/blob"
  # the TaskManager serves the Beam metrics (the reporter's port from FLINK_METRICS_PORT); the
  # JobManager runs no Beam code: its copy goes without the reporter (and does not take the port)
  sed -i "s#^metrics.reporter.iotbeam.port:.*#metrics.reporter.iotbeam.port: $METRICS_PORT#" \
    "$STATE/conf/flink-conf.yaml"
  grep -q '^metrics.reporter.iotbeam.factory.class:' "$STATE/conf/flink-conf.yaml" \
    || { log "no metrics.reporter.iotbeam.* in flink-conf.yaml"; return 1; }
  rm -rf "$STATE/conf-jm" && cp -r "$STATE/conf" "$STATE/conf-jm"
  sed -i '/^metrics.reporter.iotbeam\./d' "$STATE/conf-jm/flink-conf.yaml"
}

# BashJavaUtils computes the JVM memory flags (line 1) and dynamic configs (line 2), as
# Flink's jobmanager.sh / taskmanager.sh do
resource_params() {
  "$JAVA" -cp "$CP" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$2" \
    2>>"$STATE/log/bash-java-utils.err" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}

alive() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }

start() {
  if alive jm || alive tm; then log "already running ($URL)"; exit 0; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$REST_PORT") 2>/dev/null; then
    log "port $REST_PORT is taken; set FLINK_REST_PORT"; exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$METRICS_PORT") 2>/dev/null; then
    log "port $METRICS_PORT is taken; set FLINK_METRICS_PORT"; exit 1
  fi
  CP=$(classpath) || exit 1
  write_conf || exit 1
  local jm tm
  jm=$(resource_params GET_JM_RESOURCE_PARAMS "$STATE/conf-jm")
  tm=$(resource_params GET_TM_RESOURCE_PARAMS "$STATE/conf")
  [ -n "$jm" ] && [ -n "$tm" ] || { log "BashJavaUtils failed: $(tail -5 "$STATE/log/bash-java-utils.err")"; exit 1; }
  # shellcheck disable=SC2086
  nohup "$JAVA" $(echo "$jm" | sed -n 1p) $OPENS -Dlog.file="$STATE/log/jobmanager.log" \
    -Dlog4j.configurationFile="file:$STATE/conf/log4j.properties" -cp "$CP" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
    --configDir "$STATE/conf-jm" $(echo "$jm" | sed -n 2p) > "$STATE/log/jobmanager.out" 2>&1 &
  echo $! > "$STATE/jm.pid"
  echo "$tm" > "$STATE/tm-params"
  start_taskmanager
  log "JobManager pid $(cat "$STATE/jm.pid"), TaskManager pid $(cat "$STATE/tm.pid"); logs in $STATE/log"
  for _ in $(seq 1 120); do
    if curl -sf "$URL/overview" 2>/dev/null | grep -q '"taskmanagers":[1-9]'; then
      log "cluster up: $(curl -sf "$URL/overview")"
      # the reporter opens its endpoint when the TaskManager starts (empty until a job runs)
      if ! curl -sf -o /dev/null "$METRICS_URL"; then
        log "WARNING: no Beam metrics endpoint at $METRICS_URL: $(grep -ihE 'reporter|iotbeam' \
          "$STATE/log/taskmanager.log" 2>/dev/null | grep -iE 'warn|error|exception' | tail -3)"
      fi
      echo "Flink web UI: $URL"
      echo "Beam metrics (Prometheus): $METRICS_URL"
      return 0
    fi
    if ! alive jm || ! alive tm; then log "a Flink process died; see $STATE/log"; stop; exit 1; fi
    sleep 1
  done
  log "cluster did not come up within 120 s; see $STATE/log"; stop; exit 1
}

# the TaskManager alone (start, or again after kill-taskmanager), with the parameters start computed
start_taskmanager() {
  if alive tm; then log "TaskManager already running"; return 0; fi
  CP=${CP:-$(classpath)} || exit 1
  local tm; tm=$(cat "$STATE/tm-params")
  # shellcheck disable=SC2086
  nohup "$JAVA" $(echo "$tm" | sed -n 1p) $OPENS -Dlog.file="$STATE/log/taskmanager.log" \
    -Dlog4j.configurationFile="file:$STATE/conf/log4j.properties" -cp "$CP" \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
    --configDir "$STATE/conf" $(echo "$tm" | sed -n 2p) >> "$STATE/log/taskmanager.out" 2>&1 &
  echo $! > "$STATE/tm.pid"
}

# kill -9 of the TaskManager: what a crashed machine or an OOM kill does to the job
kill_taskmanager() {
  alive tm || { log "no TaskManager running"; return 1; }
  local pid; pid=$(cat "$STATE/tm.pid")
  kill -9 "$pid"; rm -f "$STATE/tm.pid"
  log "killed the TaskManager ($pid) with SIGKILL"
}

# stop-with-savepoint: prints the savepoint's path once Flink wrote it
stop_with_savepoint() {
  local job=$1 trigger status location
  trigger=$(curl -sf -X POST -H 'Content-Type: application/json' \
    -d "{\"targetDirectory\": \"file://$STATE/savepoints\", \"drain\": false}" \
    "$URL/jobs/$job/stop" | sed -n 's/.*"request-id":"\([^"]*\)".*/\1/p')
  [ -n "$trigger" ] || { log "stop-with-savepoint of $job was refused"; return 1; }
  for _ in $(seq 1 300); do
    status=$(curl -sf "$URL/jobs/$job/savepoints/$trigger" || true)
    location=$(echo "$status" | sed -n 's/.*"location":"\([^"]*\)".*/\1/p')
    if [ -n "$location" ]; then echo "$location"; return 0; fi
    if echo "$status" | grep -q '"failure-cause"'; then log "savepoint failed: $status"; return 1; fi
    sleep 1
  done
  log "no savepoint after 300 s"; return 1
}

cancel_job() {
  curl -sf -X PATCH "$URL/jobs/$1?mode=cancel" > /dev/null && log "cancelled job $1"
}

stop() {
  for p in tm jm; do
    if alive "$p"; then
      local pid; pid=$(cat "$STATE/$p.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -9 "$pid" 2>/dev/null || true
      log "stopped $p ($pid)"
    fi
    rm -f "$STATE/$p.pid"
  done
}

status() {
  if alive jm; then
    echo "Flink web UI: $URL"
    echo "Beam metrics (Prometheus): $METRICS_URL"
    curl -sf "$URL/overview" && echo || echo "JobManager process is up, REST not answering yet"
    curl -sf "$URL/jobs/overview" && echo || true
  else
    echo "not running"; return 1
  fi
}

submit() {
  if [ ! -f "$JOB_JAR" ]; then
    log "building $JOB_JAR"
    # shellcheck disable=SC2086
    (cd "$ROOT" && mvn -B -q ${MVN_FLAGS:-} install -DskipTests -pl runners -am) >&2
  fi
  # --attachedMode=false: the launcher returns once the job is RUNNING, printing
  # "job <id> RUNNING; web UI <url>" (org.iotbeam.pipelines.flink.DetachedJob); the job runs on
  # the cluster. A job that fails to start makes it exit non-zero.
  "$JAVA" -cp "$JOB_JAR" org.iotbeam.runners.Main streaming --runner=FlinkRunner \
    --flinkMaster="127.0.0.1:$REST_PORT" --filesToStage="$JOB_JAR" --attachedMode=false "$@"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  submit) shift; submit "$@" ;;
  kill-taskmanager) kill_taskmanager ;;
  start-taskmanager) start_taskmanager ;;
  stop-with-savepoint) stop_with_savepoint "$2" ;;
  cancel) cancel_job "$2" ;;
  *) echo "usage: $0 start|stop|status|submit [pipeline flags...]|kill-taskmanager|start-taskmanager|stop-with-savepoint JOB_ID|cancel JOB_ID" >&2; exit 2 ;;
esac
