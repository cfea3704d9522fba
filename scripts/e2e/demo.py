#!/usr/bin/env python3
"""`make demo`: sends a realistic burst of tracker traffic to a running pipeline with Snowplow's
official Python tracker, waits until ClickHouse has every event the collector acknowledged, and prints
a short report from ClickHouse (events, visitors, sessions, top pages, referrers, campaigns, countries,
browsers) over exactly the events of this burst.

Usage: scripts/e2e/demo.py [--collector http://127.0.0.1:8080] [--clickhouse http://127.0.0.1:8123]
                           [--database default] [--visitors 12] [--visits 2] [--seed N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import freshet_e2e as e2e  # noqa: E402
import traffic  # noqa: E402


def table(title: str, rows: list[dict], columns: list[str]) -> None:
    print(f"\n  {title}")
    if not rows:
        print("    (none)")
        return
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    print("    " + "  ".join(c.ljust(w) for c, w in zip(columns, widths)))
    for row in rows:
        print("    " + "  ".join(str(row[c]).ljust(w) for c, w in zip(columns, widths)))


def report(ch: e2e.ClickHouse, database: str, ids: list[str]) -> None:
    where = "toString(event_id) IN (" + ",".join(f"'{i}'" for i in ids) + ")"
    events = f"(SELECT * FROM {database}.events FINAL WHERE {where})"
    totals = ch.rows(f"""SELECT count() AS events, uniqExact(domain_userid) AS visitors,
        uniqExact(domain_sessionid) AS sessions, uniqExact(visitor_session_id) AS server_sessions,
        countIf(event = 'page_view') AS page_views FROM {events}""")[0]
    print("\n=== Freshet demo report (from ClickHouse) ===")
    print(f"  events {totals['events']} · page views {totals['page_views']} · visitors {totals['visitors']} · "
          f"sessions {totals['sessions']} (tracker) / {totals['server_sessions']} (server-side)")
    table("events by type", ch.rows(f"SELECT event, count() AS n FROM {events} GROUP BY event ORDER BY n DESC"), ["event", "n"])
    table("top pages", ch.rows(f"""SELECT page_urlpath AS page, count() AS views, uniqExact(domain_userid) AS visitors
        FROM {events} WHERE event = 'page_view' GROUP BY page ORDER BY views DESC, page LIMIT 5"""), ["page", "views", "visitors"])
    table("referrers (landing page views)", ch.rows(f"""SELECT if(refr_medium = '', '(direct)', refr_medium) AS medium,
        refr_source AS source, refr_term AS term, count() AS views FROM {events}
        WHERE event = 'page_view' AND refr_medium != 'internal' GROUP BY medium, source, term ORDER BY views DESC LIMIT 8"""),
          ["medium", "source", "term", "views"])
    table("campaigns", ch.rows(f"""SELECT mkt_source AS source, mkt_medium AS medium, mkt_campaign AS campaign, count() AS views
        FROM {events} WHERE event = 'page_view' AND mkt_medium != '' GROUP BY source, medium, campaign ORDER BY views DESC LIMIT 5"""),
          ["source", "medium", "campaign", "views"])
    table("countries and browsers", ch.rows(f"""SELECT geo_country AS country, geo_city AS city, ua_family AS browser,
        ua_os_family AS os, uniqExact(domain_userid) AS visitors FROM {events}
        GROUP BY country, city, browser, os ORDER BY visitors DESC, country LIMIT 8"""), ["country", "city", "browser", "os", "visitors"])
    print("\n  More: .build/release/loader report --from <yyyy-MM-dd> --to <yyyy-MM-dd> (the analytics tables)\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collector", default=f"http://127.0.0.1:{os.environ.get('FRESHET_COLLECTOR_PORT', '8080')}")
    parser.add_argument("--clickhouse", default=os.environ.get("FRESHET_CLICKHOUSE_URL", "http://127.0.0.1:8123"))
    parser.add_argument("--database", default=os.environ.get("FRESHET_CLICKHOUSE_DATABASE", "default"))
    parser.add_argument("--visitors", type=int, default=12)
    parser.add_argument("--visits", type=int, default=2)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    started = time.monotonic()
    print(f"[demo] {args.visitors} visitors × {args.visits} visits → {args.collector} (Snowplow Python tracker; GET and POST)")
    visitors = traffic.burst(args.collector, visitors=args.visitors, visits_per_visitor=args.visits, seed=args.seed)
    ids = [p["eid"] for v in visitors for p in v.acknowledged]
    print(f"[demo] {len(ids)} events acknowledged by the collector in {time.monotonic() - started:.1f}s; waiting for ClickHouse…")
    ch = e2e.ClickHouse(args.clickhouse)
    id_list = ",".join(f"'{i}'" for i in ids)

    def loaded() -> int:
        return ch.scalar(f"SELECT uniqExact(event_id) FROM {args.database}.events WHERE toString(event_id) IN ({id_list})")

    try:
        e2e.wait_until("the demo's events in ClickHouse", lambda: loaded() >= len(ids), args.timeout, 0.5)
    except TimeoutError:
        print(f"[demo] only {loaded()} of {len(ids)} events reached ClickHouse within {args.timeout:.0f}s: "
              "see .stack/log/{enricher,loader}.log", file=sys.stderr)
        return 1
    print(f"[demo] all {len(ids)} events queryable in ClickHouse {time.monotonic() - started:.1f}s after the first was sent")
    report(ch, args.database, ids)
    return 0


if __name__ == "__main__":
    sys.exit(main())
