"""`gkml serve` answers only requests addressed to it and opens live reload only to its own pages
(gkml_ssg/serve/guard.py): a real server on a free loopback port, asked with foreign Host and Origin
headers as another web page (or a DNS-rebound name) would send them. All traffic goes to
127.0.0.1 and ::1."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
from http import HTTPStatus

import pytest
from preview_server import HAIYUAN_ITEM, HAIYUAN_TEXT, PreviewProcess

from gkml_ssg.serve.guard import BAD_HOST, FOREIGN_HOST, FOREIGN_ORIGIN, ServedAddresses, is_own_address, split_host

WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with PreviewProcess(tmp_path_factory.mktemp("preview-origin"), "--no-index") as process:
        yield process


def exchange(server: PreviewProcess, request: bytes) -> tuple[int, dict[str, str], bytes, socket.socket]:
    """Send raw request bytes; the status, headers and body of the answer, and the open socket."""
    connection = socket.create_connection((server.host, server.port), timeout=15)
    connection.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = connection.recv(4096)
        if not chunk:
            break
        body += chunk
    return int(lines[0].split()[1]), headers, body, connection


def raw_get(server: PreviewProcess, path: str, *headers: str, version: str = "HTTP/1.1") -> tuple[int, dict[str, str], bytes]:
    status, answer, body, connection = exchange(server, "\r\n".join([f"GET {path} {version}", *headers, "Connection: close", "", ""]).encode())
    connection.close()
    return status, answer, body


def handshake(server: PreviewProcess, *headers: str, host: str | None = None) -> tuple[int, bytes, socket.socket]:
    """A websocket opening handshake to livereload's /livereload, as a browser sends it."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = [
        "GET /livereload HTTP/1.1", f"Host: {host or server.address}", "Upgrade: websocket", "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13", *headers, "", "",
    ]
    status, answer, body, connection = exchange(server, "\r\n".join(request).encode())
    if status == 101:
        assert answer["sec-websocket-accept"] == base64.b64encode(hashlib.sha1((key + WEBSOCKET_GUID).encode()).digest()).decode()
    return status, body, connection


