#!/usr/bin/env python3
"""A small front of ClickHouse's HTTP interface over chDB (ClickHouse in
process, PyPI `chdb-core`), for flokk's tests: they talk to it as they
would to a ClickHouse server, so the SQL flokk generates runs on the real
ClickHouse engine without a server to install.

What it speaks, as ClickHouse's HTTP interface does:
- POST /  with the query in the body, or in the `query` URL parameter with
  the body appended to it (how INSERT ... FORMAT sends its rows);
- `param_<name>` URL parameters bound to `{name:Type}` placeholders (the
  text format: a backslash starts an escape);
- `default_format` (TabSeparated without it); `database` is not supported
  (one database);
- 200 with the result, or 500 with ClickHouse's error text.

Usage: clickhouse_front.py [PORT]  (0 or none: any free port). The data
lives in a temporary directory, or in FLOKK_CHDB_PATH when set. Prints
`listening on PORT` once ready. Exits when its standard input closes, so a
test process that dies takes it along.
"""

import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

from chdb import session

SESSION = session.Session(os.environ["FLOKK_CHDB_PATH"]) if os.environ.get("FLOKK_CHDB_PATH") else session.Session()


class Front(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        url = urlsplit(self.path)
        args = parse_qs(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8")
        if "query" in args:
            sql = args["query"][0] + ("\n" + body if body else "")
        else:
            sql = body
        params = {k[len("param_"):]: v[0] for k, v in args.items() if k.startswith("param_")}
        fmt = args.get("default_format", ["TabSeparated"])[0]
        try:
            result = SESSION.query(sql, fmt, params=params) if params else SESSION.query(sql, fmt)
            status, out = 200, result.bytes() if hasattr(result, "bytes") else bytes(result)
        except Exception as e:  # ClickHouse's own message, as a server sends it
            status, out = 500, str(e).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, format, *args):
        pass


def exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = HTTPServer(("127.0.0.1", port), Front)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
