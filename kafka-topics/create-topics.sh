#!/usr/bin/env bash
# Creates Flink Commander's topics on a plain Kafka cluster.
# Usage: BOOTSTRAP=broker:9092 PARTITIONS=12 REPLICATION=3 ./create-topics.sh
set -euo pipefail
bootstrap="${BOOTSTRAP:-127.0.0.1:9092}"
partitions="${PARTITIONS:-12}"
replication="${REPLICATION:-3}"
for topic in flink.commands flink.command-results flink.commands.dlq; do
  kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists --topic "$topic" \
    --partitions "$partitions" --replication-factor "$replication" --config min.insync.replicas=2
done
