"""Build behaviour: determinism, writing only what changed, atomicity, safe output folders."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import AGENCY_YML, REPO
from helpers import tree_bytes

from gkml_ssg.audit.deadlines import deadline_uses
from gkml_ssg.build import write as write_module
from gkml_ssg.build.lock import LOCK_NAME
from gkml_ssg.build.manifest import MANIFEST_NAME, BuildRecord, Manifest
from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.build.write import OutputRefused, Unit, output_path, write_site
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.content.history import read_history
from gkml_ssg.content.load import load_content
from gkml_ssg.site.graph import assemble
from gkml_ssg.site.nodes import summarise

# The seed site's pages: 194, 5 change histories, and the Atom feed when content/ is in a git checkout.
# the agencies' pages and the lists, the feed in a git checkout, and the auditors' pages (their
# index, the 第二十条 matrix, the deadlines and a page per wording, the comparison)
SEED_PAGES = 200 + bool(read_history(REPO / "content").commits) + 4 + len(
    deadline_uses(summarise(node).audited for node in assemble(load_content(REPO / "content")).loaded_agencies())
)


def options(project, **overrides) -> BuildOptions:
    return BuildOptions(**{"source": project.content, "out": project.out, **overrides})


def test_two_builds_of_the_seeds_are_byte_identical(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    build(BuildOptions(source=REPO / "content", out=first))
    build(BuildOptions(source=REPO / "content", out=second))
    files = tree_bytes(first)
    assert files == tree_bytes(second)
    assert sum(1 for path in files if path.endswith((".html", ".xml", ".txt"))) == SEED_PAGES
    assert any(path.startswith("search-index/shard-000/pages/") for path in files)


def test_second_build_writes_nothing(project):
    project.write("a/x.yml", AGENCY_YML)
    first = build(options(project))
    assert first.write.written > 0
    # the lock file says who holds the folder: every build writes it; it is never published
    stamps = {p: p.stat().st_mtime_ns for p in project.out.rglob("*") if p.name != LOCK_NAME}
    second = build(options(project))
    assert (second.write.written, second.write.deleted) == (0, 0)
    assert second.write.unchanged == first.write.written
    assert {p: p.stat().st_mtime_ns for p in project.out.rglob("*") if p.name != LOCK_NAME} == stamps


def test_an_edit_rewrites_only_the_pages_it_changes(project):
    project.write("a/x.yml", AGENCY_YML)
    build(options(project, search_index=False))
    before = tree_bytes(project.out)
    project.write("a/x.yml", AGENCY_YML.replace("公开内容: 机构职能", "公开内容: 机构职能和内设机构"))
    report = build(options(project, search_index=False))
    changed = {path for path, data in tree_bytes(project.out).items() if before.get(path) != data}
    # the item page and the agency page show the content, and so do the item's JSON twin and the
    # agency's downloads that hold the item (proactive.csv, catalogue.xlsx, catalogue.json), the
    # site's gathered list and workbook, and the data package (their hashes); the downloads page
    # too when a size it shows changed; nothing else
    agency = "agencies/x/"
    assert changed - {"downloads/index.html", ".gkml-manifest.sqlite"} == {
        f"{agency}items/1/index.html", f"{agency}items/1/index.json", f"{agency}index.html",
        f"{agency}proactive.csv", f"{agency}catalogue.xlsx", f"{agency}catalogue.json",
        "downloads/proactive.csv", "downloads/catalogue.xlsx", "datapackage.json",
    }
    assert report.write.written == len(changed - {".gkml-manifest.sqlite"})


def test_outputs_whose_source_is_gone_are_deleted_and_foreign_files_kept(project):
    project.write("a/x.yml", AGENCY_YML)
    project.write("b/y.yml", AGENCY_YML)
    build(options(project, search_index=False))
    (project.out / "operator-note.txt").write_text("kept", encoding="utf-8")
    assert (project.out / "agencies/y/items/2/index.html").is_file()
    (project.content / "b/y.yml").unlink()
    report = build(options(project, search_index=False))
    # its page, its five downloads and its comparison file, its change history, its two items'
    # pages and their JSON twins
    assert report.write.deleted == 12
    assert not (project.out / "agencies/y").exists()
    assert (project.out / "operator-note.txt").read_text(encoding="utf-8") == "kept"


def test_a_failed_write_leaves_the_previous_site(project, monkeypatch):
    project.write("a/x.yml", AGENCY_YML)
    build(options(project))
    before = tree_bytes(project.out)
    project.write("a/x.yml", AGENCY_YML.replace("测试县医疗保障局", "改名后的医疗保障局"))
    calls = []

    def failing_open(file, mode="r", *args, **kwargs):
        calls.append(file)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return open(file, mode, *args, **kwargs)

    monkeypatch.setattr(write_module, "open", failing_open, raising=False)
    with pytest.raises(OutputRefused, match=r"无法写入 .*\.gkml-staging/2（No space left on device）：磁盘已满：请腾出空间后重新构建"):
        build(options(project))
    monkeypatch.undo()
    assert tree_bytes(project.out) == before  # no temporary left behind, nothing half-replaced
    folders = {p for p in project.out.rglob("*") if p.is_dir()}
    assert not any(p.name == ".gkml-staging" for p in folders)


def test_invalid_content_writes_nothing(project):
    project.write("a/x.yml", AGENCY_YML)
    build(options(project))
    before = tree_bytes(project.out)
    project.write("a/x.yml", AGENCY_YML + "未知: 1\n")
    with pytest.raises(ContentInvalid):
        build(options(project))
    assert tree_bytes(project.out) == before


@pytest.mark.parametrize("where", ["source", "parent-of-source", "inside-source", "root", "home"])
def test_refuses_an_unsafe_output_folder(project, where):
    project.write("a/x.yml", AGENCY_YML)
    out = {
        "source": project.content,
        "parent-of-source": project.root,
        "inside-source": project.content / "public",
        "root": Path("/"),
        "home": Path.home(),
    }[where]
    with pytest.raises(OutputRefused):
        build(options(project, out=out))
    assert not (project.content / "index.html").exists()


@pytest.mark.parametrize("relative", ["../evil.html", "/etc/passwd", "a/../../x", "a\\..\\x", "", "a//b", "./a"])
def test_no_output_path_escapes_the_folder(tmp_path, relative):
    with pytest.raises(OutputRefused):
        output_path(tmp_path, relative)


def test_a_tampered_manifest_deletes_nothing_outside(tmp_path):
    out = tmp_path / "public"
    victim = tmp_path / "victim.txt"
    victim.write_text("safe", encoding="utf-8")
    write_site(out, Manifest(), [Unit("site", "k", {"index.html": b"x"})], BuildRecord("s", {}))
    with sqlite3.connect(out / MANIFEST_NAME) as connection:
        connection.execute("""UPDATE units SET outputs = '{"../victim.txt": "0", "index.html": "0"}' WHERE name = 'site'""")
    connection.close()
    write_site(out, Manifest.read(out), [Unit("site", "k2", {"index.html": b"y"})], BuildRecord("s", {}))
    assert victim.read_text(encoding="utf-8") == "safe"
    assert (out / "index.html").read_bytes() == b"y"


class ScriptFinder(HTMLParser):
    """Every way a page could run script, except the site's own module scripts under static/js/."""

    def __init__(self):
        super().__init__()
        self.vectors: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and (attributes.get("src") or "").startswith("/static/js/"):
            self.in_script = True
        elif tag in ("script", "iframe", "object", "embed", "img", "svg", "math", "style"):
            self.vectors.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.vectors.append(f"{tag} {name}")
            if name in ("href", "src", "action", "formaction") and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.vectors.append(f"{tag} {name}={value}")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.vectors.append("inline script text")


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[点我](javascript:alert(1))",
    "[点我](JAVASCRIPT:alert(1))",
    "[点我](data:text/html;base64,PHNjcmlwdD4=)",
    "[点我](&#106;avascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "\"><svg onload=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_builds_into_pages_without_a_script_vector(project, payload):
    quoted = payload.replace("\\", "\\\\").replace('"', '\\"')
    text = (
        AGENCY_YML.replace("公开内容: 机构职能", f'公开内容: "{quoted}"\n        备注: "{quoted}"')
        .replace("二级事项: 领导信息", f'二级事项: "{quoted}"')
        .replace("名称: 测试县医疗保障局", f'名称: "{quoted}"')
    )
    project.write("a/x.yml", text)
    build(options(project))
    for html_file in project.out.rglob("*.html"):
        finder = ScriptFinder()
        finder.feed(html_file.read_text(encoding="utf-8"))
        assert finder.vectors == [], html_file


