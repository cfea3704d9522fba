"""Writes N collector-payload log lines (the collector's framing: base64 of a Thrift TBinaryProtocol
CollectorPayload, one per line) for bench/shipper.sh: realistic page views, each with its own network
user id and a sequence number in the querystring. Usage: shipper_payloads.py PATH N"""
import base64, struct, sys, uuid

def field_string(fid, text):
    data = text.encode()
    return struct.pack(">bhi", 11, fid, len(data)) + data

def payload(n, nuid):
    query = ("e=pv&url=https%3A%2F%2Fshop.example.com%2Fproducts%2Fblue-shoes&page=Blue%20Shoes&tv=js-3.24.0"
             f"&tna=sp&aid=shop&p=web&res=1920x1080&cd=24&cookie=1&eid={uuid.UUID(int=n)}&dtm=1764201600000&vp=1280x720&n={n}")
    headers = ["Host: collector.example.com", "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0",
               "Referer: https://shop.example.com/products/blue-shoes", f"Cookie: sp={nuid}"]
    out = field_string(100, "203.0.113.7") + struct.pack(">bhq", 10, 200, 1764201600000 + n)
    out += field_string(210, "UTF-8") + field_string(220, "freshet-collector-0.1.0")
    out += field_string(300, "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0") + field_string(310, "https://shop.example.com/")
    out += field_string(320, "/i") + field_string(330, query)
    out += struct.pack(">bhbi", 15, 350, 11, len(headers)) + b"".join(struct.pack(">i", len(h)) + h.encode() for h in headers)
    out += field_string(400, "collector.example.com") + field_string(410, nuid)
    out += field_string(31337, "iglu:com.snowplowanalytics.snowplow/CollectorPayload/thrift/1-0-0") + b"\x00"
    return out

path, count = sys.argv[1], int(sys.argv[2])
visitors = [str(uuid.UUID(int=(i * 7919 + 1) << 64 | i, version=4)) for i in range(1000)]
with open(path, "wb") as f:
    lines = []
    for n in range(count):
        lines.append(base64.b64encode(payload(n, visitors[n % len(visitors)])) + b"\n")
        if len(lines) == 10000:
            f.writelines(lines); lines = []
    f.writelines(lines)
