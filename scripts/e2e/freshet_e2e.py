"""The whole Freshet pipeline as real processes, for the demo, the end-to-end and fault tests and the
end-to-end benchmark.

`Pipeline` starts the four built executables (collector, shipper, enricher, loader) on one set of
Kafka topics, a Redis key prefix, a consumer-group pair and a ClickHouse database of its own, so it can
run next to anything else on the same servers. The servers are either the local stack
(`scripts/stack.sh env`) or private ones started here on free ports (`PrivateRedis`,
`PrivateClickHouse`, `PrivateKafka`) that a fault test may stop and restart — never the shared ones.

Threading: nothing here is thread-safe except `ClickHouse.query` and `metrics`, which hold no state.
Lifetime: every process started here is killed by `Pipeline.close()` / the server's `close()`; callers
use them as context managers so an exception never leaves a child behind.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KAFKA_PROPERTIES = "session.timeout.ms=6000,heartbeat.interval.ms=1000,auto.commit.interval.ms=500"
"""Tansu holds a new consumer group's first join for about half the session timeout (23 s with
librdkafka's 45 s default); a 6 s timeout also lets a SIGKILLed member's partitions move on quickly."""


def build_configuration() -> str:
    """debug (what `make test` builds) unless FRESHET_TEST_BUILD_CONFIGURATION says otherwise."""
    return os.environ.get("FRESHET_TEST_BUILD_CONFIGURATION") or "debug"


def binary(name: str) -> str:
    """A built executable: FRESHET_BIN_DIR/<name> when set, else .build/<configuration>/<name>."""
    directory = os.environ.get("FRESHET_BIN_DIR")
    path = Path(directory) / name if directory else ROOT / ".build" / build_configuration() / name
    if not path.exists():
        raise SystemExit(f"{path} is missing: build it first (swift build{' -c release' if build_configuration() == 'release' else ''})")
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_until(what: str, condition, timeout: float, interval: float = 0.1):
    """Polls `condition()` until it returns a truthy value (returned) or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except Exception:  # the server is not up yet
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f}s")
        time.sleep(interval)


def log(message: str) -> None:
    print(f"[e2e {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Child:
    """One child process with its output appended to `log_path`."""

    def __init__(self, name: str, argv: list[str], log_path: Path, env: dict | None = None, cwd: str | None = None):
        self.name, self.argv, self.log_path, self.env, self.cwd = name, argv, log_path, env, cwd
        self.process: subprocess.Popen | None = None

    def start(self) -> "Child":
        with open(self.log_path, "ab") as out:
            out.write(f"--- start {' '.join(self.argv)}\n".encode())
            out.flush()
            self.process = subprocess.Popen(self.argv, stdout=out, stderr=out, stdin=subprocess.DEVNULL,
                                            env={**os.environ, **(self.env or {})}, cwd=self.cwd)
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, sig: int, timeout: float = 60) -> int | None:
        """Sends `sig` and waits (bounded) for the exit; returns the exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def kill(self) -> None:
        if self.running:
            self.signal(signal.SIGKILL)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# ----- private servers -----------------------------------------------------------------------------

class PrivateRedis:
    def __init__(self, directory: Path):
        self.port = free_port()
        self.child = Child("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                     "--appendonly", "no", "--dir", str(directory)], directory / "redis.log")

    def start(self):
        self.child.start()
        wait_until("private redis", lambda: port_open(self.port), 15)

    def stop(self):
        self.child.signal(signal.SIGTERM)

    def close(self):
        self.child.kill()


class PrivateClickHouse:
    """clickhouse-server on free ports with Debian's configuration rewritten the way scripts/stack.sh
    does it; the data directory survives stop()/start()."""

    def __init__(self, directory: Path):
        self.directory = directory / "clickhouse"
        self.http_port, tcp_port, interserver = free_port(), free_port(), free_port()
        for sub in ("data", "log", "config"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
        config = Path("/etc/clickhouse-server/config.xml").read_text()
        config = (config.replace("/var/lib/clickhouse/", f"{self.directory}/data/")
                  .replace("/var/log/clickhouse-server/", f"{self.directory}/log/")
                  .replace("<http_port>8123</http_port>", f"<http_port>{self.http_port}</http_port>")
                  .replace("<tcp_port>9000</tcp_port>", f"<tcp_port>{tcp_port}</tcp_port>")
                  .replace("<interserver_http_port>9009</interserver_http_port>", f"<interserver_http_port>{interserver}</interserver_http_port>")
                  .replace("<listen_host>::1</listen_host>", ""))
        (self.directory / "config" / "config.xml").write_text(config)
        shutil.copy("/etc/clickhouse-server/users.xml", self.directory / "config" / "users.xml")
        self.child = Child("clickhouse", ["clickhouse-server", f"--config-file={self.directory}/config/config.xml"],
                           self.directory / "stdout.log", cwd=str(self.directory))
        self.url = f"http://127.0.0.1:{self.http_port}"

    def start(self):
        self.child.start()
        wait_until("private clickhouse", lambda: ClickHouse(self.url).query("SELECT 1").strip() == "1", 90, 0.25)

    def stop(self):
        self.child.signal(signal.SIGTERM, timeout=60)

    def close(self):
        self.child.kill()


class PrivateKafka:
    """Tansu (memory storage: a restart loses the data, so tests never restart it)."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.brokers = f"127.0.0.1:{self.port}"
        url = f"tcp://127.0.0.1:{self.port}"
        self.child = Child("kafka", [str(ROOT / ".stack/bin/tansu"), "broker", "--listener-url", url, "--advertised-listener-url",
                                     url, "--storage-engine", "memory://tansu/"], directory / "kafka.log")

    def start(self):
        self.child.start()
        wait_until("private kafka", lambda: port_open(self.port), 30)

    def close(self):
        self.child.kill()


