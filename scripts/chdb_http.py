#!/usr/bin/env python3
"""A minimal ClickHouse HTTP interface in front of chDB, the in-process build of current ClickHouse.

Debian ships ClickHouse 18.16, which the local stack runs; docker-compose deploys current ClickHouse.
To run the loader's real SQL (migrations, inserts, reports) against a current ClickHouse engine on a
machine without Docker, this server speaks the subset of ClickHouse's HTTP protocol that Freshet's
ClickHouseClient uses and executes every statement in one persistent chDB session:

  GET  /ping                         -> "Ok.\n"
  GET|POST /?query=…&database=…      -> the query parameter, followed by the body as its data
                                        (INSERT … FORMAT f: the body is the rows, read FROM INFILE)
  POST / (body = SQL)                -> the body is the statement
  other parameters                   -> ClickHouse settings for that statement (query_id echoed in
                                        X-ClickHouse-Query-Id; HTTP-only settings are ignored)

Errors answer HTTP 500 with ClickHouse's "Code: N. DB::Exception: …" text and the
X-ClickHouse-Exception-Code header, as the real server does. Statements run one at a time (one
session); the answer's default format is TabSeparated. This is a test fixture for SQL compatibility,
not a server to deploy: no authentication, no compression, no concurrency.

  python scripts/chdb_http.py --port 0 --path /tmp/chdb-data   # prints "listening on 127.0.0.1:<port>"
"""
import argparse
import os
import re
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from chdb import session as chdb_session

# Parameters of the HTTP interface that are not settings of a query.
NOT_SETTINGS = {"query", "database", "query_id", "user", "password", "default_format", "session_id",
                "session_timeout", "session_check"}
# Settings that only the HTTP server understands; chDB has no use for them.
HTTP_ONLY_SETTINGS = {"enable_http_compression", "wait_end_of_query", "send_progress_in_http_headers",
                      "http_headers_progress_interval_ms", "buffer_size", "http_zlib_compression_level",
                      "add_http_cors_header", "http_native_compression_disable_checksumming_on_decompress",
                      "cancel_http_readonly_queries_on_client_close"}

INSERT_FORMAT = re.compile(r"^\s*INSERT\s+INTO\s+(?P<target>.+?)\s+FORMAT\s+(?P<format>\w+)\s*$", re.I | re.S)
ERROR_CODE = re.compile(r"Code:\s*(\d+)")
FORMAT_CLAUSE = re.compile(r"\bFORMAT\s+\w+\s*;?\s*$", re.I)


class Engine:
    """One chDB session; every statement runs under its lock, with its settings applied and undone."""

    def __init__(self, path):
        self.session = chdb_session.Session(path)
        self.lock = threading.Lock()
        self.scratch = tempfile.mkdtemp(prefix="chdb-http-")

    def run(self, statement, data, database, settings):
        with self.lock:
            applied = self._apply(settings)
            try:
                if database:
                    self.session.query(f"USE `{database}`")
                insert = INSERT_FORMAT.match(statement)
                if insert and data is not None:
                    path = os.path.join(self.scratch, "body")
                    with open(path, "wb") as f:
                        f.write(data)
                    sql = f"INSERT INTO {insert.group('target')} FROM INFILE '{path}' FORMAT {insert.group('format')}"
                    self.session.query(sql)
                    return b""
                if data:
                    statement = statement + "\n" + data.decode("utf-8")
                fmt = None if FORMAT_CLAUSE.search(statement.strip()) else "TabSeparated"
                result = self.session.query(statement.strip().rstrip(";"), fmt) if fmt else self.session.query(statement.strip().rstrip(";"))
                return result.bytes() if hasattr(result, "bytes") else bytes(str(result), "utf-8")
            finally:
                self._restore(applied)

    def _apply(self, settings):
        applied = []
        for name, value in settings.items():
            if name in HTTP_ONLY_SETTINGS:
                continue
            before = self.session.query(
                f"SELECT value FROM system.settings WHERE name = '{name}'", "TabSeparatedRaw").bytes().decode().strip()
            self.session.query(f"SET {name} = {quote(value)}")
            applied.append((name, before))
        return applied

    def _restore(self, applied):
        for name, before in reversed(applied):
            try:
                self.session.query(f"SET {name} = {quote(before)}")
            except Exception:  # noqa: BLE001 — a setting that cannot be put back is left as is
                pass


def quote(value):
    if re.fullmatch(r"-?\d+(\.\d+)?", value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    engine = None

    log = None

    def log_message(self, format, *args):  # one line per request with --log, else quiet
        if self.log:
            self.log.write("%s %s\n" % (self.log_date_time_string(), format % args))
            self.log.flush()

    def do_GET(self):
        self._serve(None)

    def do_POST(self):
        self._serve(self._read_body())

    def _read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length", "0") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self, body):
        url = urlsplit(self.path)
        if url.path == "/ping":
            return self._answer(200, b"Ok.\n")
        if url.path not in ("/", ""):
            return self._answer(404, b"Code: 0. DB::Exception: unknown handler\n", code="0")
        parameters = dict(parse_qsl(url.query, keep_blank_values=True))
        query_id = parameters.get("query_id", "")
        settings = {k: v for k, v in parameters.items() if k not in NOT_SETTINGS}
        if "query" in parameters:
            statement, data = parameters["query"], body
        else:
            statement, data = (body or b"").decode("utf-8"), None
        if not statement.strip():
            return self._answer(400, b"Code: 62. DB::Exception: Empty query\n", code="62")
        try:
            answer = self.engine.run(statement, data, parameters.get("database"), settings)
        except Exception as error:  # noqa: BLE001 — every engine error is the client's answer
            text = str(error)
            match = ERROR_CODE.search(text)
            return self._answer(500, (text.rstrip() + "\n").encode(), code=match.group(1) if match else "1000",
                                query_id=query_id)
        self._answer(200, answer, query_id=query_id)

    def _answer(self, status, body, code=None, query_id=""):
        self.send_response(status)
        self.send_header("Content-Type", "text/tab-separated-values; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        if query_id:
            self.send_header("X-ClickHouse-Query-Id", query_id)
        if code is not None:
            self.send_header("X-ClickHouse-Exception-Code", code)
        self.end_headers()
        self.wfile.write(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed)")
    parser.add_argument("--path", required=True, help="chDB data directory (created)")
    parser.add_argument("--log", help="append one line per request to this file")
    args = parser.parse_args()
    if args.log:
        Handler.log = open(args.log, "a")
    Handler.engine = Engine(args.path)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print(f"listening on {args.host}:{server.server_address[1]} (chDB {Handler.engine.session.query('SELECT version()', 'TabSeparatedRaw').bytes().decode().strip()})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
