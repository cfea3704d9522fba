#!/usr/bin/env python3
"""The live progress line of `make run`: requests the collector recorded, events the enricher read,
enriched and sent to bad, events the loader inserted into ClickHouse — read from the services'
/metrics every second (on a terminal, one line rewritten in place; otherwise a line every 10 s when
something changed). Counters start at 0 when a service restarts.

Usage: scripts/e2e/progress.py [collector_admin_port shipper_admin_port enricher_admin_port loader_admin_port]
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import freshet_e2e as e2e  # noqa: E402


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    ports = [int(p) for p in sys.argv[1:5]] or [9100, 9101, 9102, 9103]
    admin = dict(zip(("collector", "shipper", "enricher", "loader"), ports))
    tty = sys.stdout.isatty()
    last, last_print = None, 0.0
    while True:
        p = e2e.progress(admin)
        line = (f"received {p['requests']:.0f} requests · {p['events']:.0f} events read by the enricher · "
                f"{p['enriched']:.0f} enriched · {p['bad']:.0f} bad · {p['loaded']:.0f} loaded into ClickHouse")
        now = time.monotonic()
        if tty:
            sys.stdout.write("\r\033[K[run] " + line)
            sys.stdout.flush()
        elif line != last and now - last_print >= 10:
            print("[run] " + line, flush=True)
            last, last_print = line, now
        time.sleep(1)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
