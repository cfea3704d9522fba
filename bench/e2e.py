#!/usr/bin/env python3
"""The end-to-end benchmark (`make bench-e2e`): sustained tracker load through all four services.

The four release executables run as real processes on the local stack, on this run's own topics,
consumer groups, Redis key prefix and ClickHouse database (removed afterwards), with the shipped
enrichments (deploy/enrichments) and visitor profiles on. A load generator sends Snowplow tp2 POST
batches (`BATCH` events each: page views with referers and campaign parameters, page pings, structured
and self-describing events with contexts; ~2000 visitors; unique event ids) at an open-loop rate of
`RATE` events/s for `DURATION` seconds over `CONNECTIONS` keep-alive connections. It is cheap: the
bodies are pre-rendered templates with the ids substituted (its own CPU time is printed).

Measured:
  accepted events/s   events in requests the collector answered 2xx, per second of sending;
  events_per_s        acknowledged events / (first send → the last acknowledged event queryable in
                      ClickHouse): the rate sustained through all four services;
  lost                acknowledged events whose event_id is not in ClickHouse after the pipeline went
                      quiet (must be 0);
  latency             collector receipt (collector_tstamp) → queryable: ClickHouse is polled every
                      POLL seconds for the count of events per 10 ms of collector_tstamp; events that
                      appear in a poll are counted as arriving at that poll (an upper bound: the error is
                      at most one poll interval, plus the collector_tstamp rounding of 1 ms).
Ends with `BENCH e2e events_per_s=<n> lost=<n> p50_ms=<x> p99_ms=<x>`.

Environment: DURATION=60 RATE=11000 BATCH=100 CONNECTIONS=4 POLL=0.25 PARTITIONS=2 (raw and enriched)
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import random
import resource
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts/e2e"))
import freshet_e2e as e2e  # noqa: E402

DURATION = float(os.environ.get("DURATION", "60"))
RATE = float(os.environ.get("RATE", "11000"))  # offered above the 10 000 target: the sustained rate includes the drain
BATCH = int(os.environ.get("BATCH", "100"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "4"))
POLL = float(os.environ.get("POLL", "0.25"))
PARTITIONS = int(os.environ.get("PARTITIONS", "2"))
QUIET = float(os.environ.get("QUIET_SECONDS", "60"))  # give up waiting after this long without progress

USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
]
IPS = ["81.2.69.160", "8.8.8.8", "89.160.20.112", "2.125.160.216", "216.160.83.56", "151.101.1.69", "200.160.2.3", "133.11.0.1"]
PAGES = ["https://shop.example.com/", "https://shop.example.com/products/kettle?utm_source=newsletter&utm_medium=email&utm_campaign=march",
         "https://shop.example.com/products/teapot", "https://shop.example.com/blog/brewing-guide?utm_source=google&utm_medium=cpc&utm_campaign=brand"]
REFERERS = ["https://www.google.com/search?q=green+tea+kettle", "https://www.facebook.com/", "", "https://shop.example.com/"]
CONTEXT = json.dumps({"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0",
                      "data": [{"schema": "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0", "data": {"id": "b1f4c7a2-6d0e-4a59-8e3f-2c4d5e6f7a8b"}}]})
LINK_CLICK = json.dumps({"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
                         "data": {"schema": "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1", "data": {"targetUrl": "https://shop.example.com/cart"}}})


def templates(app_id: str) -> list[str]:
    """Event JSON objects with {eid} {duid} {sid} {dtm} placeholders (braces of the JSON doubled)."""
    base = {"tv": "py-1.1.0", "tna": "bench", "aid": app_id, "p": "web", "res": "1920x1080", "lang": "en-GB", "tz": "Europe/London",
            "eid": "{eid}", "duid": "{duid}", "sid": "{sid}", "vid": "1", "dtm": "{dtm}", "stm": "{dtm}"}
    out = []
    for i in range(16):
        page, ref = PAGES[i % len(PAGES)], REFERERS[(i // 4) % len(REFERERS)]
        kind = ["pv", "pv", "pp", "se", "ue", "pv", "pp", "pv"][i % 8]
        event = dict(base, e=kind, url=page, page="Page " + str(i % 4))
        if ref:
            event["refr"] = ref
        if kind == "pp":
            event.update(pp_mix="0", pp_max="1200", pp_miy="0", pp_may=str(400 + i * 10))
        if kind == "se":
            event.update(se_ca="video", se_ac="play", se_la="brewing-tips", se_va="12", co=CONTEXT)
        if kind == "ue":
            event.update(ue_pr=LINK_CLICK, co=CONTEXT)
        out.append(json.dumps(event).replace("{", "{{").replace("}", "}}").replace("{{eid}}", "{eid}")
                   .replace("{{duid}}", "{duid}").replace("{{sid}}", "{sid}").replace("{{dtm}}", "{dtm}"))
    return out


def event_id(run: int, sender: int, counter: int) -> str:
    """The event id of a sender's `counter`-th event: a random-looking UUID v4 derived from (run, sender,
    counter), as trackers send random v4 ids. Ids with a fixed high half and a counter in the low half
    (what this bench sent before) hit a hashing pathology in ClickHouse 18.16's uniqExact over UUIDs
    (200 000 such ids: 6.3 s against 0.03 s for random ones), which made the analytics tables' merges
    cost ~100 µs per event and measured that instead of the pipeline."""
    digest = bytearray(hashlib.blake2b(f"{run}/{sender}/{counter}".encode(), digest_size=16).digest())
    digest[6] = (digest[6] & 0x0F) | 0x40
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Sender(threading.Thread):
    """One keep-alive connection sending BATCH-event POSTs on its share of the schedule."""

    def __init__(self, index: int, run: int, url_port: int, app_id: str, start_at: float, stop_at: float, max_requests: int | None = None):
        super().__init__(daemon=True)
        self.index, self.run_id, self.port = index, run, url_port
        self.templates = templates(app_id)
        self.start_at, self.stop_at = start_at, stop_at
        self.interval = BATCH * CONNECTIONS / RATE
        self.acked_ranges: list[tuple[int, int]] = []  # (first counter, count) answered 2xx
        self.acked = 0
        self.failed = 0
        self.errors: dict[str, int] = {}
        self.finished_at = 0.0
        self.max_requests = max_requests
        self.rng = random.Random(index)
        self.visitors = [(str(uuid.UUID(int=self.rng.getrandbits(128), version=4)), str(uuid.UUID(int=self.rng.getrandbits(128), version=4)))
                         for _ in range(500)]

    def eid(self, counter: int) -> str:
        return event_id(self.run_id, self.index, counter)

    def body(self, first: int) -> bytes:
        now = str(int(time.time() * 1000))
        events = []
        for k in range(BATCH):
            duid, sid = self.visitors[self.rng.randrange(len(self.visitors))]
            events.append(self.templates[(first + k) % len(self.templates)].format(eid=self.eid(first + k), duid=duid, sid=sid, dtm=now))
        return ('{"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4","data":[' + ",".join(events) + "]}").encode()

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def run(self):
        conn = self.connect()
        counter, n = 0, 0
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENTS[self.index % len(USER_AGENTS)]}
        while True:
            due = self.start_at + n * self.interval + self.index * self.interval / CONNECTIONS
            if due >= self.stop_at or (self.max_requests is not None and n >= self.max_requests):
                break
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            body = self.body(counter)
            headers["X-Forwarded-For"] = IPS[(self.index + n) % len(IPS)]
            try:
                conn.request("POST", "/com.snowplowanalytics.snowplow/tp2", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if 200 <= response.status < 300:
                    self.acked_ranges.append((counter, BATCH))
                    self.acked += BATCH
                else:
                    self.failed += BATCH
                    self.errors[str(response.status)] = self.errors.get(str(response.status), 0) + 1
            except (OSError, http.client.HTTPException) as error:
                self.failed += BATCH
                self.errors[type(error).__name__] = self.errors.get(type(error).__name__, 0) + 1
                conn.close()
                conn = self.connect()
            counter += BATCH
            n += 1
        self.finished_at = time.time()
        conn.close()


class LatencyPoller(threading.Thread):
    """Polls ClickHouse for loaded events per 10 ms of collector_tstamp; records arrival times."""

    def __init__(self, ch: e2e.ClickHouse, database: str, app_id: str):
        super().__init__(daemon=True)
        self.ch, self.database, self.app_id = ch, database, app_id
        self.seen: dict[int, int] = {}  # bucket (10 ms of collector time) -> events seen so far
        self.latencies: list[tuple[float, int]] = []  # (latency ms, events)
        self.loaded = 0
        self.last_change = time.time()
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def poll(self):
        now = time.time()
        # count(), not uniqExact(event_id): this query runs every POLL seconds over the whole run's rows on the
        # same two cores as the pipeline, so it should cost as little as possible. A re-delivered row would
        # count as an arrival here (the loss check below counts distinct ids).
        text = self.ch.query(f"""SELECT intDiv(toUInt64(toUInt32(collector_tstamp)) * 1000 + collector_tstamp_ms, 10) AS b, count()
            FROM {self.database}.events WHERE app_id = '{self.app_id}' GROUP BY b FORMAT TabSeparated""", timeout=30)
        total = 0
        with self.lock:
            for line in text.splitlines():
                bucket, count = (int(x) for x in line.split("\t"))
                total += count
                new = count - self.seen.get(bucket, 0)
                if new > 0:
                    self.latencies.append((now * 1000 - (bucket * 10 + 5), new))
                    self.seen[bucket] = count
            if total != self.loaded:
                self.loaded, self.last_change = total, now

    def run(self):
        while not self.stop.is_set():
            started = time.time()
            try:
                self.poll()
            except Exception as error:  # ClickHouse busy: try again at the next tick
                print(f"[bench] poll failed: {error}", file=sys.stderr)
            self.stop.wait(max(0.0, POLL - (time.time() - started)))

    def percentile(self, q: float) -> float:
        with self.lock:
            ordered = sorted(self.latencies)
        total = sum(n for _, n in ordered)
        if total == 0:
            return float("nan")
        rank, running = q * total, 0
        for latency, n in ordered:
            running += n
            if running >= rank:
                return max(latency, 0.0)
        return ordered[-1][0]


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def server_pids(stack: dict) -> dict[str, int]:
    """The pids of the local stack's servers (Kafka, Redis, ClickHouse), found by their listening ports."""
    import re
    import subprocess
    import urllib.parse

    ports = {"kafka": int(stack["brokers"].split(",")[0].rsplit(":", 1)[1]), "redis": stack["redis_port"],
             "clickhouse": urllib.parse.urlsplit(stack["clickhouse_url"]).port or 8123}
    pids = {}
    for name, port in ports.items():
        out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
        match = re.search(r"pid=(\d+)", out)
        if match:
            pids[name] = int(match.group(1))
    return pids


