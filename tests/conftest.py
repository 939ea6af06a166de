from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from nginx_site import NGINX

REPO = Path(__file__).resolve().parent.parent

# Debian's Chromium, driven by Playwright (no browser download), for the tests that need a browser.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

SITE_YML = """\
网站名称: 测试站点
网址: https://example.gov.cn/
主办单位: 测试主办单位
"""

AGENCY_YML = """\
名称: 测试县医疗保障局
地区:
  省: 测试省
  市: 测试市
  区县: 测试县
来源文件: test.txt
目录:
  - 一级事项: 概况信息
    事项:
      - 二级事项: 机构信息
        公开内容: 机构职能
        公开依据:
          - 《中华人民共和国政府信息公开条例》（国务院令第711号）
        公开渠道: [政府网站]
        公开对象: 全社会
        公开方式: 主动
      - 二级事项: 领导信息
"""


class Project:
    """A content folder written inline by a test, built with the real CLI stages."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        self.out = root / "public"
        self.content.mkdir()
        self.write("site.yml", SITE_YML)

    def write(self, relative: str, text: str) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def write_bytes(self, relative: str, data: bytes) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


# Programs from outside Python that some tests need, by the pytest marker such a test carries
# (registered in pyproject.toml): what to call it, and whether it is installed. tests/install.sh
# installs each; a test that requests the `browser` fixture is marked `browser` without asking.
# `pytest -m "not browser"` is the fast local lane: it leaves out the Chromium tests.
REQUIREMENTS: dict[str, tuple[str, Callable[[], bool]]] = {
    "browser": (
        f"Chromium ({CHROMIUM}) with Playwright",
        lambda: CHROMIUM.exists() and importlib.util.find_spec("playwright") is not None,
    ),
    "node": ("Node.js (node)", lambda: shutil.which("node") is not None),
    "nginx": (f"nginx ({NGINX})", NGINX.exists),
    "java": ("Java (java)", lambda: shutil.which("java") is not None),
    "libreoffice": ("LibreOffice (soffice)", lambda: shutil.which("soffice") is not None),
}


@functools.cache
def _installed(marker: str) -> bool:
    return REQUIREMENTS[marker][1]()


def missing(what: str) -> None:
    """Stop the running test because `what` is not installed: skipped on a developer's machine,
    failed under CI=true, where everything tests/install.sh installs must be there."""
    message = f"{what} is not installed: run `bash tests/install.sh` (the README's test command installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true: a missing tool fails the test)", pytrace=False)
    pytest.skip(message)


def require(marker: str) -> None:
    """Skip (or under CI=true fail) the running test unless the program `marker` names is installed."""
    if not _installed(marker):
        missing(REQUIREMENTS[marker][0])


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in REQUIREMENTS:
        if item.get_closest_marker(marker) is not None:
            require(marker)


@pytest.fixture(scope="session")
def seeds_site(tmp_path_factory) -> Path:
    """The seeds built without a search index, once for every test that only reads the output."""
    from gkml_ssg.build.orchestrator import BuildOptions, build

    out = tmp_path_factory.mktemp("seeds-site") / "public"
    build(BuildOptions(source=REPO / "content", out=out, search_index=False))
    return out


@pytest.fixture(scope="session")
def seeds():
    """The seeds' agencies as loaded."""
    from gkml_ssg.content.load import load_content

    return load_content(REPO / "content").agencies


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
