#!/usr/bin/env bash
# Creates Flink Commander's topics on a plain Kafka cluster, with the settings of strimzi/*.yaml.
# Usage: BOOTSTRAP=broker:9092 PARTITIONS=12 REPLICATION=3 ./create-topics.sh
# Needs kafka-topics.sh on the PATH. Topics that exist already are left as they are.
# Keep PARTITIONS once topics are in use: a job's key maps to a partition by the partition count.
set -euo pipefail
bootstrap="${BOOTSTRAP:-127.0.0.1:9092}"
partitions="${PARTITIONS:-12}"
replication="${REPLICATION:-3}"
day_ms=86400000

create() {
  local topic="$1"
  shift
  kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor "$replication" \
    --config min.insync.replicas=2 --config cleanup.policy=delete "$@"
}

create flink.commands        --config retention.ms=$((7 * day_ms))
create flink.command-results --config retention.ms=$((7 * day_ms))
create flink.lifecycle       --config retention.ms=$((30 * day_ms))
# The savepoint catalog is rebuilt from this topic's beginning: nothing may expire (see README.md).
create flink.savepoints      --config retention.ms=-1 --config retention.bytes=-1
create flink.scaling         --config retention.ms=$((30 * day_ms))
create flink.commands.dlq    --config retention.ms=$((7 * day_ms))
# Internal: commands of stuck jobs, retried apart. Same partition count as flink.commands.
create flink.commands.parked --config retention.ms=$((7 * day_ms))
