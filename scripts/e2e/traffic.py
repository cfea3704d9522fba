"""Realistic tracker traffic sent with Snowplow's official Python tracker (PyPI `snowplow-tracker`).

A `Visitor` is one browser: its own user agent and IP address (sent as the User-Agent and
X-Forwarded-For headers of a `requests.Session` the tracker's emitter uses, as a browser behind a
proxy would), its own domain user id and session, and an emitter sending GET (`/i`, one request per
event) or POST (`/com.snowplowanalytics.snowplow/tp2`, batches). `visit()` plays one visit: a landing
page view with a referer and campaign parameters, page pings, a structured event, a self-describing
event with contexts, sometimes an ecommerce transaction with items and a screen view.

Every event the collector acknowledged (a 2xx) is recorded from the emitter's `on_success` callback
in `Visitor.acknowledged` (the payloads as sent), so a test knows exactly what must reach ClickHouse.
The emitter retries what failed (connection refused, 5xx) with exponential back-off up to
`max_retry_delay_seconds`; `Visitor.drain()` waits until nothing is left to send.

Threading: a Visitor is used by one thread; the emitter's retry timer runs on a thread of its own and
the callbacks only append to lists under `lock`.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
import warnings

import requests
from snowplow_tracker import Emitter, Subject, Tracker
from snowplow_tracker.events import PagePing, PageView, ScreenView, SelfDescribing, StructuredEvent
from snowplow_tracker.self_describing_json import SelfDescribingJson

warnings.filterwarnings("ignore", category=DeprecationWarning)
# The tracker logs every request at INFO and every failed one (retried) at WARNING.
logging.getLogger("snowplow_tracker").setLevel(logging.ERROR)
logging.getLogger("snowplow_tracker.emitters").setLevel(logging.ERROR)

USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
]

# Public addresses in different countries (looked up in GeoLite2 City by the enricher).
IP_ADDRESSES = ["81.2.69.160", "8.8.8.8", "89.160.20.112", "2.125.160.216", "216.160.83.56", "5.9.0.1",
                "151.101.1.69", "200.160.2.3", "133.11.0.1", "41.0.0.1", "24.24.24.24", "77.88.8.8"]

PAGES = [("https://shop.example.com/", "Home"), ("https://shop.example.com/products/kettle", "Kettle"),
         ("https://shop.example.com/products/teapot", "Teapot"), ("https://shop.example.com/blog/brewing-guide", "Brewing guide"),
         ("https://shop.example.com/cart", "Cart"), ("https://shop.example.com/about", "About us")]

# (referrer, landing query string): search, social, email campaign, paid search, direct.
ENTRANCES = [
    ("https://www.google.com/search?q=green+tea+kettle", ""),
    ("https://www.bing.com/search?q=teapot", ""),
    ("https://www.facebook.com/", "?utm_source=facebook&utm_medium=social&utm_campaign=spring_sale"),
    ("https://mail.google.com/mail/u/0/", "?utm_source=newsletter&utm_medium=email&utm_campaign=march_digest&utm_content=header"),
    ("https://www.google.com/", "?utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=tea+shop&gclid=abc123"),
    (None, ""),
]

PRODUCT_CONTEXT = "iglu:com.example/product/jsonschema/1-0-0"
WEB_PAGE_CONTEXT = "iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0"
LINK_CLICK = "iglu:com.snowplowanalytics.snowplow/link_click/jsonschema/1-0-1"


class Visitor:
    def __init__(self, collector_url: str, method: str, rng: random.Random, *, app_id: str = "shop",
                 batch_size: int = 5, ip: str | None = None, user_agent: str | None = None,
                 max_retry_delay_seconds: int = 2, request_timeout: float = 5):
        self.rng = rng
        self.ip = ip or rng.choice(IP_ADDRESSES)
        self.user_agent = user_agent or rng.choice(USER_AGENTS)
        self.method = method
        self.lock = threading.Lock()
        self.acknowledged: list[dict] = []
        self.failures = 0
        session = requests.Session()
        session.headers.update({"User-Agent": self.user_agent, "X-Forwarded-For": self.ip})
        self.emitter = Emitter(collector_url, method=method, batch_size=1 if method == "get" else batch_size,
                               on_success=self._on_success, on_failure=self._on_failure,
                               max_retry_delay_seconds=max_retry_delay_seconds, request_timeout=request_timeout,
                               session=session)
        self.subject = Subject().set_platform("web").set_lang("en-GB").set_screen_resolution(1920, 1080) \
            .set_viewport(1280, 720).set_color_depth(24).set_timezone("Europe/London")
        self.domain_user_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        self.session_index = 0
        self.subject.set_domain_user_id(self.domain_user_id)
        self.tracker = Tracker("freshet-demo", self.emitter, subject=self.subject, app_id=app_id, encode_base64=rng.random() < 0.5)

    def _on_success(self, payloads):
        with self.lock:
            self.acknowledged.extend(dict(p) for p in payloads)

    def _on_failure(self, sent_count, unsent):
        with self.lock:
            self.failures += 1

    def new_session(self):
        self.session_index += 1
        self.subject.set_domain_session_id(str(uuid.UUID(int=self.rng.getrandbits(128), version=4)))
        self.subject.set_domain_session_index(self.session_index)

    def visit(self, *, ecommerce: bool | None = None, screen_view: bool | None = None) -> None:
        """One visit: landing page view (referer, campaign), pings, a structured and a self-describing
        event with contexts, more page views, maybe a transaction and a screen view."""
        rng = self.rng
        self.new_session()
        referrer, query = rng.choice(ENTRANCES)
        url, title = rng.choice(PAGES)
        web_page = SelfDescribingJson(WEB_PAGE_CONTEXT, {"id": str(uuid.uuid4())})
        self.tracker.track(PageView(page_url=url + query, page_title=title, referrer=referrer, context=[web_page]))
        for _ in range(rng.randint(1, 3)):
            self.tracker.track(PagePing(page_url=url + query, page_title=title, referrer=referrer,
                                        min_x=0, max_x=rng.randint(100, 1280), min_y=0, max_y=rng.randint(100, 4000)))
        product = SelfDescribingJson(PRODUCT_CONTEXT, {"sku": f"SKU-{rng.randint(1, 40)}", "price": round(rng.uniform(5, 90), 2)})
        self.tracker.track(StructuredEvent(category="video", action="play", label="brewing-tips", property_="hd",
                                           value=rng.randint(1, 300), context=[product, web_page]))
        next_url, next_title = rng.choice(PAGES)
        self.tracker.track(SelfDescribing(SelfDescribingJson(LINK_CLICK, {"targetUrl": next_url, "elementId": "nav"}),
                                          context=[web_page]))
        self.tracker.track(PageView(page_url=next_url, page_title=next_title, referrer=url + query))
        if ecommerce if ecommerce is not None else rng.random() < 0.3:
            order = f"order-{uuid.UUID(int=rng.getrandbits(128)).hex[:10]}"
            self.tracker.track_ecommerce_transaction(
                order_id=order, total_value=42.5, affiliation="web", tax_value=7.08, shipping=4.99, city="London",
                country="GB", currency="GBP",
                items=[{"sku": "SKU-7", "price": 18.75, "quantity": 2, "name": "Kettle", "category": "kitchen"}])
        if screen_view if screen_view is not None else rng.random() < 0.2:
            self.tracker.track(ScreenView(id_=str(uuid.uuid4()), name="checkout", type="modal"))

    def drain(self, timeout: float = 120) -> None:
        """Flushes and waits until every event was acknowledged (retries included)."""
        deadline = time.monotonic() + timeout
        while True:
            with self.emitter.lock:
                pending = self.emitter.event_store.size()
                retrying = self.emitter.retry_timer.is_active()
            if pending == 0 and not retrying:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{pending} events of a visitor still unsent after {timeout:.0f}s")
            if not retrying:
                self.emitter.flush()
            time.sleep(0.05)


def burst(collector_url: str, visitors: int = 12, visits_per_visitor: int = 2, seed: int = 1) -> list[Visitor]:
    """Sends a burst: `visitors` visitors (alternately GET and POST), each making a few visits."""
    rng = random.Random(seed)
    people = [Visitor(collector_url, "get" if i % 2 == 0 else "post", random.Random(rng.getrandbits(64)),
                      ip=IP_ADDRESSES[i % len(IP_ADDRESSES)], user_agent=USER_AGENTS[i % len(USER_AGENTS)])
              for i in range(visitors)]
    for _ in range(visits_per_visitor):
        for person in people:
            person.visit()
    for person in people:
        person.drain()
    return people
