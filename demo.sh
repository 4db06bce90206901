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
# The same as ./iotbeam demo, with readable log lines: it builds the runnable jar first when it is
# missing or older than the sources (IOTBEAM_REBUILD=1 rebuilds it anyway).
# Progress and logs go to stderr (LOG_FORMAT=json for JSON log lines), the summary to stdout.
# Exit code: 0 all checks held, 1 a check failed, 2 bad flags, 3 the demo failed.
set -euo pipefail
export LOG_FORMAT="${LOG_FORMAT:-text}"
exec "$(dirname "$0")/iotbeam" demo "$@"
