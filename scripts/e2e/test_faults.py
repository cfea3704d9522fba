#!/usr/bin/env python3
"""Fault test: during a steady stream from Snowplow's Python tracker, each of collector, shipper,
enricher and loader is killed with SIGKILL in turn and restarted, then Redis and ClickHouse are stopped
for 20 s each (FRESHET_FAULT_OUTAGE_SECONDS) and restarted. When the stream ends, ClickHouse must hold
every event the collector acknowledged (a 2xx to the tracker), exactly once by event_id in query
results (`count() FINAL` = `uniqExact(event_id)` = acknowledged), nothing the tracker did not send,
and no bad rows.

Everything runs on PRIVATE servers started here on free ports (Tansu, Redis, ClickHouse) — never the
shared local stack — and the four built executables as real processes. The tracker's emitter retries
what failed (connection refused while the collector is down) with back-off; an event it gave up on
would show as "acknowledged" missing nothing, so the test also requires that nothing is left unsent.

Usage: scripts/e2e/test_faults.py   (after a build; FRESHET_TEST_BUILD_CONFIGURATION=release to use
the release binaries)
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import freshet_e2e as e2e  # noqa: E402
import traffic  # noqa: E402

OUTAGE = float(os.environ.get("FRESHET_FAULT_OUTAGE_SECONDS", "20"))
RATE = float(os.environ.get("FRESHET_FAULT_EVENTS_PER_SECOND", "150"))


class Stream:
    """Visitors sending visits round-robin from one thread at about RATE events/s until stopped."""

    def __init__(self, url: str, visitors: int = 6):
        rng = random.Random(42)
        self.visitors = [traffic.Visitor(url, "get" if i % 2 == 0 else "post", random.Random(rng.getrandbits(64)),
                                         ip=traffic.IP_ADDRESSES[i], user_agent=traffic.USER_AGENTS[i % len(traffic.USER_AGENTS)],
                                         max_retry_delay_seconds=2, request_timeout=5)
                         for i in range(visitors)]
        self.tracked: set[str] = set()
        self.stop = threading.Event()
        self.error: BaseException | None = None
        for visitor in self.visitors:  # every event the tracker built, from the payloads it sends
            visitor.tracked_ids = set()
            original = visitor.emitter.input
            visitor.emitter.input = lambda payload, original=original, mine=visitor.tracked_ids: (
                self.tracked.add(payload["eid"]), mine.add(payload["eid"]), original(payload))[2]
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        try:
            started, events = time.monotonic(), 0
            while not self.stop.is_set():
                for visitor in self.visitors:
                    before = len(self.tracked)
                    visitor.visit()
                    events += len(self.tracked) - before
                    ahead = events / RATE - (time.monotonic() - started)
                    if ahead > 0:
                        time.sleep(ahead)
        except BaseException as error:  # surfaced by the main thread
            self.error = error

    def failed_requests(self) -> int:
        return sum(v.failures for v in self.visitors)

    def acknowledged(self) -> set[str]:
        ids = set()
        for visitor in self.visitors:
            with visitor.lock:
                ids.update(p["eid"] for p in visitor.acknowledged)
        return ids


def main() -> int:
    e2e.check_runtime()
    work = e2e.workdir("faults")
    started = time.monotonic()
    kafka, redis, clickhouse = e2e.PrivateKafka(work), e2e.PrivateRedis(work), e2e.PrivateClickHouse(work)
    pipeline = None
    failures: list[str] = []
    try:
        for server in (kafka, redis, clickhouse):
            server.start()
        pipeline = e2e.Pipeline(brokers=kafka.brokers, redis_host="127.0.0.1", redis_port=redis.port,
                                clickhouse_url=clickhouse.url, workdir=work)
        pipeline.create_topics()
        pipeline.start_all()
        e2e.log(f"private servers and pipeline up in {time.monotonic() - started:.1f}s (work dir {work})")
        stream = Stream(pipeline.collector_url)
        stream.thread.start()

        def flowing(what: str, timeout: float = 120):
            """Waits until events acknowledged after this point are loaded (the pipeline flows again)."""
            mark = len(stream.tracked)
            e2e.wait_until(f"the pipeline flows after {what}",
                           lambda: pipeline.events_loaded() >= mark + 50 and not stream.error, timeout, 0.5)
            e2e.log(f"  flowing after {what}: {pipeline.events_loaded()} events loaded, {len(stream.acknowledged())} acknowledged")

        flowing("start")
        for service in ("collector", "shipper", "enricher", "loader"):
            child = pipeline.children[service]
            child.signal(signal.SIGKILL)
            e2e.log(f"SIGKILL {service}")
            if service == "collector":
                failed = stream.failed_requests()
                # The collector's port stays closed until the tracker met it (bounded wait).
                e2e.wait_until("the tracker meets the stopped collector", lambda: stream.failed_requests() > failed, 30, 0.05)
                time.sleep(1)  # part of the outage: the tracker keeps tracking into its buffer meanwhile
            pipeline.start(service)
            pipeline.wait_healthy(service)
            flowing(f"{service} restart")
        for name, server in (("redis", redis), ("clickhouse", clickhouse)):
            server.stop()
            e2e.log(f"{name} stopped for {OUTAGE:.0f}s")
            time.sleep(OUTAGE)  # the outage itself (what is being tested), not a synchronisation
            server.start()
            e2e.log(f"{name} started again")
            flowing(f"{name} outage", timeout=180)

        stream.stop.set()
        stream.thread.join(timeout=60)
        if stream.error:
            raise stream.error
        for visitor in stream.visitors:
            visitor.drain(timeout=120)
        acknowledged = stream.acknowledged()
        e2e.log(f"stream ended: {len(stream.tracked)} events tracked, {len(acknowledged)} acknowledged; waiting for ClickHouse")
        db = pipeline.database
        ch = pipeline.clickhouse
        e2e.wait_until("every acknowledged event in ClickHouse",
                       lambda: acknowledged <= {r["id"] for r in ch.rows(f"SELECT toString(event_id) AS id FROM {db}.events")}, 300, 1)
        loaded = {r["id"] for r in ch.rows(f"SELECT DISTINCT toString(event_id) AS id FROM {db}.events")}
        final = ch.scalar(f"SELECT count() FROM {db}.events FINAL")
        distinct = ch.scalar(f"SELECT uniqExact(event_id) FROM {db}.events")
        physical = ch.scalar(f"SELECT count() FROM {db}.events")
        bad = ch.scalar(f"SELECT count() FROM {db}.bad_rows")
        missing = acknowledged - loaded
        unknown = loaded - stream.tracked
        unsent = stream.tracked - acknowledged
        # The Python tracker's GET emitter drops the failed requests of a flush whose LAST request
        # succeeded (it decides on the last status only): those events were never acknowledged, so
        # they are not owed; the POST emitter retries whole batches and must leave nothing unsent.
        post_unsent = {e for v in stream.visitors if v.method == "post" for e in v.tracked_ids} - acknowledged
        e2e.log(f"ClickHouse: {physical} rows, {final} FINAL, {distinct} distinct event ids, {bad} bad rows; "
                f"acknowledged {len(acknowledged)}, missing {len(missing)}, never acknowledged {len(unsent)}; "
                f"{stream.failed_requests()} failed tracker flushes retried")
        if missing:
            failures.append(f"{len(missing)} acknowledged events are not in ClickHouse, e.g. {sorted(missing)[:5]}")
        if unknown:
            failures.append(f"{len(unknown)} events in ClickHouse the tracker never sent, e.g. {sorted(unknown)[:5]}")
        if post_unsent:
            failures.append(f"{len(post_unsent)} events of the POST emitters were never acknowledged (the tracker gave up)")
        if stream.failed_requests() == 0:
            failures.append("the tracker never met a failed request: the collector outage was not exercised")
        for service, text in (("enricher", "Redis unreachable; pausing"), ("loader", "ClickHouse insert failed; retrying")):
            if text not in pipeline.children[service].log_path.read_text(errors="replace"):
                failures.append(f"the {service} never logged '{text}': the outage was not exercised")
        if final != distinct or distinct != len(loaded):
            failures.append(f"duplicates in query results: count() FINAL {final}, uniqExact {distinct}")
        if distinct != len(acknowledged):
            failures.append(f"ClickHouse holds {distinct} distinct events, the collector acknowledged {len(acknowledged)}")
        if bad:
            failures.append(f"{bad} bad rows: {ch.query(f'SELECT type, message FROM {db}.bad_rows LIMIT 3')}")
        statuses = pipeline.stop_all()
        if statuses != {"collector": 0, "shipper": 0, "enricher": 0, "loader": 0}:
            failures.append(f"exit statuses on SIGTERM: {statuses}")
    except BaseException as error:
        failures.append(f"{type(error).__name__}: {error}")
        if pipeline:
            for child in pipeline.children.values():
                print(f"--- {child.name} (last lines)\n{child.tail(15)}")
    finally:
        if pipeline:
            pipeline.close()
        for server in (clickhouse, redis, kafka):
            closing = time.monotonic()
            server.close()
            e2e.log(f"closed {server.child.name} in {time.monotonic() - closing:.1f}s")
        if not failures:
            shutil.rmtree(work, ignore_errors=True)
    for failure in failures:
        print("FAIL", failure)
    e2e.log(f"fault test {'FAILED' if failures else 'passed'} in {time.monotonic() - started:.1f}s; logs in {work}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
