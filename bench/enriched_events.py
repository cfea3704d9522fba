#!/usr/bin/env python3
"""Realistic Snowplow enriched events (131-column TSV) for the loader's benchmark.

    enriched_events.py --count N --output FILE              write N lines to FILE
    enriched_events.py --count N --produce TOPIC --brokers B produce N records to Kafka (confluent-kafka)

Events look like what the enricher emits for a web site: page views (most), page pings, structured and
self-describing events; 5 apps, ~N/20 visitors, sessions, real user agents with their ua_parser_context,
referers, campaigns, geo fields, a web_page context and the io.freshet/visitor derived context.
Deterministic for a given --seed.
"""
import argparse, json, random, sys, uuid
from datetime import datetime, timedelta, timezone

FIELDS = """app_id platform etl_tstamp collector_tstamp dvce_created_tstamp event event_id txn_id name_tracker
v_tracker v_collector v_etl user_id user_ipaddress user_fingerprint domain_userid domain_sessionidx network_userid
geo_country geo_region geo_city geo_zipcode geo_latitude geo_longitude geo_region_name ip_isp ip_organization
ip_domain ip_netspeed page_url page_title page_referrer page_urlscheme page_urlhost page_urlport page_urlpath
page_urlquery page_urlfragment refr_urlscheme refr_urlhost refr_urlport refr_urlpath refr_urlquery refr_urlfragment
refr_medium refr_source refr_term mkt_medium mkt_source mkt_term mkt_content mkt_campaign contexts se_category
se_action se_label se_property se_value unstruct_event tr_orderid tr_affiliation tr_total tr_tax tr_shipping tr_city
tr_state tr_country ti_orderid ti_sku ti_name ti_category ti_price ti_quantity pp_xoffset_min pp_xoffset_max
pp_yoffset_min pp_yoffset_max useragent br_name br_family br_version br_type br_renderengine br_lang br_features_pdf
br_features_flash br_features_java br_features_director br_features_quicktime br_features_realplayer
br_features_windowsmedia br_features_gears br_features_silverlight br_cookies br_colordepth br_viewwidth br_viewheight
os_name os_family os_manufacturer os_timezone dvce_type dvce_ismobile dvce_screenwidth dvce_screenheight doc_charset
doc_width doc_height tr_currency tr_total_base tr_tax_base tr_shipping_base ti_currency ti_price_base base_currency
geo_timezone mkt_clickid mkt_network etl_tags dvce_sent_tstamp refr_domain_userid refr_dvce_tstamp derived_contexts
domain_sessionid derived_tstamp event_vendor event_name event_format event_version event_fingerprint true_tstamp""".split()
assert len(FIELDS) == 131

AGENTS = [
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
     ("Chrome", "120", "0", "0", "Windows", "10", None, None, None, "Other", "Computer")),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
     ("Safari", "17", "1", None, "Mac OS X", "10", "15", "7", None, "Mac", "Computer")),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
     ("Mobile Safari", "17", "1", None, "iOS", "17", "1", None, None, "iPhone", "Mobile")),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36",
     ("Chrome Mobile", "119", "0", "0", "Android", "14", None, None, None, "Pixel 8", "Mobile")),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
     ("Firefox", "121", "0", None, "Ubuntu", None, None, None, None, "Other", "Computer")),
]
COUNTRIES = [("DE", "BE", "Berlin", "10115", 52.52, 13.405, "Europe/Berlin"), ("US", "CA", "San Francisco", "94103", 37.7749, -122.4194, "America/Los_Angeles"),
             ("FR", "IDF", "Paris", "75001", 48.8566, 2.3522, "Europe/Paris"), ("GB", "ENG", "London", "EC1A", 51.5072, -0.1276, "Europe/London"),
             ("JP", "13", "Tokyo", "100-0001", 35.6762, 139.6503, "Asia/Tokyo")]
PAGES = ["/", "/pricing", "/docs/getting-started", "/blog/2024/clickhouse-at-scale", "/product/analytics", "/about", "/contact", "/docs/api/v2/events"]
REFERERS = [(None, None, None, None), ("https", "www.google.com", "search", "Google"), ("https", "t.co", "social", "Twitter"),
            ("https", "news.ycombinator.com", "unknown", None), ("https", "www.bing.com", "search", "Bing")]
CAMPAIGNS = [None, ("newsletter", "email", "winter_sale"), ("google", "cpc", "brand")]


