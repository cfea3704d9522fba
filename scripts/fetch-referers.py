#!/usr/bin/env python3
"""Copy the Snowplow referer database (referers.json) from the PyPI package referer-parser==0.4.1.

Usage: /work/main/.venv/bin/python scripts/fetch-referers.py OUTPUT_DIR

Installs referer-parser==0.4.1 into the running interpreter's environment when it is missing
(it is an sdist: pip builds it locally), then writes OUTPUT_DIR/referers.json.
"""
import json
import os
import shutil
import subprocess
import sys

PACKAGE = "referer-parser==0.4.1"


def locate():
    try:
        import referer_parser  # noqa: F401
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", PACKAGE])
        import referer_parser  # noqa: F401
    import importlib
    module = importlib.import_module("referer_parser")
    return os.path.join(os.path.dirname(module.__file__), "data", "referers.json")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: fetch-referers.py OUTPUT_DIR")
    out_dir = sys.argv[1]
    source = locate()
    with open(source, encoding="utf-8") as f:
        mediums = json.load(f)  # refuse to copy a damaged file
    if not isinstance(mediums, dict) or "search" not in mediums:
        sys.exit(f"{source} does not look like a referer database")
    os.makedirs(out_dir, exist_ok=True)
    target = os.path.join(out_dir, "referers.json")
    tmp = target + ".tmp"
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)
    domains = sum(len(e.get("domains", [])) for m in mediums.values() for e in m.values())
    print(f"wrote {target} ({len(mediums)} mediums, {domains} domains)")


if __name__ == "__main__":
    main()
