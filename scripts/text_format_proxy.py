#!/usr/bin/env python3
"""A loopback HTTP proxy that asks the exporter for text format 0.0.4 without compression.

Debian's Prometheus 2.42 always asks for OpenMetrics and gzip and has no setting to change
that, so the end-to-end run scrapes once directly (OpenMetrics + gzip) and once through this
proxy (text + identity) to prove both paths end in the same series.

Usage: text_format_proxy.py LISTEN_PORT UPSTREAM_HOST:PORT
"""

import http.server
import sys
import urllib.request

UPSTREAM = sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        request = urllib.request.Request(
            f"http://{UPSTREAM}{self.path}",
            headers={"Accept": "text/plain;version=0.0.4", "Accept-Encoding": "identity"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            if response.headers.get("Content-Encoding"):
                self.send_error(502, "upstream compressed a response that asked for identity")
                return
            self.send_response(response.status)
            self.send_header("Content-Type", response.headers["Content-Type"])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
