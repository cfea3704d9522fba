#!/usr/bin/env bash
# make bench-collector: nginx (one worker, empty_gif, buffered JSON access log) and the collector (one
# worker thread) each loaded by wrk in the same run with the same request. Prints both req/s and p99
# latencies and the collector's peak RSS, and ends with the BENCH line.
#   DURATION=5s ROUNDS=3 CONNECTIONS=64 COLLECTOR_ARGS="--fsync none" bench/collector.sh
# The collector runs with --fsync none by default here: nginx never fsyncs its buffered access log, so
# that is the like-for-like durability (both survive a crash of the server process, neither a power
# loss). COLLECTOR_ARGS="--fsync 1s" measures the collector's own default policy.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-64}
WORK=$(mktemp -d /tmp/freshet-bench-collector.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; [[ -f $WORK/nginx.pid ]] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT

for tool in wrk nginx; do
  command -v $tool >/dev/null || { echo "installing $tool"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $tool >/dev/null; }
done
swift build -c release --product collector >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NGINX_PORT=$(free_port); COLLECTOR_PORT=$(free_port)
# A realistic tracker GET: a page view with the usual parameters (~600 bytes of querystring).
PATH_QUERY='/i?e=pv&url=https%3A%2F%2Fshop.example.com%2Fproducts%2Fblue-shoes%3Futm_source%3Dnewsletter&page=Blue%20Shoes%20%E2%80%93%20Example%20Shop&refr=https%3A%2F%2Fwww.google.com%2F&tv=js-3.24.0&tna=sp&aid=shop&p=web&tz=Europe%2FBerlin&lang=de-DE&cs=UTF-8&f_pdf=1&f_qt=0&f_realp=0&f_wma=0&f_dir=0&f_fla=0&f_java=0&f_gears=0&f_ag=0&res=1920x1080&cd=24&cookie=1&eid=6f8a7c1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b&dtm=1764201600000&vp=1280x720&ds=1280x3000&vid=3&sid=1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b&duid=9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d&stm=1764201600050'
HEADERS=(-H 'User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
         -H 'Referer: https://shop.example.com/products/blue-shoes' -H 'Cookie: sp=0b5f4a3e-2d1c-4b0a-9f8e-7d6c5b4a3f2e; _ga=GA1.1.123')

mkdir -p "$WORK/nginx/logs" "$WORK/collector"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  log_format json escape=json '{"time":"\$time_iso8601","ip":"\$remote_addr","request":"\$request","status":\$status,"ua":"\$http_user_agent","referer":"\$http_referer","cookie":"\$http_cookie"}';
  server {
    listen 127.0.0.1:$NGINX_PORT;
    access_log $WORK/nginx/logs/access.log json buffer=64k flush=1s;
    location /i { empty_gif; add_header Cache-Control "no-cache, no-store, must-revalidate"; }
  }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
"$ROOT/.build/release/collector" --port "$COLLECTOR_PORT" --host 127.0.0.1 --admin-port 0 --worker-threads 1 \
  --log-directory "$WORK/collector" --log-level warning ${COLLECTOR_ARGS:---fsync none} >"$WORK/collector.log" 2>&1 &
COLLECTOR_PID=$!
for port in $NGINX_PORT $COLLECTOR_PORT; do
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/i" && break; sleep 0.1; done
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run_wrk() { # port server-pid -> prints "rps p99_ms cpu_us_per_request"
  local out before after
  wrk -t1 -c"$CONNECTIONS" -d1s "${HEADERS[@]}" "http://127.0.0.1:$1$PATH_QUERY" >/dev/null  # warm-up
  before=$(cpu_ticks "$2")
  out=$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "${HEADERS[@]}" "http://127.0.0.1:$1$PATH_QUERY")
  after=$(cpu_ticks "$2")
  echo "$out" >&2
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")
  local requests cpu
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(python3 -c "print(f'{($after - $before) * 10000 / $requests:.1f}')")
  echo "$rps $p99 $cpu"
}

# Alternate the two servers for ROUNDS rounds and keep each one's median round, so load from other
# processes on the machine hits both alike.
ROUNDS=${ROUNDS:-3}
NGINX_WORKER=$(pgrep -f "nginx: worker process" -P "$(cat "$WORK/nginx.pid")" | head -n1)
nginx_rps=(); nginx_p99=(); nginx_cpu=(); rps=(); p99=(); cpu=()
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: nginx (1 worker, empty_gif, buffered JSON access log)" >&2
  read -r a b c < <(run_wrk "$NGINX_PORT" "$NGINX_WORKER"); nginx_rps+=("$a"); nginx_p99+=("$b"); nginx_cpu+=("$c")
  echo "== round $round: collector (1 worker thread)" >&2
  read -r a b c < <(run_wrk "$COLLECTOR_PORT" "$COLLECTOR_PID"); rps+=("$a"); p99+=("$b"); cpu+=("$c")
done
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
NGINX_RPS=$(median "${nginx_rps[@]}"); NGINX_P99=$(median "${nginx_p99[@]}")
RPS=$(median "${rps[@]}"); P99=$(median "${p99[@]}")
NGINX_CPU=$(median "${nginx_cpu[@]}"); CPU=$(median "${cpu[@]}")
echo "rounds: nginx ${nginx_rps[*]} req/s; collector ${rps[*]} req/s" >&2
RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$COLLECTOR_PID/status")
kill -TERM $COLLECTOR_PID; wait $COLLECTOR_PID || true
LINES=$(cat "$WORK"/collector/*.log | wc -l)

RATIO=$(python3 -c "print(f'{$RPS/$NGINX_RPS:.2f}')")
RSS_MB=$(python3 -c "print(f'{$RSS_KB/1024:.1f}')")
printf 'nginx:     %10.0f req/s  p99 %6.2f ms  CPU %5s us/request\n' "$NGINX_RPS" "$NGINX_P99" "$NGINX_CPU"
printf 'collector: %10.0f req/s  p99 %6.2f ms  CPU %5s us/request  peak RSS %s MB  (%s payload lines written)\n' "$RPS" "$P99" "$CPU" "$RSS_MB" "$LINES"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on this 2-core machine skew req/s; CPU per request is steadier)"
echo "BENCH collector ratio=$RATIO rps=${RPS%.*} nginx_rps=${NGINX_RPS%.*} p99_ms=$P99 nginx_p99_ms=$NGINX_P99 rss_mb=$RSS_MB"
