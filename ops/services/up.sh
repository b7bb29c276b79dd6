#!/usr/bin/env bash
# Start the real PostgreSQL, Redis and Kafka that Campus tests and benchmarks
# talk to, on loopback and without Docker. The first run installs what is
# missing (Debian packages, Kafka jars from Maven Central); later runs only
# check that each service answers, so calling this before every test run is cheap.
#
#   ops/services/up.sh [postgres] [redis] [kafka]     # default: all three
#   set -a; eval "$(ops/services/up.sh)"; set +a     # export the URLs it prints
#
# Prints one NAME=URL line per service on stdout; progress goes to stderr.
# Stop everything with ops/services/down.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Parallel callers (test workers, CI steps) queue here instead of racing to
# start a second broker on the same data directory. flock -o keeps the lock in
# flock itself, so the daemons started below never inherit (and hold) it.
if [[ -z ${CAMPUS_UP_LOCKED:-} ]]; then
  mkdir -p "$CACHE"
  CAMPUS_UP_LOCKED=1 exec flock -o "$CACHE/.up.lock" bash "$0" "$@"
fi
unset CAMPUS_UP_LOCKED

# Debian packages, installed only when missing. No policy-rc.d means the
# package scripts would also start the stock services on the standard ports;
# we only want ours, so block that for the duration of the install.
ensure_pkgs() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  log "installing ${missing[*]} (first run only)..."
  local policy=/usr/sbin/policy-rc.d added=
  if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; added=1; fi
  local rc=0
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    >"$CACHE/apt.log" 2>&1 || rc=$?
  [[ -z $added ]] || rm -f "$policy"
  [[ $rc -eq 0 ]] || die_with_log "apt-get install ${missing[*]} failed" "$CACHE/apt.log"
}

# Write $1 with stdin's content only if it differs; returns 0 when it changed.
write_if_changed() {
  local new
  new=$(cat)
  [[ -f $1 && "$(<"$1")" == "$new" ]] && return 1
  printf '%s\n' "$new" >"$1"
}

up_postgres() {
  ensure_pkgs postgresql
  local v conf url
  v=$(pg_version)
  [[ -n $v ]] || die_with_log "no PostgreSQL server found under /usr/lib/postgresql" /dev/null
  local pglog=/var/log/postgresql/postgresql-$v-$PG_CLUSTER.log
  url="postgresql://campus:campus@127.0.0.1:$PG_PORT/campus"

  # A cluster of our own, so the stock 'main' cluster and its settings stay untouched.
  if [[ ! -f /etc/postgresql/$v/$PG_CLUSTER/postgresql.conf ]]; then
    log "creating PostgreSQL $v cluster '$PG_CLUSTER'..."
    pg_createcluster --port "$PG_PORT" --encoding UTF8 --locale C.UTF-8 "$v" "$PG_CLUSTER" >/dev/null
  fi

  # conf.d is read after postgresql.conf, so these win. fsync and
  # synchronous_commit keep their durable defaults: benchmarks must measure
  # what production pays for a commit.
  conf=/etc/postgresql/$v/$PG_CLUSTER/conf.d/campus.conf
  local changed=
  write_if_changed "$conf" <<CONF && changed=1
# Written by ops/services/up.sh; edits here are overwritten.
listen_addresses = '127.0.0.1'
port = $PG_PORT
max_connections = 200
shared_buffers = 256MB
CONF

  if pg_ctlcluster "$v" "$PG_CLUSTER" status >/dev/null 2>&1; then
    if [[ -n $changed ]]; then
      log "PostgreSQL settings changed, restarting..."
      pg_ctlcluster "$v" "$PG_CLUSTER" restart || die_with_log "PostgreSQL failed to restart" "$pglog"
    fi
  else
    pg_ctlcluster "$v" "$PG_CLUSTER" start || die_with_log "PostgreSQL failed to start" "$pglog"
  fi

  # Warm path: one login as the app role over TCP proves role, password,
  # database and pg_hba are all in place.
  if ! psql "$url" -XAtqc 'select 1' >/dev/null 2>&1; then
    runuser -u postgres -- psql -X -q -p "$PG_PORT" -v ON_ERROR_STOP=1 <<'SQL' >/dev/null || die_with_log "could not create role/database" "$pglog"
-- SUPERUSER because tests create and drop their own databases.
DO $$ BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'campus') THEN
    ALTER ROLE campus LOGIN SUPERUSER PASSWORD 'campus';
  ELSE
    CREATE ROLE campus LOGIN SUPERUSER PASSWORD 'campus';
  END IF;
END $$;
SELECT 'CREATE DATABASE campus OWNER campus'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'campus') \gexec
SQL
    psql "$url" -XAtqc 'select 1' >/dev/null || die_with_log "password login over TCP failed" "$pglog"
  fi
  echo "CAMPUS_DATABASE_URL=$url"
}

up_redis() {
  ensure_pkgs redis-server
  local url="redis://127.0.0.1:$REDIS_PORT/0" i
  # One started by an older version of this script has too few databases: start it anew.
  if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG &&
    [[ "$(redis-cli -p "$REDIS_PORT" config get databases | tail -n 1)" != 256 ]]; then
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    sleep 0.5
  fi
  if ! redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    mkdir -p "$REDIS_DIR"
    # No RDB/AOF: tests own their data, and persistence would only cost disk I/O.
    # 256 databases: each test run takes one of its own (tests/services.py).
    redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --databases 256 \
      --save '' --appendonly no --dir "$REDIS_DIR" \
      --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" ||
      die_with_log "redis-server failed to start" "$REDIS_DIR/redis.log"
    for ((i = 0; i < 50; i++)); do
      redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
      sleep 0.2
    done
    ((i < 50)) || die_with_log "Redis did not answer PING within 10 s" "$REDIS_DIR/redis.log"
  fi
  echo "CAMPUS_REDIS_URL=$url"
}

