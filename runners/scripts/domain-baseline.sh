#!/usr/bin/env bash
# The domain work alone, without Beam: parse, validate, enrich, content hash, de-duplicate,
# 5-minute statistics and alert evaluation over simulator v3 messages in one plain Java thread
# (org.iotbeam.pipelines.bench.DomainBaseline), msg/s after each stage and the state it keeps.
#   N=1000000 DEVICES=1000,100000 runners/scripts/domain-baseline.sh
# N messages (1,000,000) per device count in DEVICES (1000,100000); SKIP_BUILD=1 reuses the build.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
cd "$ROOT"
N=${N:-1000000}; DEVICES=${DEVICES:-1000,100000}
. "$HERE/lib/bench-classpath.sh"
bench_classpath pipelines/target/cp.txt
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$JAVA" -Xmx4g -XX:+UseG1GC -cp "$CP" \
  -Dn="$N" -Ddevices="$DEVICES" org.iotbeam.pipelines.bench.DomainBaseline
