#!/usr/bin/env bash
# The local stack: a real Kafka-compatible broker (Tansu), Redis and ClickHouse, all state under .stack/.
#
#   scripts/stack.sh up       install what is missing (scripts/bootstrap.sh), start what is not running, wait
#   scripts/stack.sh status   print each server's state; exit 1 if one is down
#   scripts/stack.sh down     stop what this script started
#   scripts/stack.sh env      print the environment the services and tests need (source it)
#
# Ports (environment): FRESHET_KAFKA_PORT=9092 FRESHET_REDIS_PORT=6379 FRESHET_CLICKHOUSE_HTTP_PORT=8123
#                      FRESHET_CLICKHOUSE_TCP_PORT=9000
# Idempotent: `up` twice is harmless. A port held by a process this script did not start is reported,
# never taken over.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=$ROOT/.stack
KAFKA_PORT=${FRESHET_KAFKA_PORT:-9092}
REDIS_PORT=${FRESHET_REDIS_PORT:-6379}
CH_HTTP_PORT=${FRESHET_CLICKHOUSE_HTTP_PORT:-8123}
CH_TCP_PORT=${FRESHET_CLICKHOUSE_TCP_PORT:-9000}
CH_INTERSERVER_PORT=${FRESHET_CLICKHOUSE_INTERSERVER_PORT:-9009}

say() { printf '\033[1m[stack]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[stack]\033[0m %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_owner() { ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'users:(([^)]*))' | head -n1; }
port_pid() { ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2; }
# A process is ours when its command line or working directory lies under .stack/.
is_ours() {
  [[ -n ${1:-} && -d /proc/$1 ]] || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$STATE" && return 0
  [[ $(readlink "/proc/$1/cwd" 2>/dev/null) == "$STATE"* ]]
}
# Finds our server on PORT even when its pid file is gone, and records it again.
adopt() { # port pidfile
  local pid; pid=$(port_pid "$1")
  if is_ours "$pid"; then echo "$pid" >"$2"; return 0; fi
  return 1
}

# Refuses to start NAME when its port is held by a process that is not ours.
check_port_free() { # name port pidfile
  if port_open "$2" && ! pid_alive "$3" && ! adopt "$2" "$3"; then
    die "$1: port $2 is already in use by another process ($(port_owner "$2")). Stop it, or choose another port (see the top of scripts/stack.sh)."
  fi
}

wait_for() { # name seconds command...
  local name=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$name did not become ready within ${seconds}s; see its log under $STATE/log/"
    sleep 0.2
  done
}

kafka_ready() {
  LD_LIBRARY_PATH=$STATE/lib "$ROOT/.venv/bin/python" - "$KAFKA_PORT" <<'PY'
import sys
from confluent_kafka.admin import AdminClient
md = AdminClient({"bootstrap.servers": f"127.0.0.1:{sys.argv[1]}"}).list_topics(timeout=2)
sys.exit(0 if md.brokers else 1)
PY
}

start_kafka() {
  local pidfile=$STATE/run/kafka.pid
  if { pid_alive "$pidfile" || adopt "$KAFKA_PORT" "$pidfile"; } && port_open "$KAFKA_PORT"; then say "kafka: already running on 127.0.0.1:$KAFKA_PORT"; return; fi
  check_port_free kafka "$KAFKA_PORT" "$pidfile"
  # Tansu keeps its data in memory: a restart of the broker starts empty (fine for tests and demos).
  # setsid: the servers outlive a Ctrl-C in the terminal that started them (make run, make test).
  setsid nohup "$STATE/bin/tansu" broker \
    --listener-url "tcp://127.0.0.1:$KAFKA_PORT" --advertised-listener-url "tcp://127.0.0.1:$KAFKA_PORT" \
    --storage-engine memory://tansu/ >"$STATE/log/kafka.log" 2>&1 &
  echo $! >"$pidfile"
  wait_for kafka 30 kafka_ready
  say "kafka: up on 127.0.0.1:$KAFKA_PORT (Tansu, memory storage)"
}

start_redis() {
  local pidfile=$STATE/run/redis.pid
  if { pid_alive "$pidfile" || adopt "$REDIS_PORT" "$pidfile"; } && port_open "$REDIS_PORT"; then say "redis: already running on 127.0.0.1:$REDIS_PORT"; return; fi
  check_port_free redis "$REDIS_PORT" "$pidfile"
  mkdir -p "$STATE/data/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$pidfile" \
    --dir "$STATE/data/redis" --logfile "$STATE/log/redis.log" --save '' --appendonly no >/dev/null
  wait_for redis 15 redis-cli -p "$REDIS_PORT" ping
  say "redis: up on 127.0.0.1:$REDIS_PORT"
}

