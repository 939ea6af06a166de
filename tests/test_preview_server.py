"""`gkml serve` as a user runs it: a subprocess on a free loopback port, previewing a copy of the
seed content, asked over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from preview_server import HAIYUAN, HAIYUAN_ITEM, HAIYUAN_TEXT, PreviewProcess


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with PreviewProcess(tmp_path_factory.mktemp("preview"), "--no-index") as process:
        yield process


def test_the_site_is_built_and_served_with_the_reload_script(server):
    status, text = server.text(HAIYUAN_ITEM)
    assert status == 200 and HAIYUAN_TEXT in text
    assert "/livereload.js?port=" in text  # livereload added its script
    status, headers, _ = server.get("/static/css/site.css")
    assert status == 200 and headers["content-type"] == "text/css; charset=utf-8" and headers["cache-control"] == "no-store"
    assert (server.root / ".gkml-preview" / "index.html").is_file() and not (server.root / "public").exists()
    out = (server.root / "serve.out").read_text(encoding="utf-8")
    assert f"预览地址：http://127.0.0.1:{server.port}/" in out


def test_an_edit_is_rebuilt_and_served(server):
    server.edit(HAIYUAN, HAIYUAN_TEXT, HAIYUAN_TEXT + "（第一次修改）")
    assert server.wait_for(HAIYUAN_ITEM, lambda status, text: "第一次修改" in text)[0] == 200
    server.wait_for_output(r"haiyuan-yibao\.yml 有改动；构建完成：.*渲染 \d+ 个")


def test_a_broken_edit_shows_the_error_until_it_is_fixed(server):
    server.edit(HAIYUAN, "公开方式: 主动\n", "公开方式: 主动公开\n")
    text = server.wait_for(HAIYUAN_ITEM, lambda status, text: status == 500)[1]
    lines = (server.content / HAIYUAN).read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(lines, 1) if row.endswith("公开方式: 主动公开"))
    column = lines[line - 1].index("主动公开") + 1
    assert f"{HAIYUAN}:{line}:{column}" in text and f"第 {line} 行，第 {column} 列" in text
    assert "未知的取值“主动公开”" in text and "构建失败" in text and 'lang="zh-CN"' in text
    assert "/livereload.js?port=" in text  # so that the page comes back by itself
    assert server.get("/static/css/site.css")[0] == 200  # the last good site is still served
    assert server.process.poll() is None
    server.edit(HAIYUAN, "公开方式: 主动公开\n", "公开方式: 主动\n")
    assert "第一次修改" in server.wait_for(HAIYUAN_ITEM, lambda status, text: status == 200)[1]


def test_an_edit_of_the_site_configuration_is_rebuilt_and_served(server):
    title = (server.content / "site.yml").read_text(encoding="utf-8").split("网站名称: ", 1)[1].split("\n", 1)[0]
    server.edit("site.yml", f"网站名称: {title}", f"网站名称: {title}（预览）")
    assert server.wait_for("/", lambda status, text: f"{title}（预览）" in text)[0] == 200
    assert f"{title}（预览）" in server.text(HAIYUAN_ITEM)[1]  # every page shows it


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd",
    "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/static/..%5c..%5c..%5cetc%5cpasswd",
    "/a\\b",
    "/.gkml-manifest.sqlite",
    "/link/passwd",
])
def test_traversal_over_http_gets_404_and_the_server_stays_up(server, path):
    link = server.root / ".gkml-preview" / "link"
    if not link.is_symlink():
        link.symlink_to("/etc")
    status, _, body = server.get(path)
    assert status == 404 and b"root:" not in body
    assert server.get("/")[0] == 200


def listening(port: int) -> set[str]:
    """The local addresses of sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                found.add(address)
    return found


def test_it_listens_on_loopback_only(server):
    # 127.0.0.1 in /proc/net/tcp's little-endian hex; nothing on 0.0.0.0 or an IPv6 address
    assert listening(server.port) == {"0100007F"}


def test_ctrl_c_stops_it_cleanly(tmp_path):
    process = PreviewProcess(tmp_path, "--no-index")
    process.start()
    process.edit(HAIYUAN, HAIYUAN_TEXT, HAIYUAN_TEXT + "（停止前）")  # a build thread has run
    process.wait_for(HAIYUAN_ITEM, lambda status, text: "停止前" in text)
    assert process.stop() == 0
    assert "预览已停止。" in process.output()