def test_build_py_and_the_console_command_do_the_same_build(tmp_path):
    script_out, command_out = tmp_path / "a", tmp_path / "b"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--out", str(script_out)], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"构建完成：{SEED_PAGES} 个页面（渲染 {SEED_PAGES} 个）；写入 ")
    run = subprocess.run(
        [sys.executable, "-m", "gkml_ssg", "build", "--out", str(command_out)], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert tree_bytes(script_out) == tree_bytes(command_out)


def test_help_documents_every_command():
    from click.testing import CliRunner

    from gkml_ssg.cli.main import main

    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in main.commands:
        assert command in result.output
    build_help = CliRunner().invoke(main, ["build", "--help"]).output
    for option in ("--source", "--out", "--base-url"):
        assert option in build_help


def test_the_content_cache_decodes_only_changed_files_and_changes_nothing(project, tmp_path, monkeypatch):
    from gkml_ssg.content import load as load_module

    project.write("a/x.yml", AGENCY_YML)
    project.write("b/y.yml", AGENCY_YML)
    cache = tmp_path / "cache"
    build(options(project, cache=cache, search_index=False))
    decoded = []
    real_parse = load_module.parse
    monkeypatch.setattr(load_module, "parse", lambda text: decoded.append(text) or real_parse(text))
    project.write("b/y.yml", AGENCY_YML.replace("机构职能", "机构职能和内设机构"))
    build(options(project, cache=cache, search_index=False))
    assert len(decoded) == 2  # site.yml (small, always parsed) and the edited file; x.yml comes from the cache
    fresh = tmp_path / "fresh"
    build(options(project, out=fresh, search_index=False))
    assert tree_bytes(fresh) == tree_bytes(project.out)
