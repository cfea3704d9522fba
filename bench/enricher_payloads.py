#!/usr/bin/env python3
"""Writes N collector payloads, as the collector's log lines (base64 of the Thrift CollectorPayload per
line), with a realistic mix for `make bench-enricher` and the enricher's tests.

Usage: enricher_payloads.py N OUTPUT [SEED]

Mix (per payload): 45% GET page views, 20% GET page pings, 10% GET structured events, 15% POST
batches of 1-5 self-describing events (link clicks, screen views) with contexts, 5% transactions with
two items (GET), 5% page views without a tracker `ua` override from mobile browsers; 24 real user
agents (desktop, mobile, bots), referers from search engines (with terms), social sites, e-mail,
internal pages, campaigns with utm_* and gclid, direct traffic; ~5000 visitors with stable
domain/network user ids and public IPv4/IPv6 addresses. Thrift encoding by the `thrift` library.
"""
import base64, json, random, sys, uuid
from urllib.parse import quote

from thrift.Thrift import TType
from thrift.protocol import TBinaryProtocol
from thrift.transport import TTransport

FIELDS = [(31337, 'schema', TType.STRING), (100, 'ipAddress', TType.STRING), (200, 'timestamp', TType.I64),
          (210, 'encoding', TType.STRING), (220, 'collector', TType.STRING), (300, 'userAgent', TType.STRING),
          (310, 'refererUri', TType.STRING), (320, 'path', TType.STRING), (330, 'querystring', TType.STRING),
          (340, 'body', TType.STRING), (350, 'headers', TType.LIST), (360, 'contentType', TType.STRING),
          (400, 'hostname', TType.STRING), (410, 'networkUserId', TType.STRING)]
SPEC = [None] * 31338
for fid, name, ttype in FIELDS:
    SPEC[fid] = (fid, ttype, name, (TType.STRING, 'UTF8', False) if ttype == TType.LIST else ('UTF8' if ttype == TType.STRING else None), None)
SPEC = tuple(SPEC)


class Payload:
    thrift_spec = SPEC

    def __init__(self, **values):
        for _, name, _ in FIELDS:
            setattr(self, name, values.get(name))


def encode(payload):
    buffer = TTransport.TMemoryBuffer()
    TBinaryProtocol.TBinaryProtocol(buffer).writeStruct(payload, SPEC)
    return buffer.getvalue()


USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; Redmi Note 11) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; Win64; x64; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (Linux; Android 14; SM-A546B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36 Instagram 357.0.0.25.101 Android",
    "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "python-requests/2.32.3",
    "curl/8.5.0",
]
REFERERS = [
    None, None, None,
    "https://www.google.com/search?q={term}&hl=en", "https://www.google.de/search?q={term}", "https://www.bing.com/search?q={term}&form=QBLH",
    "https://duckduckgo.com/?q={term}", "https://search.yahoo.com/search?p={term}",
    "https://www.facebook.com/", "https://t.co/abc123", "https://www.linkedin.com/feed/", "https://www.reddit.com/r/shoes/",
    "https://mail.google.com/mail/u/0/", "https://outlook.live.com/mail/0/inbox",
    "https://shop.example.com/", "https://shop.example.com/products", "https://blog.example.org/best-shoes-2026",
]
TERMS = ["blue shoes", "running shoes sale", "shop example", "leather boots", "sneakers größe 44"]
PAGES = ["/", "/products", "/products/blue-shoes", "/products/red-boots", "/cart", "/checkout", "/blog/how-to-choose", "/about"]
CAMPAIGNS = ["", "", "", "?utm_source=newsletter&utm_medium=email&utm_campaign=winter",
             "?utm_source=google&utm_medium=cpc&utm_term=shoes&gclid=EAIaIQobChMI", "?utm_source=facebook&utm_medium=social&utm_content=carousel",
             "?msclkid=abc123def", "?ref=partner&_sp=9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d.1764201600000"]


