#!/usr/bin/env bash
# Stop the local services that ops/services/up.sh started. Safe to run when
# some or all are already stopped. Data is kept (Kafka logs, the PostgreSQL
# cluster); `rm -rf ~/.cache/campus/kafka/data` or `pg_dropcluster` to reset.
#
#   ops/services/down.sh [postgres] [redis] [kafka]   # default: all three
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# SIGTERM lets Kafka shut down cleanly (faster, unflushed-log-free restart);
# SIGKILL only if it has not exited after $3 seconds.
stop_pidfile() {
  local file=$1 pattern=$2 timeout=$3 pid i
  if pid_running "$file" "$pattern"; then
    pid=$(<"$file")
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 5; i++)); do
      pid_running "$file" "$pattern" || break
      sleep 0.2
    done
    if pid_running "$file" "$pattern"; then
      log "pid $pid ($pattern) ignored SIGTERM for ${timeout}s, killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

down_postgres() {
  local v
  v=$(pg_version)
  if [[ -n $v && -f /etc/postgresql/$v/$PG_CLUSTER/postgresql.conf ]] && pg_ctlcluster "$v" "$PG_CLUSTER" status >/dev/null 2>&1; then
    pg_ctlcluster "$v" "$PG_CLUSTER" stop
  fi
  log "postgres stopped"
}

down_redis() {
  stop_pidfile "$REDIS_DIR/redis.pid" redis-server 10
  log "redis stopped"
}

down_kafka() {
  stop_pidfile "$KAFKA_DIR/kafka.pid" kafka.Kafka 60
  log "kafka stopped"
}

select_services "$@"
for s in "${SERVICES[@]}"; do "down_$s"; done
