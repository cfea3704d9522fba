#!/usr/bin/env python3
"""End-to-end test: Snowplow's official Python tracker → collector → shipper → enricher → loader →
ClickHouse, the four built executables as real processes on the local stack (their own topics, Redis
key prefix, consumer groups and ClickHouse database, removed afterwards).

Every event type the tracker has (page view, page ping, structured, self-describing with contexts,
ecommerce transaction and item, screen view) is sent by GET and by POST; every event the collector
acknowledged must be in ClickHouse exactly once with:
  - the fields the tracker sent (event type, URLs, ids, structured fields, transaction fields, contexts);
  - the IP address from X-Forwarded-For and its geo fields as MaxMind's own reader (`maxminddb`) finds
    them in the same GeoLite2 City database;
  - the user agent's family and OS as uap-core's Python parser (`ua-parser`) finds them;
  - referer medium/source/term as Snowplow's Python referer-parser finds them; campaign fields from the
    page URL's utm_* parameters;
  - the visitor: the domain user id, one network user id per visitor (the collector's cookie), and the
    enricher's visitor/session fields (visitor id, per-visitor event counts 1..n, one server-side
    session per visitor).
No bad rows. Exit status 0 when everything holds; every failed check is printed.

Usage: scripts/e2e/test_tracker.py   (after `eval "$(scripts/stack.sh env)"` and a build)
"""

from __future__ import annotations

import base64
import calendar
import json
import random
import shutil
import sys
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import freshet_e2e as e2e  # noqa: E402
import traffic  # noqa: E402

EVENT_NAMES = {"pv": "page_view", "pp": "page_ping", "se": "struct", "ue": "unstruct", "tr": "transaction", "ti": "transaction_item"}


class Checks:
    def __init__(self):
        self.failures: list[str] = []
        self.count = 0

    def equal(self, what: str, actual, expected):
        self.count += 1
        if actual != expected:
            self.failures.append(f"{what}: got {actual!r}, expected {expected!r}")


def self_describing(payload: dict, plain: str, encoded: str):
    if payload.get(plain):
        return json.loads(payload[plain])
    if payload.get(encoded):
        text = payload[encoded]
        return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    return None


