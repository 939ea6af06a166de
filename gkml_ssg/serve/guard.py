"""Whom the preview answers: requests addressed to it, and live reload only from its own pages.

The preview shows unpublished content, and any web page the officer has open can send requests to
it. Other origins cannot read its pages, except by DNS rebinding (a name of theirs made to point at
127.0.0.1: the browser then sends `Host: their.name`); and browsers let any page open a websocket
anywhere, `Origin` saying which page it is. So:

- Host rule: a request is served only when its `Host` header names the address served. The name is
  one of 127.0.0.1, ::1 and localhost, or the `--host` given (compared as IP addresses when they
  are addresses); when that `--host` is not a loopback address (0.0.0.0, ::, a LAN address), also
  this machine's host name (`socket.gethostname()`), its fully qualified name (`socket.getfqdn()`),
  `<host name>.local`, and any IP address of this machine (one a socket can be bound to). The port
  must be the port served; a Host without a port is taken only when that is 80. Otherwise: 400 for
  a missing or malformed Host (RFC 9112, section 3.2, requires that answer; tornado's HTTP parser
  gives it, without a text, to an HTTP/1.1 request with no Host, several or an invalid one), 403
  for a well-formed Host naming another site: the request is understood, and refused.
- Origin rule: livereload's websocket (`/livereload`) and `/forcereload` need an `Origin` header
  equal to `http://` followed by the request's Host (which passed the Host rule), else 403. Browsers
  send Origin with every websocket handshake; a tool calling /forcereload must send it too.

A refused request gets a short text in Chinese; the server goes on serving.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from http import HTTPStatus

from livereload.handlers import ForceReloadHandler, LiveReloadHandler
from tornado import httputil, web
from tornado.routing import Matcher

LOOPBACK_NAMES = ("127.0.0.1", "::1", "localhost")
# A Host header: a name or a bracketed IPv6 address, then an optional port (lower-cased first).
_HOST = re.compile(r"(?:\[(?P<v6>[^\[\]/@\s]+)\]|(?P<name>[a-z0-9._~-]+))(?::(?P<port>[0-9]{1,5}))?")

BAD_HOST = "请求缺少 Host 头，或 Host 头的格式不正确。\n"
FOREIGN_HOST = "拒绝访问：请求的主机名不是本预览服务器的地址。请用 gkml serve 启动时显示的预览地址打开。\n"
FOREIGN_ORIGIN = "拒绝访问：实时刷新只接受本预览网站自己页面的连接。\n"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normal_name(name: str) -> str:
    """A host name in lower case, or an IP address in its canonical form."""
    name = name.lower()
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name


def split_host(header: str | None) -> tuple[str, int | None] | None:
    """A Host header's name (normalised, an IPv6 address without brackets) and port; None when the
    header is missing or malformed (several Host headers arrive joined by a comma: malformed)."""
    found = _HOST.fullmatch(header.strip().lower()) if header else None
    if found is None:
        return None
    port = int(found["port"]) if found["port"] is not None else None
    if port is not None and not 0 < port < 65536:
        return None
    return normal_name(found["v6"] or found["name"]), port


def machine_names() -> set[str]:
    """The names this machine knows itself by; what it can find, without failing."""
    names = set()
    try:
        host = socket.gethostname()
        names |= {host, f"{host}.local"} if "." not in host else {host}
        names.add(socket.getfqdn())
    except OSError:
        pass
    return {name for name in names if name}


def is_own_address(name: str) -> bool:
    """Whether `name` is an IP address of this machine: a socket can be bound to it (nothing is sent)."""
    try:
        address = ipaddress.ip_address(name)
        with socket.socket(socket.AF_INET6 if address.version == 6 else socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind((str(address), 0))
    except (ValueError, OSError):
        return False
    return True


class ServedAddresses:
    """The Host rule for a server listening on `host`:`port` (see the module's docstring).
    `names` replaces this machine's names (for tests)."""

    def __init__(self, host: str, port: int, names: Iterable[str] | None = None):
        self.port = port
        self.loopback = is_loopback(host)
        extra = () if self.loopback else (machine_names() if names is None else names)
        self.names = frozenset(normal_name(name) for name in (host, *LOOPBACK_NAMES, *extra))

    def refusal(self, header: str | None) -> HTTPStatus | None:
        """None when a request with this Host header is served, else the status it is refused with."""
        parts = split_host(header)
        if parts is None:
            return HTTPStatus.BAD_REQUEST
        name, port = parts
        if (port if port is not None else 80) != self.port:
            return HTTPStatus.FORBIDDEN
        if name in self.names or (not self.loopback and is_own_address(name)):
            return None
        return HTTPStatus.FORBIDDEN


def same_origin(request: httputil.HTTPServerRequest) -> bool:
    """The Origin rule: the request's Origin is the origin of the address it was sent to."""
    origin, host = request.headers.get("Origin"), request.headers.get("Host")
    return origin is not None and host is not None and origin.strip().lower() == f"http://{host.strip().lower()}"


def refuse(handler: web.RequestHandler, status: HTTPStatus, text: str) -> None:
    handler.clear()
    handler.set_status(status)
    handler.set_header("Content-Type", "text/plain; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("X-Content-Type-Options", "nosniff")
    handler.finish(text.encode("utf-8"))


class ServedHost(Matcher):
    """Routes a request whose Host passes the rule to the preview's handlers."""

    def __init__(self, served: ServedAddresses):
        self.served = served

    def match(self, request: httputil.HTTPServerRequest) -> dict | None:
        return {} if self.served.refusal(request.headers.get("Host")) is None else None


class RefusedHost(web.RequestHandler):
    """Answers every request that `ServedHost` did not route, whatever its method and path."""

    def initialize(self, served: ServedAddresses) -> None:
        self.served = served

    def prepare(self) -> None:
        status = self.served.refusal(self.request.headers.get("Host")) or HTTPStatus.FORBIDDEN
        refuse(self, status, BAD_HOST if status == HTTPStatus.BAD_REQUEST else FOREIGN_HOST)


class SameOriginLiveReload(LiveReloadHandler):
    """livereload's websocket, opened only by the preview's own pages."""

    def prepare(self) -> None:
        if not same_origin(self.request):
            refuse(self, HTTPStatus.FORBIDDEN, FOREIGN_ORIGIN)

    def check_origin(self, origin: str) -> bool:
        return same_origin(self.request)  # asked by tornado after prepare, for what it takes for cross-origin


class SameOriginForceReload(ForceReloadHandler):
    """livereload's `/forcereload`, which reloads every open page: only with the served Origin."""

    def prepare(self) -> None:
        if not same_origin(self.request):
            refuse(self, HTTPStatus.FORBIDDEN, FOREIGN_ORIGIN)
