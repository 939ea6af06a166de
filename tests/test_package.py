"""gkml as a tool for a county's own repository: the wheel, built and installed into a fresh
virtual environment outside this checkout, makes a new site (`gkml new`), checks and builds it;
a site's own template, stylesheet and logo then change the pages they should and no other; and
the themed site, served by nginx with the example CSP, passes axe and raises no CSP violation.

Offline: the wheel is built without build isolation (setuptools and wheel are test extras), and
the environment sees this environment's packages (`--system-site-packages`) for gkml's
dependencies, with gkml itself installed from the wheel alone (`--no-deps --no-index`)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO
from nginx_site import NginxSite
from test_accessibility import AXE, DESKTOP, PHONE, axe_violations, scrolls_sideways, visit, watched_page

from gkml_ssg.keys import gkml_version

# What the wheel is built from: the tracked sources, copied, so that the build's own folders
# (build/, *.egg-info) never land in the checkout.
SOURCES = ["gkml_ssg", "templates", "static", "schema", "references", "setup.py", "pyproject.toml", "README.md", "MANIFEST.in"]
PORTAL = """
门户:
  名称: 示例县人民政府
  网址: https://www.example.gov.cn/
  政府信息公开栏目: https://www.example.gov.cn/zwgk/
  标志: logo.png
  颜色:
    主色: "#1d4e89"
    链接: "#1d4e89"
    浅色背景: "#eef3f9"
"""
# A 1×1 PNG: the smallest real image file.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
)  # fmt: skip
HOME = """{% extends "base.html" %}
{% block head_extra %}<link rel="stylesheet" href="{{ asset('css/county.css') }}">{% endblock %}
{% block main %}<h1>示例县政务公开目录（本县首页）</h1><p><a href="{{ url('search/') }}">搜索公开事项</a></p>{% endblock %}
"""


@pytest.fixture(scope="module")
def gkml(tmp_path_factory) -> Path:
    """The `gkml` command of a fresh virtual environment with the wheel installed."""
    work = tmp_path_factory.mktemp("package")
    source = work / "source"
    for name in SOURCES:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy2)(REPO / name, source / name)  # type: ignore[operator]
    shutil.rmtree(source / "gkml_ssg" / "__pycache__", ignore_errors=True)
    dist = work / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist), str(source)], check=True, cwd=work)
    (wheel,) = dist.glob("gkml-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    subprocess.run([str(venv / "bin/python"), "-m", "pip", "--disable-pip-version-check", "-q", "install", "--no-deps", "--no-index", str(wheel)], check=True, cwd=work)
    return venv / "bin"


def run(bin_folder: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    environment["PATH"] = f"{bin_folder}{os.pathsep}{environment['PATH']}"
    return subprocess.run([str(bin_folder / "gkml"), *args], cwd=cwd, capture_output=True, text=True, env=environment, timeout=600)


def test_the_wheel_carries_the_theme_and_the_schemas(gkml):
    (wheel,) = gkml.parent.parent.glob("dist/gkml-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("templates/base.html", "templates/item.html", "static/css/site.css", "static/js/search.js", "schema/agency.schema.json",
                 "references/条例第二十条.yml"):
        assert f"gkml_ssg/theme/{name}" in names, name
    assert "gkml_ssg/scaffold/files/README.md.txt" in names


@pytest.fixture(scope="module")
def site(gkml, tmp_path_factory) -> Path:
    """A site made by the installed gkml, outside this checkout, built once as `gkml new` leaves it."""
    work = tmp_path_factory.mktemp("county")
    made = run(gkml, "new", "shili-gkml", cwd=work)
    assert made.returncode == 0, made.stderr
    return work / "shili-gkml"


def test_the_installed_gkml_is_the_wheels_and_builds_a_new_site(gkml, site):
    where = subprocess.run([str(gkml / "python"), "-c", "import gkml_ssg; print(gkml_ssg.__file__)"], capture_output=True, text=True, cwd=site)
    assert str(gkml.parent) in where.stdout and str(REPO) not in where.stdout
    version = run(gkml, "--version", cwd=site)
    assert version.stdout.strip() == f"gkml {gkml_version()}"
    checked = run(gkml, "check", "--strict", cwd=site)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run(gkml, "build", "--production", cwd=site)
    assert built.returncode == 0, built.stderr
    home = (site / "public/index.html").read_text(encoding="utf-8")
    assert f'<meta name="generator" content="gkml {gkml_version()}">' in home
    assert (site / "public/search-index/shard-000/meta.json").is_file()  # the search index
    covered = run(gkml, "coverage", "--format", "json", cwd=site)  # the shipped reference catalogue
    assert covered.returncode == 0 and json.loads(covered.stdout)[0]["名称"] == "政府信息公开条例第二十条主动公开事项"


@pytest.fixture(scope="module")
def themed(gkml, site) -> Path:
    """The new site with an overriding template, a stylesheet, a logo and the portal's colours."""
    (site / "templates").mkdir()
    (site / "templates/home.html").write_text(HOME, encoding="utf-8")
    (site / "static/css").mkdir(parents=True)
    (site / "static/css/county.css").write_text("h1 { letter-spacing: 0.05em; }\n", encoding="utf-8")
    (site / "static/logo.png").write_bytes(PNG)
    with (site / "content/site.yml").open("a", encoding="utf-8") as file:
        file.write(PORTAL)
    built = run(gkml, "build", "--base-url", "/gkml/", "--out", "served/gkml", cwd=site)
    assert built.returncode == 0, built.stderr
    return site / "served/gkml"


def test_the_sites_template_stylesheet_and_logo_are_used_and_every_other_page_keeps_the_theme(themed):
    home = (themed / "index.html").read_text(encoding="utf-8")
    assert "示例县政务公开目录（本县首页）" in home and "/gkml/static/css/county.css?v=" in home
    assert (themed / "static/css/county.css").is_file() and (themed / "static/logo.png").read_bytes() == PNG
    pages = [path for path in themed.rglob("index.html") if path != themed / "index.html" and "search-index" not in path.parts]
    assert len(pages) > 5
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert "本县首页" not in html and "county.css" not in html, path  # the theme's own templates
        assert '<img class="portal-logo" src="/gkml/static/logo.png?v=' in html and "返回政府信息公开" in html, path
    assert "--accent: #1d4e89;" in (themed / "static/css/portal.css").read_text(encoding="utf-8")


THEMED_PAGES = ["", "agencies/shili-yibao/", "agencies/shili-yibao/items/jigou-zhineng/", "legal-basis/", "search/?q=医疗保障"]


@pytest.fixture(scope="module")
def served(themed, tmp_path_factory):
    with NginxSite(themed, tmp_path_factory.mktemp("nginx"), "/gkml/") as nginx:
        yield nginx


@pytest.mark.browser
@pytest.mark.nginx
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone-360"])
@pytest.mark.parametrize("path", THEMED_PAGES, ids=lambda path: path.split("?")[0] or "home")
def test_the_themed_site_passes_axe_and_its_csp(served, browser, viewport, path):
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed ({AXE}): run bash tests/install.sh")
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    try:
        page, problems = watched_page(context)
        response = visit(page, served, path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.locator(".portal-home").is_visible() and page.locator(".portal-logo").evaluate("img => img.naturalWidth") == 1
        assert axe_violations(page, AXE.read_text(encoding="utf-8")) == []
        assert not scrolls_sideways(page)
        assert problems == []
    finally:
        context.close()
