"""A built site served on 127.0.0.1 over HTTP/1.1 the way the shipped nginx configuration
(deploy/nginx/gkml.conf) serves it: gzipped where its gzip_types say (the server's list, or that of
the location a path falls in), from its gzip_min_length at its gzip_comp_level, with nginx's
tcp_nodelay. For the benchmarks that measure what a reader's browser transfers (search_cost.py).
"""

from __future__ import annotations

import gzip
import re
import sys
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gkml_ssg.serve.app import content_type  # noqa: E402  (the preview server's MIME table)

NGINX_CONF = REPO / "deploy/nginx/gkml.conf"
# gkml's MIME table names two types differently from nginx's mime.types, for which gzip_types is
# written: nginx serves .js as application/javascript and .xml as text/xml, and gzips both.
NGINX_NAMES = {"text/javascript": "application/javascript", "application/xml": "text/xml"}


@dataclass(frozen=True)
class NginxGzip:
    """What the shipped nginx configuration gzips (text/html always, as nginx does), and how hard."""

    server_types: frozenset[str] = frozenset()
    # (prefix, types) of each location that sets its own gzip_types, which replace the server's
    # there (nginx inherits a directive only into a block that does not set it)
    locations: tuple[tuple[str, frozenset[str]], ...] = ()
    min_length: int = 20  # nginx's defaults
    level: int = 1

    def types_for(self, path: str) -> frozenset[str]:
        """The list for a path: that of the longest location prefix that sets one, else the server's."""
        matching = [(len(prefix), types) for prefix, types in self.locations if path.startswith(prefix)]
        return max(matching, key=lambda match: match[0], default=(0, self.server_types))[1] | {"text/html"}


def nginx_gzip(conf: Path) -> NginxGzip:
    """Reads the gzip directives of an nginx configuration, its locations moved from the shipped
    sub-path /gkml/ to / (where the site is served here)."""
    text = re.sub(r"#[^\n]*", "", conf.read_text(encoding="utf-8"))
    blocks: list[list[str]] = []  # the enclosing blocks: a location's arguments, or [] for another
    server, locations, settings = frozenset[str](), [], {}
    for statement, end in re.findall(r"([^;{}]*)([;{}])", text):
        words = statement.split()
        if end == "{":
            blocks.append(words[1:] if words[:1] == ["location"] else [])
        elif end == "}":
            blocks.pop()
        elif words[:1] == ["gzip_types"] and (location := next((b for b in reversed(blocks) if b), None)):
            if len(location) > 1 and location[0] != "^~":  # = or a regular expression: not needed yet
                sys.exit(f"{conf}: gzip_types in `location {' '.join(location)}`: only prefix locations are understood")
            locations.append((location[-1].replace("/gkml/", "/", 1), frozenset(words[1:])))
        elif words[:1] == ["gzip_types"]:
            server = frozenset(words[1:])
        elif words[:1] in (["gzip"], ["gzip_min_length"], ["gzip_comp_level"]):
            settings[words[0]] = words[1]
    if settings.get("gzip") != "on":
        return NginxGzip()
    return NginxGzip(server, tuple(locations), int(settings.get("gzip_min_length", 20)), int(settings.get("gzip_comp_level", 1)))


class SiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # kept-alive connections, as between a browser and nginx
    # TCP_NODELAY, as nginx's tcp_nodelay: the headers and the body go out in two writes, and with
    # Nagle's algorithm the body waits for the browser's delayed ACK, 40 ms on every response.
    disable_nagle_algorithm = True
    root: Path
    sizes: dict[str, int]  # path: bytes of the body before gzip, of every file served
    gzip = nginx_gzip(NGINX_CONF)

    def do_GET(self) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        target = self.root.joinpath(*(part for part in path.split("/") if part not in ("", ".", "..")))
        if target.is_dir() and not path.endswith("/"):
            return self.reply(path, 301, b"", "text/plain", {"Location": path + "/"})
        target = target / "index.html" if target.is_dir() else target
        if target.is_file():
            self.sizes[path] = target.stat().st_size
            return self.reply(path, 200, target.read_bytes(), content_type(target.name))
        missing = self.root / "404.html"  # nginx's error_page
        self.reply(path, 404, missing.read_bytes() if missing.is_file() else b"not found", content_type("404.html"))

    def reply(self, path: str, status: int, body: bytes, kind: str, headers: dict | None = None) -> None:
        media = kind.split(";")[0].strip()
        extra = dict(headers or {})
        types = self.gzip.types_for(path)
        compressible = NGINX_NAMES.get(media, media) in types or "*" in types
        if compressible and len(body) >= self.gzip.min_length and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, self.gzip.level, mtime=0)
            extra["Content-Encoding"] = "gzip"
        self.send_response(status)
        for name, value in {"Content-Type": kind, "Content-Length": str(len(body)), **extra}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a closed context's dropped sockets
            super().handle_error(request, client_address)


def serve(site: Path) -> tuple[SiteServer, str, dict[str, int]]:
    handler = type("Handler", (SiteHandler,), {"root": site, "sizes": {}})
    server = SiteServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/", handler.sizes