def main():
    n = int(sys.argv[1])
    output = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    visitors = []
    for _ in range(5000):
        if rng.random() < 0.15:
            ip = "2a02:%x:%x::%x" % (rng.randrange(0x100, 0xffff), rng.randrange(0xffff), rng.randrange(0xffff))
        else:
            ip = "%d.%d.%d.%d" % (rng.choice([31, 46, 62, 78, 81, 89, 93, 109, 151, 185, 212, 217]), rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
        visitors.append({"duid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "nuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                         "sid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "ua": rng.choice(USER_AGENTS), "ip": ip, "vid": rng.randrange(1, 20)})
    now = 1764201600000
    with open(output, "w") as out:
        for i in range(n):
            v = rng.choice(visitors)
            t = now + i * 7
            page = "https://shop.example.com" + rng.choice(PAGES) + rng.choice(CAMPAIGNS)
            referer = rng.choice(REFERERS)
            if referer:
                referer = referer.format(term=quote(rng.choice(TERMS)))
            common = {"tv": "js-3.24.0", "tna": "sp", "aid": "shop", "p": "web", "tz": "Europe/Berlin", "lang": "de-DE", "cs": "UTF-8",
                      "res": "1920x1080", "vp": "1280x720", "ds": "1280x3000", "cd": "24", "cookie": "1", "duid": v["duid"], "sid": v["sid"],
                      "vid": str(v["vid"]), "url": page, "page": "Example Shop", "dtm": str(t - rng.randrange(5, 500)), "stm": str(t - 2)}
            if referer:
                common["refr"] = referer
            headers = ["Host: collector.example.com", "User-Agent: " + v["ua"], "X-Forwarded-For: " + v["ip"],
                       "Cookie: sp=" + v["nuid"] + "; _sp_id.1fff=" + v["duid"] + ".1764000000.3", "Accept-Language: de-DE,de;q=0.9"]
            kind = rng.random()
            path, query, body, content_type = "/i", None, None, None
            if kind < 0.45:
                params = dict(common, e="pv", eid=str(uuid.UUID(int=rng.getrandbits(128), version=4)))
            elif kind < 0.65:
                params = dict(common, e="pp", pp_mix="0", pp_max=str(rng.randrange(1000)), pp_miy="0", pp_may=str(rng.randrange(5000)),
                              eid=str(uuid.UUID(int=rng.getrandbits(128), version=4)))
            elif kind < 0.75:
                params = dict(common, e="se", se_ca="ecommerce", se_ac=rng.choice(["add-to-cart", "view", "wishlist"]), se_la="blue-shoes",
                              se_va=str(rng.randrange(1, 300)) + ".99", eid=str(uuid.UUID(int=rng.getrandbits(128), version=4)))
            elif kind < 0.90:
                events = []
                for _ in range(rng.randrange(1, 6)):
                    sdj = {"schema": "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0",
                           "data": rng.choice([
                               {"schema": "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1",
                                "data": {"targetUrl": "https://shop.example.com" + rng.choice(PAGES), "elementId": "nav"}},
                               {"schema": "iglu:com.snowplowanalytics.snowplow/screen_view/jsonschema/1-0-0",
                                "data": {"name": "Home", "id": str(uuid.UUID(int=rng.getrandbits(128), version=4))}}])}
                    ctx = {"schema": "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0",
                           "data": [{"schema": "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0",
                                     "data": {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4))}}]}
                    events.append(dict(common, e="ue", ue_pr=json.dumps(sdj, separators=(",", ":")), co=json.dumps(ctx, separators=(",", ":")),
                                       eid=str(uuid.UUID(int=rng.getrandbits(128), version=4)), stm=str(t)))
                body = json.dumps({"schema": "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", "data": events}, separators=(",", ":"))
                path, content_type = "/com.snowplowanalytics.snowplow/tp2", "application/json; charset=utf-8"
                params = None
            elif kind < 0.95:
                order = "o-%d" % i
                params = dict(common, e="tr", tr_id=order, tr_af="web", tr_tt="129.90", tr_tx="20.74", tr_sh="4.95", tr_ci="Berlin", tr_co="DE",
                              tr_cu="EUR", eid=str(uuid.UUID(int=rng.getrandbits(128), version=4)))
            else:
                params = dict(common, e="pv", eid=str(uuid.UUID(int=rng.getrandbits(128), version=4)), ua=rng.choice(USER_AGENTS[7:14]))
            if params is not None:
                query = "&".join(k + "=" + quote(str(val), safe="") for k, val in params.items())
            if content_type:
                headers.append(content_type)
            payload = Payload(schema="iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-0", ipAddress="10.0.0.1", timestamp=t,
                              encoding="UTF-8", collector="ssc-3.4.0-kafkasink", userAgent=v["ua"], refererUri=referer, path=path,
                              querystring=query, body=body, headers=headers, contentType=content_type, hostname="collector.example.com",
                              networkUserId=v["nuid"])
            out.write(base64.b64encode(encode(payload)).decode("ascii") + "\n")


if __name__ == "__main__":
    main()