def main() -> int:
    e2e.check_runtime()
    import maxminddb
    import ua_parser
    from referer_parser import Referer

    stack = e2e.local_stack()
    work = e2e.workdir("tracker-e2e")
    started = time.monotonic()
    pipeline = e2e.Pipeline(**stack, workdir=work)
    checks = Checks()
    try:
        pipeline.create_topics()
        pipeline.start_all()
        e2e.log(f"pipeline up ({time.monotonic() - started:.1f}s): collector {pipeline.collector_url}, database {pipeline.database}")

        rng = random.Random(8)
        visitors = []
        for i in range(8):  # GET and POST alternately; every user agent and several countries
            visitor = traffic.Visitor(pipeline.collector_url, "get" if i % 2 == 0 else "post", random.Random(rng.getrandbits(64)),
                                      ip=traffic.IP_ADDRESSES[i], user_agent=traffic.USER_AGENTS[i % len(traffic.USER_AGENTS)])
            for _ in range(2):
                visitor.visit(ecommerce=True, screen_view=True)
            visitors.append(visitor)
        for visitor in visitors:
            visitor.drain()
        sent = {p["eid"]: (v, p) for v in visitors for p in v.acknowledged}
        by_method = defaultdict(set)
        for visitor, payload in sent.values():
            by_method[visitor.method].add(payload["e"] if payload["e"] != "ue" else self_describing(payload, "ue_pr", "ue_px")["data"]["schema"])
        e2e.log(f"tracker: {len(sent)} events acknowledged; GET types {sorted(by_method['get'])}; POST types {sorted(by_method['post'])}")
        for method in ("get", "post"):
            for kind in ("pv", "pp", "se", "tr", "ti", traffic.LINK_CLICK, "iglu:com.snowplowanalytics.mobile/screen_view/jsonschema/1-0-0"):
                checks.equal(f"{method.upper()} sent a {kind}", kind in by_method[method], True)

        db = pipeline.database
        e2e.wait_until("every acknowledged event in ClickHouse", lambda: pipeline.events_loaded() >= len(sent), 180, 0.5)
        loaded = pipeline.clickhouse.scalar(f"SELECT count() FROM {db}.events FINAL")
        distinct = pipeline.events_loaded()
        checks.equal("rows (FINAL)", loaded, len(sent))
        checks.equal("distinct event ids", distinct, len(sent))
        rows = {r["event_id"]: r for r in pipeline.clickhouse.rows(f"SELECT * FROM {db}.events FINAL")}
        checks.equal("the event ids in ClickHouse are the acknowledged ones", set(rows), set(sent))
        bad = pipeline.clickhouse.rows(f"SELECT type, message FROM {db}.bad_rows FINAL")
        checks.equal("bad rows", bad, [])

        geo = maxminddb.open_database(Path(e2e.enrichment_assets()) / "GeoLite2-City.mmdb")
        network_ids = defaultdict(set)
        sessions = defaultdict(set)
        counts = defaultdict(list)
        for eid, (visitor, p) in sent.items():
            row = rows.get(eid)
            if row is None:
                continue
            tag = f"{eid} ({visitor.method} {p['e']})"
            checks.equal(f"{tag} event", row["event"], EVENT_NAMES[p["e"]])
            checks.equal(f"{tag} app_id", row["app_id"], "shop")
            checks.equal(f"{tag} platform", row["platform"], "web")
            checks.equal(f"{tag} name_tracker", row["name_tracker"], "freshet-demo")
            checks.equal(f"{tag} domain_userid", row["domain_userid"], visitor.domain_user_id)
            checks.equal(f"{tag} domain_sessionid", row["domain_sessionid"], p["sid"])
            checks.equal(f"{tag} domain_sessionidx", row["domain_sessionidx"], int(p["vid"]))
            checks.equal(f"{tag} dvce_created_tstamp", calendar.timegm(time.strptime(row["dvce_created_tstamp"], "%Y-%m-%d %H:%M:%S")) * 1000 + int(row.get("dvce_created_tstamp_ms", 0)), int(p["dtm"]))
            # IP from X-Forwarded-For, geo as MaxMind's reader sees it.
            checks.equal(f"{tag} user_ipaddress", row["user_ipaddress"], visitor.ip)
            record = geo.get(visitor.ip) or {}
            checks.equal(f"{tag} geo_country", row["geo_country"], record.get("country", {}).get("iso_code", ""))
            checks.equal(f"{tag} geo_city", row["geo_city"], record.get("city", {}).get("names", {}).get("en", ""))
            # Snowplow's IP lookup takes the most specific subdivision (the last one).
            checks.equal(f"{tag} geo_region", row["geo_region"], (record.get("subdivisions") or [{}])[-1].get("iso_code", ""))
            checks.equal(f"{tag} geo_timezone", row["geo_timezone"], record.get("location", {}).get("time_zone", ""))
            # User agent, parsed by uap-core's Python parser.
            ua = ua_parser.parse(visitor.user_agent)
            checks.equal(f"{tag} useragent", row["useragent"], visitor.user_agent)
            checks.equal(f"{tag} ua_family", row["ua_family"], ua.user_agent.family if ua.user_agent else "Other")
            checks.equal(f"{tag} ua_os_family", row["ua_os_family"], ua.os.family if ua.os else "Other")
            checks.equal(f"{tag} br_lang", row["br_lang"], "en-GB")
            checks.equal(f"{tag} dvce_screenwidth", row["dvce_screenwidth"], 1920)
            if p["e"] in ("pv", "pp"):
                url = p["url"]
                checks.equal(f"{tag} page_url", row["page_url"], url)
                parts = urllib.parse.urlsplit(url)
                checks.equal(f"{tag} page_urlpath", row["page_urlpath"], parts.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                checks.equal(f"{tag} mkt_source", row["mkt_source"], query.get("utm_source", ""))
                checks.equal(f"{tag} mkt_medium", row["mkt_medium"], query.get("utm_medium", ""))
                checks.equal(f"{tag} mkt_campaign", row["mkt_campaign"], query.get("utm_campaign", ""))
                checks.equal(f"{tag} mkt_term", row["mkt_term"], query.get("utm_term", ""))
                referrer = p.get("refr")
                checks.equal(f"{tag} page_referrer", row["page_referrer"], referrer or "")
                if referrer:
                    ref = Referer(referrer, url)
                    checks.equal(f"{tag} refr_medium", row["refr_medium"], ref.medium if ref.medium != "internal" else "internal")
                    checks.equal(f"{tag} refr_source", row["refr_source"], ref.referer or "")
                    checks.equal(f"{tag} refr_term", row["refr_term"], ref.search_term or "")
                    checks.equal(f"{tag} refr_urlhost", row["refr_urlhost"], urllib.parse.urlsplit(referrer).hostname)
            if p["e"] == "pp":
                checks.equal(f"{tag} pp_yoffset_max", row["pp_yoffset_max"], int(p["pp_may"]))
            if p["e"] == "se":
                checks.equal(f"{tag} se fields", (row["se_category"], row["se_action"], row["se_label"], row["se_property"]),
                             (p["se_ca"], p["se_ac"], p["se_la"], p["se_pr"]))
                checks.equal(f"{tag} se_value", float(row["se_value"]), float(p["se_va"]))
            if p["e"] == "ue":
                sent_event = self_describing(p, "ue_pr", "ue_px")["data"]
                stored = json.loads(row["unstruct_event"])["data"]
                checks.equal(f"{tag} unstruct_event", stored, sent_event)
                checks.equal(f"{tag} event_name", row["event_name"], sent_event["schema"].split("/")[1])
            if p["e"] == "tr":
                checks.equal(f"{tag} tr fields", (row["tr_orderid"], float(row["tr_total"]), float(row["tr_tax"]), row["tr_currency"]),
                             (p["tr_id"], float(p["tr_tt"]), float(p["tr_tx"]), p["tr_cu"]))
            if p["e"] == "ti":
                checks.equal(f"{tag} ti fields", (row["ti_orderid"], row["ti_sku"], float(row["ti_price"]), int(row["ti_quantity"])),
                             (p["ti_id"], p["ti_sk"], float(p["ti_pr"]), int(p["ti_qu"])))
            sent_contexts = self_describing(p, "co", "cx")
            if sent_contexts:
                checks.equal(f"{tag} contexts", json.loads(row["contexts"])["data"], sent_contexts["data"])
            # The visitor: the collector's cookie and the enricher's profile.
            checks.equal(f"{tag} network_userid set", bool(row["network_userid"]), True)
            network_ids[visitor.domain_user_id].add(row["network_userid"])
            checks.equal(f"{tag} visitor_id", row["visitor_id"], visitor.domain_user_id)
            sessions[visitor.domain_user_id].add(row["visitor_session_id"])
            counts[visitor.domain_user_id].append(int(row["visitor_event_count"]))
            checks.equal(f"{tag} visitor_visit_count", int(row["visitor_visit_count"]), 1)
        for visitor in visitors:
            vid = visitor.domain_user_id
            checks.equal(f"visitor {vid}: one network user id (the collector's cookie came back)", len(network_ids[vid]), 1)
            checks.equal(f"visitor {vid}: one server-side session", len(sessions[vid]) == 1 and "" not in sessions[vid], True)
            checks.equal(f"visitor {vid}: event counts 1..n", sorted(counts[vid]), list(range(1, len(visitor.acknowledged) + 1)))
        # The oracles' answers were not all empty: the enrichments really ran.
        values = list(rows.values())
        checks.equal("countries found", len({r["geo_country"] for r in values if r["geo_country"]}) >= 5, True)
        checks.equal("cities found", any(r["geo_city"] for r in values), True)
        checks.equal("search referers", any(r["refr_medium"] == "search" and r["refr_term"] for r in values), True)
        checks.equal("campaigns", any(r["mkt_campaign"] for r in values), True)
        checks.equal("browsers", len({r["ua_family"] for r in values}) >= 5, True)
        checks.equal("distinct network user ids", len({next(iter(s)) for s in network_ids.values() if s}), len(visitors))
        statuses = pipeline.stop_all()
        checks.equal("every service exits 0 on SIGTERM", statuses, {"collector": 0, "shipper": 0, "enricher": 0, "loader": 0})
    finally:
        pipeline.close()
        if not checks.failures:
            pipeline.drop()
            shutil.rmtree(work, ignore_errors=True)
    for failure in checks.failures[:60]:
        print("FAIL", failure)
    e2e.log(f"{checks.count} checks, {len(checks.failures)} failed, {time.monotonic() - started:.1f}s; logs in {work}")
    return 1 if checks.failures else 0


if __name__ == "__main__":
    sys.exit(main())
