"""Readers of a site served by nginx from a publish folder see no failed request and no page that
is not wholly one release, while releases are published, a publish is killed half way, releases
are rolled back and old ones pruned."""

from __future__ import annotations

import http.client
import shutil
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Self

import pytest
from conftest import REPO
from nginx_site import NginxSite
from publish_process import publish_and_kill

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.publish.releases import PublishFolder

pytestmark = pytest.mark.nginx

SUB_PATH = "/gkml/"
SITE_NAME = "网站名称: 县级医疗保障局政务公开目录"
# What a reader polls: pages (every one shows the site's name), a stylesheet, the search's entry.
PATHS = [
    "",
    "agencies/huinong-yibao/",
    "agencies/huinong-yibao/items/1/",
    "legal-basis/",
    "search/",
    "static/css/site.css",
    "search-index/index.json",
    "search-index/shard-000/meta.json",
]


def build_version(root: Path, name: str) -> Path:
    """The seed site with its name ending in `name`, built for /gkml/."""
    content = shutil.copytree(REPO / "content", root / f"content-{name}")
    site_yml = content / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    assert SITE_NAME in text
    site_yml.write_text(text.replace(SITE_NAME, f"{SITE_NAME}（{name}）"), encoding="utf-8")
    out = root / f"public-{name}"
    build(BuildOptions(source=content, out=out, base_url=SUB_PATH, workers=1))
    return out


def file_of(site: Path, path: str) -> bytes:
    return (site / path / "index.html" if path == "" or path.endswith("/") else site / path).read_bytes()


class Poller:
    """Threads that GET every path again and again and classify each response: the version whose
    file it is byte for byte, or a failure."""

    def __init__(self, port: int, versions: dict[str, Path], threads: int = 3):
        self.port = port
        self.expected = {path: {name: file_of(site, path) for name, site in versions.items()} for path in PATHS}
        self.seen: Counter[tuple[str, str]] = Counter()  # (path, version)
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def __enter__(self) -> Self:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(10)

    def _run(self) -> None:
        while not self._stop.is_set():
            for path in PATHS:
                status, body = self._get(SUB_PATH + path)
                versions = [name for name, data in self.expected[path].items() if data == body]
                with self._lock:
                    if status != 200 or not versions:
                        self.failures.append(f"{path}: {status}, {len(body)} bytes of no release")
                    for name in versions:
                        self.seen[path, name] += 1

    def _get(self, path: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()
        except OSError as error:
            return 0, str(error).encode()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    root = tmp_path_factory.mktemp("versions")
    yield {name: build_version(root, name) for name in ("v1", "v2")}
    shutil.rmtree(root, ignore_errors=True)


def test_readers_see_whole_releases_through_publish_kill_rollback_and_pruning(versions, tmp_path):
    v1, v2 = versions["v1"], versions["v2"]
    assert "（v1）" in file_of(v1, "").decode() and "（v2）" in file_of(v2, "").decode()
    dest = tmp_path / "dest"
    folder = PublishFolder(dest)
    first = folder.publish(v1).release
    (tmp_path / "nginx").mkdir()
    with NginxSite(dest / "current", tmp_path / "nginx", SUB_PATH) as site, Poller(site.port, versions) as poller:
        def pause() -> None:
            time.sleep(0.15)

        pause()
        killed = publish_and_kill(dest, v2, delay=0)
        assert killed.saw_partial and not killed.exited_first
        assert folder.current() == first  # the kill came while the release was being filled
        pause()
        published = []
        for out in (v2, v1, v2):
            published.append(folder.publish(out).release)
            pause()
        assert folder.current() == published[-1]
        for expected in (published[1], published[0], first):
            assert folder.rollback().current == expected
            pause()
        last = folder.publish(v2, keep=1)
        assert last.removed  # pruned while being served
        pause()
    assert poller.failures == []
    for path in ("", "agencies/huinong-yibao/", "search/"):
        assert poller.seen[path, "v1"] > 0 and poller.seen[path, "v2"] > 0, path
    assert sum(poller.seen.values()) > 200
