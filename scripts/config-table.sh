#!/usr/bin/env bash
# Prints the configuration table of the four services — every option as its FRESHET_* environment
# variable, with the services taking it, its default and its meaning — generated from the built
# executables themselves (`<service> --experimental-dump-help`), so the README's table never drifts.
#
#   scripts/config-table.sh            # print the Markdown table
#   scripts/config-table.sh --update   # rewrite the table between the markers in README.md
#
# Uses .build/${FRESHET_BUILD_CONFIGURATION:-debug}/; build first (`swift build`).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/${FRESHET_BUILD_CONFIGURATION:-debug}
for service in collector shipper enricher loader; do
  [[ -x $bin/$service ]] || { echo "config-table: $bin/$service is not built; run swift build" >&2; exit 1; }
done
python3 - "$bin" "${1:-}" <<'PY'
import json, os, subprocess, sys

bin_dir, mode = sys.argv[1], sys.argv[2]
SERVICES = ["collector", "shipper", "enricher", "loader"]

def variable(flag):  # FreshetCommandLine.variableName: --kafka-brokers -> FRESHET_KAFKA_BROKERS
    return "FRESHET_" + flag.lstrip("-").upper().replace("-", "_")

def cell(text):
    return (text or "").replace("|", "\\|").replace("\n", " ")

rows = {}  # variable -> {services, default, meaning}
order = []
def visit(command, label):
    arguments = command.get("arguments", [])
    flags = {n["name"] for a in arguments for n in a.get("names", []) if n["kind"] == "long"}
    for argument in arguments:
        longs = [n["name"] for n in argument.get("names", []) if n["kind"] == "long"]
        if not longs or longs[0] in ("help", "version", "help-hidden") or argument.get("kind") == "positional":
            continue
        # `--x/--no-x` is one variable, FRESHET_X (true/false), as FreshetCommandLine reads it.
        if longs[0].startswith("no-") and longs[0][3:] in flags:
            continue
        name = variable(longs[0])
        default = argument.get("defaultValue")
        if argument.get("kind") == "flag":
            default = "true" if default == "--" + longs[0] else "false"
        row = rows.get(name)
        if row is None:
            row = rows[name] = {"services": [], "default": default or "", "meaning": argument.get("abstract", "")}
            order.append(name)
        if label not in row["services"]:
            row["services"].append(label)
    for sub in command.get("subcommands", []):
        visit(sub, f"{label} {sub['commandName']}")

for service in SERVICES:
    # Without FRESHET_* variables: they would add options to the command line being described.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FRESHET_")}
    dump = subprocess.run([f"{bin_dir}/{service}", "--experimental-dump-help"], check=True, capture_output=True, text=True, env=clean).stdout
    visit(json.loads(dump)["command"], service)

lines = ["| variable | services | default | meaning |", "|---|---|---|---|"]
everywhere = set(SERVICES)
for name in order:
    row = rows[name]
    services = "all" if everywhere <= set(row["services"]) else ", ".join(row["services"])
    default = f"`{cell(row['default'])}`" if row["default"] else ""
    lines.append(f"| `{name}` | {services} | {default} | {cell(row['meaning'])} |")
table = "\n".join(lines) + "\n"

if mode == "--update":
    begin, end = "<!-- config-table:begin (scripts/config-table.sh --update) -->\n", "<!-- config-table:end -->\n"
    readme = open("README.md").read()
    if begin not in readme or end not in readme:
        sys.exit("config-table: README.md has no config-table markers")
    head, rest = readme.split(begin, 1)
    _, tail = rest.split(end, 1)
    open("README.md", "w").write(head + begin + table + end + tail)
    print("config-table: README.md updated", file=sys.stderr)
else:
    sys.stdout.write(table)
PY