def send_text(connection: socket.socket, text: str) -> None:
    payload, mask = text.encode(), os.urandom(4)
    assert len(payload) < 126
    connection.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def receive_text(connection: socket.socket) -> str:
    def read(count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = connection.recv(count - len(data))
            assert chunk, "the server closed the websocket"
            data += chunk
        return data

    first, length = read(2)
    assert first == 0x81  # a whole text frame
    if length == 126:
        length = int.from_bytes(read(2), "big")
    return read(length).decode()


def assert_refused(status: int, headers: dict[str, str], body: bytes, expected: int, text: str) -> None:
    assert status == expected and body.decode("utf-8") == text
    assert headers["content-type"] == "text/plain; charset=utf-8" and headers["cache-control"] == "no-store"
    assert HAIYUAN_TEXT.encode() not in body


@pytest.mark.parametrize("host", ["evil.example:{port}", "attacker.example", "attacker.example:{port}",
                                  "127.0.0.1.attacker.example:{port}", "localhost.attacker.example:{port}",
                                  "127.0.0.1:{other}", "localhost", "192.0.2.7:{port}"])
@pytest.mark.parametrize("path", ["/", HAIYUAN_ITEM, "/livereload.js", "/forcereload", "/static/css/site.css"])
def test_a_foreign_host_is_refused_and_the_server_keeps_serving(server, host, path):
    foreign = host.format(port=server.port, other=server.port + 1 if server.port < 65535 else 1)
    status, headers, body = server.get(path, headers={"Host": foreign})
    assert_refused(status, headers, body, 403, FOREIGN_HOST)
    assert server.get("/")[0] == 200


def test_a_dns_rebound_page_cannot_read_the_preview_nor_open_live_reload(server):
    """attacker.example made to resolve to 127.0.0.1: the browser asks with its own name, and its
    websocket says the page's origin, which is that name's: both are refused."""
    rebound = f"attacker.example:{server.port}"
    status, headers, body = server.get(HAIYUAN_ITEM, headers={"Host": rebound, "Origin": f"http://{rebound}"})
    assert_refused(status, headers, body, 403, FOREIGN_HOST)
    status, body, connection = handshake(server, f"Origin: http://{rebound}", host=rebound)
    connection.close()
    assert status == 403 and body.decode() == FOREIGN_HOST


@pytest.mark.parametrize(("request_line", "text"), [
    (("GET / HTTP/1.0",), BAD_HOST),  # no Host at all, as HTTP/1.0 allows
    (("GET / HTTP/1.1", "Host: 127.0.0.1:port"), BAD_HOST),
    # tornado's HTTP parser answers these itself, before routing: 400 without a body
    (("GET / HTTP/1.1",), ""),
    (("GET / HTTP/1.1", "Host: two words"), ""),
    (("GET / HTTP/1.1", "Host: 127.0.0.1:{port}", "Host: evil.example:{port}"), ""),  # two Host headers
])
def test_a_missing_or_malformed_host_gets_400(server, request_line, text):
    first, *headers = (line.format(port=server.port) for line in request_line)
    status, answer, body = raw_get(server, first.split()[1], *headers, version=first.rsplit(" ", 1)[1])
    if text:
        assert_refused(status, answer, body, 400, text)
    assert status == 400 and body.decode() == text
    assert server.get("/")[0] == 200


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST:{port}", "[0:0:0:0:0:0:0:1]:{port}"])
def test_the_served_addresses_are_answered(server, host):
    status, _, body = server.get(HAIYUAN_ITEM, headers={"Host": host.format(port=server.port)})
    assert status == 200 and HAIYUAN_TEXT in body.decode("utf-8") and "/livereload.js?port=" in body.decode("utf-8")


@pytest.mark.parametrize("origin", [
    "Origin: http://evil.example",
    "Origin: http://attacker.example:{port}",
    "Origin: null",
    "Origin: http://localhost:{port}",  # another name of this server: not the origin the page was loaded from
    "Origin: http://127.0.0.1:{other}",  # another server on this machine
    "Origin: https://127.0.0.1:{port}",
    None,  # no Origin: browsers always send one
])
def test_live_reload_refuses_a_foreign_or_missing_origin(server, origin):
    headers = [origin.format(port=server.port, other=server.port + 1)] if origin else []
    status, body, connection = handshake(server, *headers)
    connection.close()
    assert status == 403 and body.decode("utf-8") == FOREIGN_ORIGIN
    assert server.get("/")[0] == 200


def test_live_reload_accepts_the_preview_pages_own_origin(server):
    status, _, connection = handshake(server, f"Origin: {server.url}", "Sec-Fetch-Site: same-origin")
    with connection:
        assert status == 101
        send_text(connection, json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        assert json.loads(receive_text(connection))["command"] == "hello"


@pytest.mark.parametrize("origin", ["http://evil.example", "http://attacker.example", "null", None])
def test_forcereload_refuses_a_foreign_or_missing_origin(server, origin):
    status, headers, body = server.get("/forcereload", headers={"Origin": origin} if origin else {})
    assert_refused(status, headers, body, 403, FOREIGN_ORIGIN)


def test_forcereload_answers_the_served_origin(server):
    status, _, body = server.get("/forcereload", headers={"Origin": server.url})
    assert status == 200 and body == b"ok"


def test_on_ipv6_loopback_its_own_bracketed_address_is_served(tmp_path):
    try:
        socket.socket(socket.AF_INET6).close()
    except OSError:
        pytest.skip("no IPv6 on this machine")
    with PreviewProcess(tmp_path, "--no-index", host="::1") as process:
        assert process.get("/", headers={"Host": process.address})[0] == 200
        assert process.get("/", headers={"Host": f"evil.example:{process.port}"})[0] == 403
        status, _, connection = handshake(process, f"Origin: {process.url}")
        connection.close()
        assert status == 101
        assert f"预览地址：http://[::1]:{process.port}/" in process.output()


def test_the_host_rule():
    loopback = ServedAddresses("127.0.0.1", 8000)
    assert loopback.names == {"127.0.0.1", "::1", "localhost"}
    assert all(loopback.refusal(host) is None for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LocalHost:8000"))
    forbidden = ("127.0.0.1:8001", "127.0.0.1", "evil.example:8000", "127.0.0.2:8000", "localhost.:8000", "[::]:8000", "0.0.0.0:8000")
    assert {loopback.refusal(host) for host in forbidden} == {HTTPStatus.FORBIDDEN}
    assert {loopback.refusal(host) for host in (None, "", "a b", "a,b", "x:99999", "[::1:8000", ":8000")} == {HTTPStatus.BAD_REQUEST}
    assert ServedAddresses("localhost", 80).refusal("localhost") is None  # a browser leaves out port 80
    assert ServedAddresses("127.0.0.2", 8000).refusal("127.0.0.2:8000") is None

    everywhere = ServedAddresses("0.0.0.0", 8000, names=["officer-pc", "officer-pc.local", "officer-pc.example.gov.cn"])
    served = ("0.0.0.0:8000", "officer-pc:8000", "OFFICER-PC.local:8000", "officer-pc.example.gov.cn:8000", "127.0.0.1:8000", "localhost:8000")
    assert all(everywhere.refusal(host) is None for host in served)
    assert everywhere.refusal("127.0.0.3:8000") is None  # an address of this machine (the whole of 127/8 is)
    assert {everywhere.refusal(host) for host in ("192.0.2.7:8000", "evil.example:8000", "officer-pc:8001")} == {HTTPStatus.FORBIDDEN}


def test_host_headers_are_split_and_normalised():
    assert split_host("[0:0::1]:8000") == ("::1", 8000)
    assert split_host("Example.ORG") == ("example.org", None)
    assert split_host("127.0.0.1:0") is None and split_host("[::1]x") is None
    assert is_own_address("127.0.0.1") and is_own_address("0.0.0.0")
    assert not is_own_address("192.0.2.7") and not is_own_address("officer-pc")


# In the page: open a websocket to `url`; "open" or "refused".
OPEN_WEBSOCKET = """url => new Promise(resolve => {
    const socket = new WebSocket(url);
    socket.onopen = () => { socket.close(); resolve("open"); };
    socket.onerror = () => resolve("refused");
})"""


@pytest.fixture(scope="module")
def rebinding_browser():
    """Chromium with attacker.example resolving to 127.0.0.1, as a DNS rebinding attack makes it."""
    from conftest import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP attacker.example 127.0.0.1"])
        yield chromium
        chromium.close()


@pytest.mark.browser
def test_in_a_browser_a_rebound_name_and_another_origin_get_nothing(rebinding_browser, server):
    context = rebinding_browser.new_context()
    page = context.new_page()
    response = page.goto(f"http://attacker.example:{server.port}{HAIYUAN_ITEM}")
    assert response is not None and response.status == 403
    assert page.inner_text("body").strip() == FOREIGN_HOST.strip() and HAIYUAN_TEXT not in page.content()
    for host in ("attacker.example", "127.0.0.1", "localhost"):
        assert page.evaluate(OPEN_WEBSOCKET, f"ws://{host}:{server.port}/livereload") == "refused"

    response = page.goto(f"http://localhost:{server.port}{HAIYUAN_ITEM}")  # the preview, by another of its names
    assert response is not None and response.status == 200 and HAIYUAN_TEXT in page.content()
    assert page.evaluate(OPEN_WEBSOCKET, f"ws://localhost:{server.port}/livereload") == "open"
    assert page.evaluate(OPEN_WEBSOCKET, f"ws://127.0.0.1:{server.port}/livereload") == "refused"  # another origin
    context.close()
