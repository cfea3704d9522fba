#!/usr/bin/env python3
"""Write uap-core's user-agent rules as a `regexes.yaml` file for the user-agent enrichment.

Usage: fetch-uap-rules.py OUTPUT_FOLDER

The rules come from the PyPI package `ua-parser-builtins` (uap-core's regexes.yaml compiled into Python
objects in `ua_parser_builtins/regexes.py`, which needs `ua-parser` to import). This script turns those
objects back into the regexes.yaml structure described by uap-core's specification: `user_agent_parsers`,
`os_parsers` and `device_parsers`, each entry a `regex`, an optional `regex_flag: 'i'` and the
`*_replacement` fields that are set. Order is preserved: the first matching rule wins.

Requirements (pip): ua-parser-builtins==202610, ua-parser==1.0.2, PyYAML==6.0.4.
"""

import os
import re
import sys
import tempfile


def fail(message):
    print(f"fetch-uap-rules: {message}", file=sys.stderr)
    sys.exit(1)


def entries(parsers, fields, with_flag):
    result = []
    for parser in parsers:
        entry = {"regex": parser.user_agent_re.pattern}
        if with_flag and parser.user_agent_re.flags & re.IGNORECASE:
            entry["regex_flag"] = "i"
        for attribute, key in fields:
            value = getattr(parser, attribute, None)
            if value is not None:
                entry[key] = str(value)
        result.append(entry)
    return result


def main():
    if len(sys.argv) != 2:
        fail("usage: fetch-uap-rules.py OUTPUT_FOLDER")
    folder = sys.argv[1]
    # ua_parser.user_agent_parser would load a YAML file named by this variable instead of the package's rules.
    os.environ.pop("UA_PARSER_YAML", None)
    try:
        import yaml
        # regexes.py imports ua_parser.user_agent_parser, which imports regexes.py back: importing the parser
        # module first lets that cycle complete.
        import ua_parser.user_agent_parser  # noqa: F401
        from ua_parser_builtins import regexes
    except ImportError as error:
        fail(f"{error}; install with: pip install ua-parser-builtins==202610 ua-parser==1.0.2 PyYAML==6.0.4")

    document = {
        "user_agent_parsers": entries(
            regexes.USER_AGENT_PARSERS,
            [("family_replacement", "family_replacement"), ("v1_replacement", "v1_replacement"),
             ("v2_replacement", "v2_replacement"), ("v3_replacement", "v3_replacement"),
             ("v4_replacement", "v4_replacement")],
            with_flag=False),
        "os_parsers": entries(
            regexes.OS_PARSERS,
            [("os_replacement", "os_replacement"), ("os_v1_replacement", "os_v1_replacement"),
             ("os_v2_replacement", "os_v2_replacement"), ("os_v3_replacement", "os_v3_replacement"),
             ("os_v4_replacement", "os_v4_replacement")],
            with_flag=False),
        "device_parsers": entries(
            regexes.DEVICE_PARSERS,
            [("device_replacement", "device_replacement"), ("brand_replacement", "brand_replacement"),
             ("model_replacement", "model_replacement")],
            with_flag=True),
    }
    for name, rules in document.items():
        if not rules:
            fail(f"{name} is empty in ua_parser_builtins: the package looks broken")

    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, "regexes.yaml")
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=float("inf"))
    # Write next to the target and rename, so a reader never sees a half-written file.
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".regexes.", suffix=".yaml")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write("# uap-core rules from the PyPI package ua-parser-builtins, written by scripts/fetch-uap-rules.py\n")
        out.write(text)
    os.chmod(temporary, 0o644)
    os.replace(temporary, target)
    counts = ", ".join(f"{len(rules)} {name}" for name, rules in document.items())
    print(f"fetch-uap-rules: wrote {target} ({counts})", file=sys.stderr)


if __name__ == "__main__":
    main()
