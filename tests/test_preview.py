"""`gkml serve` without sockets: the WSGI application called with environ dicts, the orchestrator
with an injected build (and once with the real one), and the watcher on a temporary folder."""

from __future__ import annotations

import io
import os
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AGENCY_YML

from gkml_ssg.build.orchestrator import BuildOptions, BuildReport
from gkml_ssg.build.write import OutputRefused, WriteReport
from gkml_ssg.cli.main import main
from gkml_ssg.content.errors import ContentError, ContentInvalid, Origin
from gkml_ssg.serve import preview as preview_module
from gkml_ssg.serve.app import Failure, SiteApp, error_page
from gkml_ssg.serve.preview import Preview, is_loopback, preview_options, site_url
from gkml_ssg.serve.reload import SourceWatcher
from gkml_ssg.theme import folder as theme_folder

PAGE = b'<!DOCTYPE html>\n<html lang="zh-CN">\n<head><title>t</title></head>\n<body>%s</body>\n</html>\n'


def call(app, raw: str, method: str = "GET") -> tuple[str, dict[str, str], bytes]:
    """Call the app as a WSGI server does: the path percent-decoded into latin-1 code points."""
    path, _, query = raw.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": urllib.parse.unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
    }
    found = {}

    def start_response(status, headers):
        found["status"], found["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return found["status"], found["headers"], body


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built site's shape: pages, a 404 page, static files, a search index, the manifest;
    and a secret file beside it."""
    root = tmp_path / "site"
    files = {
        "index.html": PAGE % "首页".encode(),
        "404.html": PAGE % "页面未找到".encode(),
        "agencies/a/index.html": PAGE % "机构甲".encode(),
        "static/css/site.css": b"body{}",
        "static/favicon.svg": b"<svg/>",
        "static/js/search.js": b"export {}",
        "search-index/index.json": b'{"shards":[]}',
        "search-index/shard-000/meta.json": b"{}",
        "search-index/shard-000/terms/0.bin": b"\x01\x02",
        "search-index/shard-000/filter/0.bin": b"\x01\x03",
        "search-index/shard-000/pages/0.json": b"[]",
        "static/x.wasm": b"\x00asm",
        "robots.txt": b"User-agent: *",
        "sitemap.xml": b"<urlset/>",
        ".gkml-manifest.sqlite": b"SQLite format 3",
        "agencies/a/index.html.gkml-tmp": b"half written",
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_bytes(PAGE % b"outside")
    return root


def test_pages_folders_and_assets_are_served_with_their_types(site):
    app = SiteApp(site)
    status, headers, body = call(app, "/")
    assert status == "200 OK" and "首页" in body.decode()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert call(app, "/agencies/a/")[0] == "200 OK"
    status, headers, _ = call(app, "/agencies/a?x=1")
    assert status.startswith("301") and headers["Location"] == "/agencies/a/?x=1"
    expected = {
        "/static/css/site.css": "text/css; charset=utf-8",
        "/static/js/search.js": "text/javascript; charset=utf-8",
        "/static/favicon.svg": "image/svg+xml",
        "/search-index/index.json": "application/json",
        "/search-index/shard-000/meta.json": "application/json",
        "/search-index/shard-000/terms/0.bin": "application/octet-stream",
        "/search-index/shard-000/filter/0.bin": "application/octet-stream",
        "/search-index/shard-000/pages/0.json": "application/json",
        "/static/x.wasm": "application/wasm",
        "/robots.txt": "text/plain; charset=utf-8",
        "/sitemap.xml": "application/xml; charset=utf-8",
    }
    for path, kind in expected.items():
        status, headers, body = call(app, path)
        assert (status, headers["Content-Type"]) == ("200 OK", kind), path
        assert body == (site / path.lstrip("/")).read_bytes()


def test_a_missing_page_gets_the_sites_404_page(site):
    status, headers, body = call(SiteApp(site), "/agencies/nobody/")
    assert status == "404 Not Found" and "页面未找到" in body.decode()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    (site / "404.html").unlink()
    status, _, body = call(SiteApp(site), "/nothing")
    assert status == "404 Not Found" and 'lang="zh-CN"' in body.decode()


# Symbolic links are never followed, wherever they point: the build never writes one, and one rule
# without exceptions is easier to trust than a check of where each leads.
@pytest.mark.parametrize("path", [
    "/../secret.txt",
    "/../x",
    "/%2e%2e%2fsecret.txt",
    "/%2e%2e%2fetc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/agencies/../../secret.txt",
    "/%2E%2E/secret.txt",
    "/a\\b",
    "/%5c..%5csecret.txt",
    "/..\\secret.txt",
    "/%252e%252e%252fsecret.txt",  # double-encoded: a `%` is left after decoding
    "/index.html%00.txt",
    "//etc/passwd",
    "/.gkml-manifest.sqlite",
    "/agencies/a/index.html.gkml-tmp",
    "/./index.html",
    "/%c0%ae%c0%ae/secret.txt",  # overlong UTF-8 for `..`
    "/link-out/secret.txt",
    "/link-out-file",
    "/link-in/index.html",
    "/link-in-file",
    "/outside-dir/",
])
def test_traversal_and_symlinks_get_404(site, path):
    (site / "link-out").symlink_to(site.parent)
    (site / "link-out-file").symlink_to(site.parent / "secret.txt")
    (site / "link-in").symlink_to(site / "agencies")
    (site / "link-in-file").symlink_to(site / "index.html")
    (site / "outside-dir").symlink_to(site.parent / "outside")
    status, _, body = call(SiteApp(site), path)
    assert status == "404 Not Found", path
    assert b"secret" not in body and b"outside" not in body


def test_an_undecoded_path_from_a_careless_server_is_refused_too(site):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/%2e%2e%2fsecret.txt"}
    statuses = []
    SiteApp(site)(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["404 Not Found"]


def test_only_get_and_head(site):
    status, headers, body = call(SiteApp(site), "/", method="HEAD")
    assert status == "200 OK" and body == b"" and int(headers["Content-Length"]) > 0
    status, headers, _ = call(SiteApp(site), "/", method="POST")
    assert status.startswith("405") and headers["Allow"] == "GET, HEAD"


FAILURE = Failure(errors=(
    ContentError("ningxia/zhongwei/haiyuan-yibao.yml", "未知的取值“主动公开”，可选值：主动、依申请", Origin(34, 11),
                 "目录[1].事项[1].公开方式", "是否为“主动”？"),
    ContentError("jiangsu/x.yml", "不是合法的 YAML：<script>alert(1)</script>", Origin(2, 1)),
))


def test_while_the_build_fails_pages_show_its_errors_and_assets_stay(site):
    app = SiteApp(site, lambda: FAILURE)
    for path in ["/", "/agencies/a/", "/agencies/a", "/agencies/new/", "/index.html"]:
        status, headers, body = call(app, path)
        text = body.decode()
        assert status == "500 Internal Server Error", path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert '<html lang="zh-CN">' in text and "</head>" in text  # livereload adds its script before </head>
    assert "ningxia/zhongwei/haiyuan-yibao.yml:34:11" in text and "第 34 行，第 11 列" in text
    assert "目录[1].事项[1].公开方式" in text and "未知的取值“主动公开”" in text and "是否为“主动”？" in text
    assert "内容中有 2 处错误" in text and "保存文件后，本页会自动刷新" in text
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert call(app, "/static/css/site.css")[0] == "200 OK"
    assert call(app, "/search-index/index.json")[0] == "200 OK"
    assert call(app, "/static/missing.css")[0] == "404 Not Found"


def test_a_failure_without_content_errors_shows_its_message():
    text = error_page(Failure(message="构建失败：拒绝把网站写入 /"))
    assert "构建失败：拒绝把网站写入 /" in text and "本页会自动刷新" in text


# The orchestrator, with an injected build.

REPORT = BuildReport(1, 1, WriteReport(1, 0, 0), {"渲染": 0.01})
INVALID = ContentInvalid([ContentError("a.yml", "缺少字段", Origin(1, 1), "名称")])


class FakeBuild:
    """Returns or raises what it is told to, one outcome per call."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls: list[BuildOptions] = []

    def __call__(self, options: BuildOptions, on_current=None) -> BuildReport:
        self.calls.append(options)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


def quiet_preview(build, tmp_path: Path) -> tuple[Preview, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Preview(preview_options(tmp_path / "content", tmp_path / "preview"), build, out, err), out, err


def test_preview_options_build_for_the_root_not_into_public():
    options = preview_options(Path("content"))
    assert options.out == Path(".gkml-preview") and options.base_url == "/"
    assert options.cache == Path(".gkml-cache") and options.search_index
    assert not preview_options(Path("content"), search_index=False).search_index


def test_rebuild_records_failures_and_recovers(tmp_path):
    build = FakeBuild(REPORT, INVALID, REPORT)
    preview, out, err = quiet_preview(build, tmp_path)
    assert preview.rebuild().report == REPORT and preview.failure is None
    failed = preview.rebuild(("a.yml",))
    assert failed.report is None and failed.failure.errors == tuple(INVALID.errors)
    assert preview.failure is failed.failure
    assert "a.yml:1:1: 字段“名称”：缺少字段" in err.getvalue() and "a.yml 有改动；构建失败：发现 1 处错误" in err.getvalue()
    assert preview.rebuild(("a.yml",)).failure is None and preview.failure is None
    assert "a.yml 有改动；构建完成" in out.getvalue()
    assert preview.builds == 3 and all(options is preview.options for options in build.calls)


def test_rebuild_survives_a_refused_output_and_a_bug(tmp_path):
    preview, _, err = quiet_preview(FakeBuild(OutputRefused("拒绝把网站写入 /"), RuntimeError("boom")), tmp_path)
    assert preview.rebuild().failure == Failure(message="构建失败：拒绝把网站写入 /")
    assert preview.rebuild().failure == Failure(message="构建出错：RuntimeError: boom")
    assert "Traceback" in err.getvalue()
    assert "构建出错：RuntimeError: boom" in error_page(preview.failure)


def test_rebuilds_never_overlap(tmp_path):
    running, most = [0], [0]

    def slow_build(options, on_current=None):
        running[0] += 1
        most[0] = max(most[0], running[0])
        time.sleep(0.05)
        running[0] -= 1
        return REPORT

    preview, _, _ = quiet_preview(slow_build, tmp_path)
    threads = [threading.Thread(target=preview.rebuild) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1 and preview.builds == 4


class BlockedBuild:
    """A build that says the site is current, then waits to be released before it ends (as an edit's
    build waits for its search shard)."""

    def __init__(self):
        self.release = threading.Event()
        self.calls = 0

    def __call__(self, options, on_current=None):
        self.calls += 1
        if on_current is not None:
            on_current(0.1)
        assert self.release.wait(10)
        return REPORT


def test_pages_reload_when_the_site_is_current_and_changes_wait_for_the_next_build(tmp_path):
    build = BlockedBuild()
    (tmp_path / "content").mkdir()
    preview, out, _ = quiet_preview(build, tmp_path)
    reloads = []
    preview.files_changed([str(tmp_path / "content" / "a.yml")], lambda: reloads.append(build.calls))
    deadline = time.monotonic() + 10
    while not reloads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert reloads == [1] and preview._worker.is_alive()  # reloaded while the build goes on
    preview.files_changed([str(tmp_path / "content" / "b.yml")], lambda: reloads.append(build.calls))
    preview.files_changed([str(tmp_path / "content" / "c.yml")], lambda: reloads.append(build.calls))
    worker = preview._worker
    build.release.set()
    worker.join(10)
    assert build.calls == 2 and reloads == [1, 2]  # one more build for both changes, no reload at its end
    assert preview.last.changed == ("b.yml", "c.yml")
    assert "网站和搜索已更新（0.10 秒），已刷新浏览器" in out.getvalue()
    assert preview._worker is None


def test_pages_reload_after_a_failed_build(tmp_path):
    preview, _, _ = quiet_preview(FakeBuild(INVALID), tmp_path)
    reloads = []
    preview.files_changed([str(tmp_path / "content" / "a.yml")], lambda: reloads.append(True))
    deadline = time.monotonic() + 10
    while preview._worker is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert reloads == [True] and preview.failure.errors == tuple(INVALID.errors)


def test_the_application_follows_the_last_build(project):
    """The real build: an edit is served, a broken file shows its error, the fix brings the page back."""
    options = BuildOptions(source=project.content, out=project.root / "preview", base_url="/", search_index=False, workers=1)
    agency = project.write("测试省/agency.yml", AGENCY_YML)
    preview = Preview(options, out=io.StringIO(), err=io.StringIO())
    app = preview.application()
    assert preview.rebuild().failure is None
    status, _, body = call(app, "/agencies/agency/items/1/")
    assert status == "200 OK" and "机构职能" in body.decode()
    text = agency.read_text(encoding="utf-8")
    agency.write_text(text.replace("机构职能", "机构职能和内设机构"), encoding="utf-8")
    preview.rebuild()
    assert "机构职能和内设机构" in call(app, "/agencies/agency/items/1/")[2].decode()
    agency.write_text(text.replace("公开方式: 主动", "公开方式: 主动公开"), encoding="utf-8")
    line = text.splitlines().index("        公开方式: 主动") + 1
    assert preview.rebuild().failure is not None
    status, _, body = call(app, "/agencies/agency/items/1/")
    assert status.startswith("500") and f"测试省/agency.yml:{line}:15" in body.decode()
    assert call(app, "/static/css/site.css")[0] == "200 OK"  # the last good site is still there
    agency.write_text(text, encoding="utf-8")
    assert preview.rebuild().failure is None
    status, _, body = call(app, "/agencies/agency/items/1/")
    assert status == "200 OK" and "机构职能" in body.decode()


def test_watched_folders_are_content_templates_static_and_references(tmp_path):
    (tmp_path / "content").mkdir()
    preview, _, _ = quiet_preview(FakeBuild(), tmp_path)
    shipped = theme_folder("references")
    assert preview.watched() == [tmp_path / "content", preview.options.templates, preview.options.static, shipped]
    (tmp_path / "references").mkdir()
    assert preview.watched()[-2:] == [shipped, tmp_path / "references"]  # the site's own, after the shipped


# The watcher, polled by hand.

def test_the_watcher_reports_each_batch_of_changes_once(tmp_path):
    folder = tmp_path / "content"
    (folder / "a").mkdir(parents=True)
    first = folder / "a" / "one.yml"
    first.write_text("1", encoding="utf-8")
    batches = []
    watcher = SourceWatcher(batches.append)
    watcher.watch(str(folder))
    watcher.baseline()
    assert watcher.examine() == (None, None) and batches == []

    def touch(path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8")
        os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))  # a later time, whatever the clock's tick

    touch(first, "2")
    second = folder / "two.yml"
    touch(second, "new")
    assert watcher.examine() == (None, None)
    assert batches == [[str(first), str(second)]]
    assert watcher.examine() == (None, None) and len(batches) == 1  # nothing new
    second.unlink()
    watcher.examine()
    assert batches[-1] == [str(second)]
    for ignored in (".one.yml.swp", "one.yml~", "4913", ".hidden"):
        touch(folder / "a" / ignored, "x")
    watcher.examine()
    assert len(batches) == 2
    watcher._changes.append(("__livereload__", 2))  # what Server.serve queues: passed through untouched
    assert watcher.examine() == ("__livereload__", 2)
    assert watcher.interval() >= watcher.min_interval


def test_loopback_hosts():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.2", "example.com", ""))
    assert site_url("::1", 8000) == "http://[::1]:8000/"


def test_run_warns_when_reachable_from_other_machines(tmp_path, monkeypatch):
    served = []
    monkeypatch.setattr(preview_module, "serve", lambda app, watcher, host, port: served.append((host, port)))
    (tmp_path / "content").mkdir()
    preview, out, err = quiet_preview(FakeBuild(REPORT, REPORT), tmp_path)
    assert preview.run("127.0.0.1", 8123) == 0
    assert err.getvalue() == "" and "预览地址：http://127.0.0.1:8123/" in out.getvalue() and "预览已停止" in out.getvalue()
    assert preview.run("0.0.0.0", 8124) == 0
    assert "警告：预览服务器监听 0.0.0.0，其他机器也能访问它" in err.getvalue()
    assert served == [("127.0.0.1", 8123), ("0.0.0.0", 8124)]


def test_run_stops_when_there_is_nothing_to_serve(tmp_path, monkeypatch):
    monkeypatch.setattr(preview_module, "serve", lambda *args: pytest.fail("served"))
    (tmp_path / "content").mkdir()
    preview, _, _ = quiet_preview(FakeBuild(OutputRefused("拒绝")), tmp_path)
    assert preview.run("127.0.0.1", 8125) == 1


def test_run_serves_the_error_page_when_the_first_build_fails(tmp_path, monkeypatch):
    served = []
    monkeypatch.setattr(preview_module, "serve", lambda app, watcher, host, port: served.append(app))
    (tmp_path / "content").mkdir()
    preview, _, _ = quiet_preview(FakeBuild(INVALID), tmp_path)
    assert preview.run("127.0.0.1", 8126) == 0
    assert call(served[0], "/")[0].startswith("500")


def test_serve_is_a_command():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--source", "--out", "--host", "--port", "--no-index", ".gkml-preview", "127.0.0.1", "8000"):
        assert option in result.output


def test_a_sites_own_templates_and_static_are_watched_before_the_themes(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "static").mkdir()
    preview, _, _ = quiet_preview(FakeBuild(), tmp_path)
    theme = [preview.options.templates, preview.options.static]
    assert preview.watched() == [
        tmp_path / "content", tmp_path / "templates", theme[0], theme[1], tmp_path / "static", theme_folder("references")
    ]