def main() -> int:
    e2e.check_runtime()
    stack = e2e.local_stack()
    work = e2e.workdir("bench-e2e")
    run = random.getrandbits(32)
    app_id = f"bench{run:08x}"
    # The services' own defaults (loader: 1 s batch delay), as deployed.
    pipeline = e2e.Pipeline(**stack, workdir=work, name=f"bench_e2e_{run:08x}", test_tuning=False)
    try:
        pipeline.create_topics({"raw": PARTITIONS, "enriched": PARTITIONS, "bad": 1})
        pipeline.start_all()
        print(f"[bench] pipeline up ({e2e.binary('collector')}); {DURATION:.0f}s at {RATE:.0f} events/s offered, "
              f"{BATCH}-event POST batches over {CONNECTIONS} connections; load {os.getloadavg()[0]:.2f}", flush=True)
        # Warm-up (not measured): one batch through every service, so consumer-group joins and the
        # loader's first insert are behind us.
        warm = Sender(CONNECTIONS, run, pipeline.collector_port, app_id + "w", time.time() - 3600, time.time() + 3600, max_requests=1)
        warm.run()
        if not warm.acked:
            raise SystemExit(f"the collector did not acknowledge the warm-up batch: {warm.errors}")
        e2e.wait_until("the warm-up batch in ClickHouse", lambda: pipeline.clickhouse.scalar(
            f"SELECT uniqExact(event_id) FROM {pipeline.database}.events WHERE app_id = '{app_id}w'") >= warm.acked > 0, 120, 0.25)
        poller = LatencyPoller(pipeline.clickhouse, pipeline.database, app_id)
        pids = {s: c.process.pid for s, c in pipeline.children.items()} | server_pids(stack)
        cpu_before = {s: cpu_seconds(pid) for s, pid in pids.items()}
        start = time.time() + 0.5
        senders = [Sender(i, run, pipeline.collector_port, app_id, start, start + DURATION) for i in range(CONNECTIONS)]
        usage_before = resource.getrusage(resource.RUSAGE_SELF)
        for sender in senders:
            sender.start()
        poller.start()
        while any(s.is_alive() for s in senders):
            time.sleep(5)
            p = pipeline.progress()
            print(f"[bench] t={time.time() - start:5.1f}s acknowledged {sum(s.acked for s in senders)} · enriched {p['enriched']:.0f} · "
                  f"loaded {p['loaded']:.0f} · bad {p['bad']:.0f}", flush=True)
        send_end = max(s.finished_at for s in senders)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        acked = sum(s.acked for s in senders)
        failed = sum(s.failed for s in senders)
        errors = {}
        for s in senders:
            for k, v in s.errors.items():
                errors[k] = errors.get(k, 0) + v
        # Wait until everything acknowledged is queryable, or nothing changed for QUIET seconds.
        while poller.loaded < acked and time.time() - poller.last_change < QUIET:
            time.sleep(0.25)
        poller.stop.set()
        poller.join()
        poller.poll()
        cpu_after = {s: cpu_seconds(pid) for s, pid in pids.items()}
        done = poller.last_change
        rows = pipeline.clickhouse.query(f"SELECT DISTINCT toString(event_id) "
                                         f"FROM {pipeline.database}.events WHERE app_id = '{app_id}' FORMAT TabSeparated", timeout=120)
        loaded_ids = set(rows.splitlines())
        lost = sum(1 for s in senders for first, count in s.acked_ranges for c in range(first, first + count)
                   if event_id(run, s.index, c) not in loaded_ids)
        final = pipeline.clickhouse.scalar(f"SELECT count() FROM {pipeline.database}.events FINAL WHERE app_id = '{app_id}'")
        bad = pipeline.clickhouse.scalar(f"SELECT count() FROM {pipeline.database}.bad_rows")
        sending = send_end - start
        accepted_rate = acked / sending
        through = acked / (done - start) if lost == 0 and acked else (len(loaded_ids) / (done - start))
        p50, p99 = poller.percentile(0.50), poller.percentile(0.99)
        gen_cpu = (usage.ru_utime + usage.ru_stime) - (usage_before.ru_utime + usage_before.ru_stime)
        print(f"\n[bench] sending {sending:.1f}s: {acked} events acknowledged ({accepted_rate:.0f} accepted events/s), "
              f"{failed} not acknowledged {errors or ''}")
        print(f"[bench] loaded {len(loaded_ids)} distinct events ({final} rows FINAL) {done - start:.1f}s after the first send; "
              f"{bad} bad rows; lost {lost}")
        print(f"[bench] sustained through all four services: {through:.0f} events/s")
        print(f"[bench] latency collector_tstamp → queryable: p50 {p50:.0f} ms, p99 {p99:.0f} ms (poll every {POLL}s)")
        print("[bench] CPU from the first send until everything was loaded, µs per event (the servers' include "
              "whatever else uses them meanwhile): "
              + ", ".join(f"{s} {(cpu_after[s] - cpu_before[s]) * 1e6 / max(acked, 1):.0f}" for s in cpu_after)
              + f"; load generator {gen_cpu * 1e6 / max(acked, 1):.0f}; load average {os.getloadavg()[0]:.2f}")
        print(f"BENCH e2e events_per_s={through:.0f} lost={lost} p50_ms={p50:.0f} p99_ms={p99:.0f}")
        pipeline.stop_all()
        return 0 if lost == 0 else 1
    finally:
        pipeline.close()
        pipeline.drop()
        import shutil
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
