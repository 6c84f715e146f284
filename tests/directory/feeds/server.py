"""A loopback http server the tests serve calendar feeds from (the address check opened for
loopback by the test-only CALENDAR_FEED_ALLOW_LOOPBACK setting)."""

import http.server
import threading


class FeedServer:
    def __init__(self):
        self.routes = {}  # path -> (status, headers, body)
        self.requests = []  # (path, headers) as received
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                status, headers, body = server.routes.get(self.path, (404, {}, b"Not found"))
                if "ETag" in headers and self.headers.get("If-None-Match") == headers["ETag"]:
                    status, body = 304, b""
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def serve(self, path, body, status=200, **headers):
        if isinstance(body, str):
            body = body.encode()
        headers.setdefault("Content-Type", "text/calendar; charset=utf-8")
        self.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, body)
        return self.url(path)

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
