#!/usr/bin/env bash
# The local demo, on embedded defaults, in one JVM: a Kafka broker (KRaft), an MQTT broker
# (Moquette), the MQTT -> Kafka bridge, the streaming pipeline on Flink embedded and the device
# simulator publishing over MQTT for a minute; then it waits for the pipeline to drain and prints
# what happened and where the outputs are (./demo-output/<timestamp>/).
#
#   ./demo.sh                        # 60 s, 1000 msg/s, 200 devices
#   ./demo.sh --duration 30s --rate 500 --output /tmp/demo
#   ./demo.sh --help                 # every flag
#
# Builds the runnable jar first when it is missing or older than the sources (mvn -B -q
# -DskipTests install; the first build downloads the dependencies from Maven Central);
# IOTBEAM_REBUILD=1 rebuilds it anyway.
# Progress and logs go to stderr (LOG_FORMAT=json for JSON log lines), the summary to stdout.
# Exit code: 0 all checks held, 1 a check failed, 2 bad flags, 3 the demo failed.
set -euo pipefail
cd "$(dirname "$0")"

find_jar() {
  ls runners/target/iotbeam-runners-*-shaded.jar 2>/dev/null | head -n 1 || true
}

# stale: a source or POM of a module the jar holds changed after it was built
stale() {
  [[ -n "$(find pom.xml proto transforms pipelines simulator runners \
      \( -name target -o -name node_modules \) -prune -o \
      \( -name '*.java' -o -name '*.proto' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
      -newer "$1" -print -quit 2>/dev/null)" ]]
}

jar="$(find_jar)"
if [[ -z "$jar" || "${IOTBEAM_REBUILD:-0}" == "1" ]] || stale "$jar"; then
  command -v mvn >/dev/null || { echo "demo.sh: Maven (mvn) is needed to build the jar" >&2; exit 3; }
  echo "[demo] building the runnable jar: mvn -B -q -DskipTests install -pl runners -am ..." >&2
  mvn -B -q -DskipTests install -pl runners -am
  jar="$(find_jar)"
  [[ -n "$jar" ]] || { echo "demo.sh: the build made no runners/target/*-shaded.jar" >&2; exit 3; }
fi

export LOG_FORMAT="${LOG_FORMAT:-text}"
# Flink on Java 17 reflects into java.base (Kryo): the add-opens list Flink's own scripts pass.
exec java ${JAVA_OPTS:-} \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED \
  --add-opens=java.base/java.time=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED \
  -jar "$jar" demo "$@"
