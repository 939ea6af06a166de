from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

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


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Chromium is not installed: run the README's test command (it installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