# Resolve the broker jars once. The stamp holds the pom's hash, so editing the
# pom (e.g. a Kafka upgrade) re-resolves; a half-finished download never
# leaves a usable-looking lib/ behind.
kafka_jars() {
  local lib=$KAFKA_DIR/lib want
  want=$(sha256sum <"$HERE/kafka/pom.xml")
  [[ -f $lib/.pom.sha256 && "$(<"$lib/.pom.sha256")" == "$want" ]] && return 0
  command -v mvn >/dev/null || ensure_pkgs maven
  log "downloading Kafka jars with Maven (first run only)..."
  rm -rf "$lib.tmp"
  mkdir -p "$KAFKA_DIR"
  mvn -q -B -f "$HERE/kafka/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$lib.tmp" >"$KAFKA_DIR/mvn.log" 2>&1 ||
    die_with_log "mvn could not resolve the Kafka jars" "$KAFKA_DIR/mvn.log"
  printf '%s\n' "$want" >"$lib.tmp/.pom.sha256"
  rm -rf "$lib"
  mv "$lib.tmp" "$lib"
}

up_kafka() {
  local bootstrap="127.0.0.1:$KAFKA_PORT" pidfile=$KAFKA_DIR/kafka.pid klog=$KAFKA_DIR/kafka.log
  # javac too: the readiness probe is a single-file Java source program.
  command -v javac >/dev/null || ensure_pkgs openjdk-17-jdk-headless
  kafka_jars
  local cp="$KAFKA_DIR/lib/*" props=$KAFKA_DIR/server.properties data=$KAFKA_DIR/data

  # Storage is formatted with the controller's address baked in, so a port
  # change means a new, empty log directory (test data is disposable).
  if sed -e "s/@PORT@/$KAFKA_PORT/g" -e "s/@CONTROLLER_PORT@/$KAFKA_CONTROLLER_PORT/g" \
    -e "s|@DATA_DIR@|$data|g" "$HERE/kafka/server.properties" | write_if_changed "$props"; then
    if pid_running "$pidfile" kafka.Kafka; then "$HERE/down.sh" kafka; fi
    rm -rf "$data"
  fi

  if pid_running "$pidfile" kafka.Kafka && port_open "$KAFKA_PORT"; then
    echo "CAMPUS_KAFKA_BOOTSTRAP_SERVERS=$bootstrap"
    return 0
  fi

  # A live pid without an open port is a broker still starting (e.g. an
  # interrupted earlier run): wait for it rather than start a second one.
  if ! pid_running "$pidfile" kafka.Kafka; then
    port_open "$KAFKA_PORT" && die_with_log "port $KAFKA_PORT is taken by a process up.sh did not start" /dev/null
    local jvm=(java -Xms512m -Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true
      "-Dlog4j2.configurationFile=$HERE/kafka/log4j2.properties")
    if [[ ! -f $data/meta.properties ]]; then
      log "formatting Kafka storage (first run only)..."
      local id
      # A cluster id is a base64url UUID; making it here saves a JVM start.
      # It may begin with "-", hence --cluster-id=.
      id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
      "${jvm[@]}" -Dcampus.log.level=WARN -cp "$cp" kafka.tools.StorageTool format --standalone \
        --ignore-formatted --cluster-id="$id" -c "$props" >"$klog" 2>&1 || die_with_log "kafka storage format failed" "$klog"
    fi

    log "starting Kafka..."
    [[ -f $klog ]] && mv -f "$klog" "$klog.1"
    rm -f "$pidfile"
    # setsid: the broker must outlive this script and the CI step's process
    # group; the inner shell records its own pid, which exec hands to java.
    # shellcheck disable=SC2016  # $$ must expand in the inner shell
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" \
      "${jvm[@]}" -cp "$cp" kafka.Kafka "$props" </dev/null >"$klog" 2>&1 &
  fi

  local deadline=$((SECONDS + 120))
  until port_open "$KAFKA_PORT"; do
    sleep 0.5
    # No pid file yet just means the launcher shell has not run.
    [[ ! -f $pidfile ]] || pid_running "$pidfile" kafka.Kafka || die_with_log "Kafka exited during startup" "$klog"
    ((SECONDS < deadline)) || die_with_log "Kafka did not open port $KAFKA_PORT within 120 s" "$klog"
  done
  java -Dcampus.log.level=ERROR "-Dlog4j2.configurationFile=$HERE/kafka/log4j2.properties" -cp "$cp" \
    "$HERE/kafka/Probe.java" "$bootstrap" "$((deadline - SECONDS > 10 ? deadline - SECONDS : 10))" >&2 ||
    die_with_log "Kafka is up but a produce/consume round trip failed" "$klog"
  echo "CAMPUS_KAFKA_BOOTSTRAP_SERVERS=$bootstrap"
}

select_services "$@"
for s in "${SERVICES[@]}"; do "up_$s"; done