def create_topics(brokers: str, topics: dict[str, int]) -> None:
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": brokers})
    wait_until("kafka metadata", lambda: admin.list_topics(timeout=5).brokers, 30)
    futures = admin.create_topics([NewTopic(name, num_partitions=parts) for name, parts in topics.items()])
    for future in futures.values():
        future.result(timeout=30)


def delete_topics(brokers: str, topics: list[str]) -> None:
    from confluent_kafka.admin import AdminClient

    for future in AdminClient({"bootstrap.servers": brokers}).delete_topics(topics).values():
        try:
            future.result(timeout=10)
        except Exception:
            pass


# ----- clients -------------------------------------------------------------------------------------

class ClickHouse:
    def __init__(self, url: str):
        self.url = url.rstrip("/")

    def query(self, sql: str, timeout: float = 30) -> str:
        request = urllib.request.Request(self.url + "/", data=sql.encode(), method="POST")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read().decode()

    def rows(self, sql: str) -> list[dict]:
        """Rows of `sql` as dicts (JSONEachRow)."""
        text = self.query(sql + " FORMAT JSONEachRow")
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def scalar(self, sql: str) -> int:
        return int(self.query(sql).strip() or 0)


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')


def metrics(port: int) -> dict[str, float]:
    """The admin /metrics of a service as {'name{labels}': value}; {} when it does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
            text = response.read().decode()
    except (OSError, urllib.error.URLError):
        return {}
    values = {}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match and not line.startswith("#"):
            try:
                values[match.group(1) + (match.group(2) or "")] = float(match.group(3))
            except ValueError:
                pass
    return values


def metric_sum(values: dict[str, float], name: str, **labels: str) -> float:
    """Sum of the samples of `name` whose labels include `labels`."""
    total = 0.0
    for key, value in values.items():
        base, _, rest = key.partition("{")
        if base != name:
            continue
        if all(f'{k}="{v}"' in rest for k, v in labels.items()):
            total += value
    return total


# ----- the pipeline --------------------------------------------------------------------------------

class Pipeline:
    """The four services on names of their own (topics `<name>_raw|_enriched|_bad`, database `<name>`,
    Redis key prefix `<name>:`), on the given servers. The collector and admin ports are free ports
    chosen once, so a restarted service listens where the tracker and the progress reader expect it.
    `extra`: more arguments per service.
    """

    def __init__(self, *, brokers: str, redis_host: str, redis_port: int, clickhouse_url: str, workdir: Path,
                 name: str | None = None, extra: dict[str, list[str]] | None = None, test_tuning: bool = True):
        self.brokers, self.redis_host, self.redis_port, self.clickhouse_url = brokers, redis_host, redis_port, clickhouse_url
        self.workdir = workdir
        self.name = name or "e2e_" + uuid.uuid4().hex[:10]
        self.topics = {k: f"{self.name}_{k}" for k in ("raw", "enriched", "bad")}
        self.database, self.prefix = self.name, f"{self.name}:"
        self.groups = {"enricher": f"{self.name}_enricher", "loader": f"{self.name}_loader"}
        self.collector_port = free_port()
        self.admin = {s: free_port() for s in ("collector", "shipper", "enricher", "loader")}
        self.extra = extra or {}
        self.test_tuning = test_tuning  # loader: 250 ms batch delay and 2 s retry cap instead of 1 s / 10 s
        self.log_dir = workdir / "collector"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.children: dict[str, Child] = {}
        self.clickhouse = ClickHouse(clickhouse_url)

    @property
    def collector_url(self) -> str:
        return f"http://127.0.0.1:{self.collector_port}"

    def argv(self, service: str) -> list[str]:
        common = ["--admin-host", "127.0.0.1", "--admin-port", str(self.admin[service])]
        kafka = ["--kafka-brokers", self.brokers, "--kafka-property", KAFKA_PROPERTIES]
        if service == "collector":
            args = [binary("collector"), "--host", "127.0.0.1", "--port", str(self.collector_port),
                    "--log-directory", str(self.log_dir), "--no-cookie-secure"] + common
        elif service == "shipper":
            args = [binary("shipper"), "--input", f"{self.log_dir}/*.log", "--registry", str(self.workdir / "shipper-registry.json"),
                    "--topic", self.topics["raw"], "--bad-topic", self.topics["bad"]] + kafka + common
        elif service == "enricher":
            args = [binary("enricher"), "--raw-topic", self.topics["raw"], "--enriched-topic", self.topics["enriched"],
                    "--bad-topic", self.topics["bad"], "--group-id", self.groups["enricher"],
                    "--enrichments", str(ROOT / "deploy/enrichments"), "--enrichment-assets", enrichment_assets(),
                    "--redis-host", self.redis_host, "--redis-port", str(self.redis_port),
                    "--profile-key-prefix", self.prefix] + kafka + common
        else:
            args = [binary("loader"), "run", "--enriched-topic", self.topics["enriched"], "--bad-topic", self.topics["bad"],
                    "--group-id", self.groups["loader"], "--clickhouse-url", self.clickhouse_url,
                    "--clickhouse-database", self.database] + kafka + common
            if self.test_tuning:
                args += ["--batch-delay", "250ms", "--retry-max-backoff", "2s"]
        return args + self.extra.get(service, [])

    def create_topics(self, partitions: dict[str, int] | None = None) -> None:
        parts = partitions or {"raw": 2, "enriched": 2, "bad": 1}
        create_topics(self.brokers, {self.topics[k]: n for k, n in parts.items()})

    def start(self, service: str) -> Child:
        child = Child(service, self.argv(service), self.workdir / f"{service}.log")
        self.children[service] = child.start()
        return child

    def wait_healthy(self, service: str, timeout: float = 120) -> None:
        def healthy():
            child = self.children[service]
            if not child.running:
                raise SystemExit(f"{service} exited ({child.process.returncode}):\n{child.tail()}")
            with urllib.request.urlopen(f"http://127.0.0.1:{self.admin[service]}/health", timeout=1) as r:
                return r.status == 200
        wait_until(f"{service} /health", healthy, timeout)

    def start_all(self) -> None:
        self.clickhouse.query(f"CREATE DATABASE IF NOT EXISTS {self.database}")
        for service in ("loader", "enricher", "shipper", "collector"):
            self.start(service)
        for service in ("loader", "enricher", "shipper", "collector"):
            self.wait_healthy(service)
        # The loader creates the schema on start; wait for it so queries never race the migration.
        wait_until("loader schema", lambda: self.clickhouse.scalar(
            f"SELECT count() FROM system.tables WHERE database = '{self.database}' AND name = 'events'") == 1, 120, 0.25)

    def restart(self, service: str, sig: int = signal.SIGKILL) -> int | None:
        status = self.children[service].signal(sig)
        self.start(service)
        self.wait_healthy(service)
        return status

    def stop_all(self, sig: int = signal.SIGTERM) -> dict[str, int | None]:
        """Stops intake first (collector), then the rest downstream; returns the exit statuses."""
        statuses, took = {}, []
        for service in ("collector", "shipper", "enricher", "loader"):
            if service in self.children:
                started = time.monotonic()
                statuses[service] = self.children[service].signal(sig, timeout=60)
                took.append(f"{service} {time.monotonic() - started:.1f}s")
        log("stopped: " + ", ".join(took))
        return statuses

    def close(self) -> None:
        for child in self.children.values():
            child.kill()

    def drop(self) -> None:
        """Deletes this pipeline's topics and database (shared servers only)."""
        delete_topics(self.brokers, list(self.topics.values()))
        try:
            self.clickhouse.query(f"DROP DATABASE IF EXISTS {self.database}")
        except Exception:
            pass
        # Profile and duplicate keys hold binary event ids: deleted inside Redis, not through a pipe.
        script = ("local c = '0' repeat local r = redis.call('SCAN', c, 'MATCH', ARGV[1], 'COUNT', 5000) c = r[1] "
                  "for _, k in ipairs(r[2]) do redis.call('UNLINK', k) end until c == '0'")
        subprocess.run(["redis-cli", "-h", self.redis_host, "-p", str(self.redis_port), "EVAL", script, "0", self.prefix + "*"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)

    # --- progress -----------------------------------------------------------------------------

    def progress(self) -> dict[str, float]:
        return progress(self.admin)

    def events_loaded(self) -> int:
        return self.clickhouse.scalar(f"SELECT uniqExact(event_id) FROM {self.database}.events")


def progress(admin: dict[str, int]) -> dict[str, float]:
    """From the services' /metrics (admin ports by service): requests the collector recorded, lines the
    shipper got acknowledged, events the enricher read, enriched and sent to bad, events the loader
    inserted. A service that does not answer counts 0."""
    c, s, e, l = (metrics(admin[x]) for x in ("collector", "shipper", "enricher", "loader"))
    return {
        "requests": metric_sum(c, "freshet_records_received_total", source="http"),
        "shipped": metric_sum(s, "freshet_records_sent_total", sink="kafka"),
        "events": metric_sum(e, "freshet_records_received_total", source="events"),
        "enriched": metric_sum(e, "freshet_records_sent_total", sink="enriched"),
        "bad": metric_sum(e, "freshet_records_sent_total", sink="bad"),
        "loaded": metric_sum(l, "freshet_records_sent_total", sink="clickhouse_events"),
    }


def enrichment_assets() -> str:
    """The enrichments' databases: the bootstrap's (GeoLite2 City, referers.json, uap-core rules)."""
    for candidate in (ROOT / ".stack/data/enrichments", Path("/work/main/.stack/data/enrichments")):
        if (candidate / "GeoLite2-City.mmdb").exists():
            return str(candidate)
    raise SystemExit("no enrichment assets under .stack/data/enrichments: run scripts/bootstrap.sh")


def local_stack() -> dict:
    """The local stack's addresses (scripts/stack.sh env)."""
    env = os.environ
    redis_port = int(env.get("FRESHET_TEST_REDIS_PORT") or env.get("FRESHET_REDIS_PORT") or 6379)
    return {
        "brokers": env.get("FRESHET_TEST_KAFKA_BROKERS") or env.get("FRESHET_KAFKA_BROKERS") or "127.0.0.1:9092",
        "redis_host": env.get("FRESHET_TEST_REDIS_HOST") or "127.0.0.1",
        "redis_port": redis_port,
        "clickhouse_url": env.get("FRESHET_TEST_CLICKHOUSE_URL") or env.get("FRESHET_CLICKHOUSE_URL") or "http://127.0.0.1:8123",
    }


def workdir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"freshet-{prefix}-"))


def check_runtime() -> None:
    """The services need librdkafka >= 2.2 first on LD_LIBRARY_PATH: .stack/lib, as `scripts/stack.sh env`
    sets it; added when the caller did not source that."""
    current = os.environ.get("LD_LIBRARY_PATH", "")
    if "/.stack/lib" not in current:
        os.environ["LD_LIBRARY_PATH"] = f"{ROOT / '.stack/lib'}:{current}" if current else str(ROOT / ".stack/lib")
