# Shared settings and helpers for up.sh and down.sh (sourced, not run).
# Ports default to numbers no stock install uses, so a developer's own
# PostgreSQL/Redis/Kafka on the standard ports is never touched.

# shellcheck shell=bash disable=SC2034  # settings are used by up.sh and down.sh
PG_PORT=${CAMPUS_PG_PORT:-55432}
REDIS_PORT=${CAMPUS_REDIS_PORT:-56379}
KAFKA_PORT=${CAMPUS_KAFKA_PORT:-59092}
KAFKA_CONTROLLER_PORT=${CAMPUS_KAFKA_CONTROLLER_PORT:-59093}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Everything mutable lives outside the repo so a fresh clone (CI) reuses the
# downloaded jars and `git status` stays clean.
CACHE=${CAMPUS_CACHE_DIR:-${HOME:-/root}/.cache/campus}
REDIS_DIR=$CACHE/redis
KAFKA_DIR=$CACHE/kafka
PG_CLUSTER=campus

log() { printf '%s\n' "$*" >&2; }

# Print the end of a service's log and exit, so CI output shows why it failed.
die_with_log() {
  local msg=$1 file=$2
  log "ERROR: $msg"
  if [[ -f $file ]]; then log "--- last lines of $file ---"; tail -n 40 "$file" >&2; fi
  exit 1
}

# bash's /dev/tcp avoids depending on nc/ss being installed.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# True if the pid in file $1 is alive and its command line contains $2; guards
# against a stale pid file whose number now belongs to something else.
pid_running() {
  local pid
  [[ -f $1 ]] && pid=$(<"$1") && [[ -n $pid ]] && [[ -r /proc/$pid/cmdline ]] &&
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2"
}

# Newest PostgreSQL major installed by Debian's packages (empty if none).
# shellcheck disable=SC2012  # directory names are plain version numbers
pg_version() { ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1; }

# Services to act on: the arguments, or all of them.
select_services() {
  local s
  SERVICES=("$@")
  [[ ${#SERVICES[@]} -gt 0 ]] || SERVICES=(postgres redis kafka)
  for s in "${SERVICES[@]}"; do
    case $s in postgres | redis | kafka) ;; *) log "unknown service '$s' (expected postgres, redis, kafka)"; exit 2 ;; esac
  done
}