clickhouse_config() {
  local dir=$STATE/clickhouse data=$STATE/data/clickhouse
  mkdir -p "$dir" "$data" "$STATE/log/clickhouse"
  sed -e "s#/var/lib/clickhouse/#$data/#g" \
      -e "s#/var/log/clickhouse-server/#$STATE/log/clickhouse/#g" \
      -e "s#<http_port>8123</http_port>#<http_port>$CH_HTTP_PORT</http_port>#" \
      -e "s#<tcp_port>9000</tcp_port>#<tcp_port>$CH_TCP_PORT</tcp_port>#" \
      -e "s#<interserver_http_port>9009</interserver_http_port>#<interserver_http_port>$CH_INTERSERVER_PORT</interserver_http_port>#" \
      -e 's#<listen_host>::1</listen_host>##' \
      /etc/clickhouse-server/config.xml >"$dir/config.xml"
  # users.xml: Debian's, plus a user with a password so tests can exercise authentication.
  sed -e 's#<users>#<users>\n        <freshet_auth>\n            <password>freshet-secret</password>\n            <networks><ip>::/0</ip></networks>\n            <profile>default</profile>\n            <quota>default</quota>\n        </freshet_auth>#' \
      /etc/clickhouse-server/users.xml >"$dir/users.xml"
}

start_clickhouse() {
  local pidfile=$STATE/run/clickhouse.pid
  if { pid_alive "$pidfile" || adopt "$CH_HTTP_PORT" "$pidfile"; } && port_open "$CH_HTTP_PORT"; then say "clickhouse: already running on http://127.0.0.1:$CH_HTTP_PORT"; return; fi
  check_port_free clickhouse "$CH_HTTP_PORT" "$pidfile"
  check_port_free clickhouse-tcp "$CH_TCP_PORT" "$pidfile"
  clickhouse_config
  (cd "$STATE/clickhouse"; setsid nohup clickhouse-server --config-file="$STATE/clickhouse/config.xml" \
     >"$STATE/log/clickhouse/stdout.log" 2>&1 & echo $! >"$pidfile")
  wait_for clickhouse 60 curl -sf "http://127.0.0.1:$CH_HTTP_PORT/ping"
  say "clickhouse: up on http://127.0.0.1:$CH_HTTP_PORT ($(curl -s "http://127.0.0.1:$CH_HTTP_PORT/?query=SELECT%20version()"))"
}

stop_one() { # name pidfile port
  local pidfile=$2
  if pid_alive "$pidfile" || adopt "$3" "$pidfile"; then
    local pid; pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    say "$1: stopped"
  else
    say "$1: not running"
  fi
  rm -f "$pidfile"
}

status() {
  local rc=0
  if port_open "$KAFKA_PORT" && kafka_ready; then say "kafka: up (127.0.0.1:$KAFKA_PORT)"; else say "kafka: DOWN"; rc=1; fi
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then say "redis: up (127.0.0.1:$REDIS_PORT)"; else say "redis: DOWN"; rc=1; fi
  if curl -sf "http://127.0.0.1:$CH_HTTP_PORT/ping" >/dev/null; then say "clickhouse: up (http://127.0.0.1:$CH_HTTP_PORT)"; else say "clickhouse: DOWN"; rc=1; fi
  return $rc
}

print_env() {
  cat <<ENV
export LD_LIBRARY_PATH=$STATE/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
export FRESHET_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
export FRESHET_REDIS_HOST=127.0.0.1 FRESHET_REDIS_PORT=$REDIS_PORT
export FRESHET_CLICKHOUSE_URL=http://127.0.0.1:$CH_HTTP_PORT
export FRESHET_TEST_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
export FRESHET_TEST_REDIS_HOST=127.0.0.1 FRESHET_TEST_REDIS_PORT=$REDIS_PORT
export FRESHET_TEST_CLICKHOUSE_URL=http://127.0.0.1:$CH_HTTP_PORT
ENV
}

case ${1:-} in
  up)
    bash "$ROOT/scripts/bootstrap.sh"
    mkdir -p "$STATE/run" "$STATE/log" "$STATE/data"
    start_kafka; start_redis; start_clickhouse ;;
  down)
    stop_one kafka "$STATE/run/kafka.pid" "$KAFKA_PORT"; stop_one redis "$STATE/run/redis.pid" "$REDIS_PORT"
    stop_one clickhouse "$STATE/run/clickhouse.pid" "$CH_HTTP_PORT" ;;
  status) status ;;
  env) print_env ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