def ts(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def sdj(schema, data):
    return {"schema": schema, "data": data}


def events(count, seed):
    rng = random.Random(seed)
    start = datetime(2025, 3, 1, tzinfo=timezone.utc)
    visitors = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(max(1, count // 20))]
    for index in range(count):
        row = dict.fromkeys(FIELDS)
        collector = start + timedelta(milliseconds=index * 37 + rng.randrange(1000))
        visitor = rng.choice(visitors)
        agent, ua = rng.choice(AGENTS)
        country = rng.choice(COUNTRIES)
        page = rng.choice(PAGES)
        referer = rng.choice(REFERERS)
        campaign = rng.choice(CAMPAIGNS)
        kind = rng.choices(["page_view", "page_ping", "struct", "unstruct"], [70, 20, 5, 5])[0]
        session = str(uuid.UUID(int=hash((visitor, index // 500)) & ((1 << 128) - 1), version=4))
        row.update(app_id=f"site-{rng.randrange(5)}", platform="web", etl_tstamp=ts(collector + timedelta(seconds=2)),
                   collector_tstamp=ts(collector), dvce_created_tstamp=ts(collector - timedelta(milliseconds=120)),
                   event=kind, event_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), txn_id=str(rng.randrange(1000000)),
                   name_tracker="sp", v_tracker="js-3.17.0", v_collector="freshet-collector-0.1.0", v_etl="freshet-enricher-0.1.0",
                   user_ipaddress=f"203.0.113.{rng.randrange(256)}", domain_userid=visitor, domain_sessionidx=str(rng.randrange(1, 40)),
                   network_userid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                   geo_country=country[0], geo_region=country[1], geo_city=country[2], geo_zipcode=country[3],
                   geo_latitude=str(country[4]), geo_longitude=str(country[5]), geo_timezone=country[6],
                   page_url=f"https://www.example.com{page}?ref=home", page_title=f"Example — {page}", page_urlscheme="https",
                   page_urlhost="www.example.com", page_urlport="443", page_urlpath=page, page_urlquery="ref=home",
                   useragent=agent, br_lang="en-US", br_features_pdf="1", br_cookies="1", br_colordepth="24",
                   br_viewwidth=str(rng.choice([1280, 1440, 390])), br_viewheight=str(rng.choice([720, 900, 844])),
                   os_timezone=country[6], dvce_screenwidth="1920", dvce_screenheight="1080", doc_charset="UTF-8",
                   doc_width="1280", doc_height=str(rng.randrange(900, 6000)), dvce_sent_tstamp=ts(collector - timedelta(milliseconds=20)),
                   domain_sessionid=session, derived_tstamp=ts(collector - timedelta(milliseconds=100)),
                   event_fingerprint=f"{rng.getrandbits(128):032x}")
        if referer[0]:
            row.update(page_referrer=f"{referer[0]}://{referer[1]}/", refr_urlscheme=referer[0], refr_urlhost=referer[1],
                       refr_urlport="443", refr_urlpath="/", refr_medium=referer[2], refr_source=referer[3])
        if campaign:
            row.update(mkt_source=campaign[0], mkt_medium=campaign[1], mkt_campaign=campaign[2])
        if kind == "page_ping":
            row.update(pp_xoffset_min="0", pp_xoffset_max="0", pp_yoffset_min=str(rng.randrange(0, 500)), pp_yoffset_max=str(rng.randrange(500, 3000)))
        if kind == "struct":
            row.update(se_category="video", se_action="play", se_label="intro", se_value=f"{rng.randrange(1, 600)}.5")
        if kind == "unstruct":
            row.update(unstruct_event=json.dumps(sdj("iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
                       sdj("iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1", {"targetUrl": "https://example.org/out", "elementId": "cta"})), separators=(",", ":")),
                       event_vendor="com.snowplowanalytics.snowplow", event_name="link_click", event_format="jsonschema", event_version="1-0-1")
        else:
            row.update(event_vendor="com.snowplowanalytics.snowplow", event_name=kind, event_format="jsonschema", event_version="1-0-0")
        row["contexts"] = json.dumps(sdj("iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0",
                                         [sdj("iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0", {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4))})]), separators=(",", ":"))
        keys = ["useragentFamily", "useragentMajor", "useragentMinor", "useragentPatch", "osFamily", "osMajor", "osMinor", "osPatch", "osPatchMinor", "deviceFamily"]
        ua_data = dict(zip(keys, ua[:10]))
        ua_data["useragentVersion"] = " ".join(x for x in [ua[0], ".".join(x for x in ua[1:4] if x)] if x)
        ua_data["osVersion"] = " ".join(x for x in [ua[4], ".".join(x for x in ua[5:9] if x)] if x)
        first = collector - timedelta(days=rng.randrange(0, 30))
        derived = [sdj("iglu:com.snowplowanalytics.snowplow/ua_parser_context/jsonschema/1-0-0", ua_data),
                   sdj("iglu:io.freshet/visitor/jsonschema/1-0-0", {
                       "visitorId": visitor, "firstSeen": iso(first), "lastSeen": iso(collector), "eventCount": rng.randrange(1, 500),
                       "pageViewCount": rng.randrange(1, 200), "visitCount": rng.randrange(1, 30), "sessionId": session,
                       "sessionIndex": rng.randrange(1, 30), "sessionStartedAt": iso(collector - timedelta(minutes=rng.randrange(0, 29))),
                       "firstTouch": {"medium": "search", "source": "Google", "campaign": None},
                       "lastTouch": {"medium": referer[2] or "direct", "source": referer[3], "campaign": campaign[2] if campaign else None}})]
        row["derived_contexts"] = json.dumps(sdj("iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1", derived), separators=(",", ":"))
        row["br_family"], row["os_family"], row["dvce_type"] = ua[0], ua[4], ua[10]
        yield "\t".join("" if row[name] is None else row[name] for name in FIELDS)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output")
    parser.add_argument("--produce")
    parser.add_argument("--brokers", default="127.0.0.1:9092")
    args = parser.parse_args()
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            for line in events(args.count, args.seed):
                out.write(line + "\n")
    if args.produce:
        from confluent_kafka import Producer
        producer = Producer({"bootstrap.servers": args.brokers, "linger.ms": 20, "batch.num.messages": 10000,
                             "queue.buffering.max.messages": 200000, "compression.type": "lz4"})
        source = open(args.output, encoding="utf-8") if args.output else (line + "\n" for line in events(args.count, args.seed))
        for number, line in enumerate(source):
            while True:
                try:
                    producer.produce(args.produce, line.rstrip("\n").encode("utf-8"))
                    break
                except BufferError:
                    producer.poll(0.05)
            if number % 10000 == 0:
                producer.poll(0)
        remaining = producer.flush(60)
        if remaining:
            sys.exit(f"{remaining} records not delivered")


if __name__ == "__main__":
    main()
