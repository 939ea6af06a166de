"""Incremental builds: whatever sequence of edits, the output equals a fresh one-process build."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import REPO
from helpers import search_site, tree_bytes

from gkml_ssg.build import orchestrator as builder
from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.content.load import load_content
from gkml_ssg.search.records import site_records
from gkml_ssg.search.shards import SHARD_PAGE_TARGET, shard_count, shard_number
from gkml_ssg.search.text import query_words
from gkml_ssg.site.graph import assemble
from gkml_ssg.theme import folder as theme_folder


@pytest.fixture
def corpus(tmp_path):
    source = tmp_path / "corpus"
    spare = tmp_path / "spare"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "6", str(source)], check=True)
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "8", str(spare)], check=True)
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    return source, spare, templates


def agency_files(folder):
    return sorted(p for p in folder.rglob("*.yml") if p.name != "site.yml")


# Small shards, so that six agencies spread over several search bundles (56 pages each).
SHARD_PAGES = 60


def check_against_fresh(tmp_path, source, templates, out, step, shard_pages=SHARD_PAGES):
    fresh = tmp_path / f"fresh-{step}"
    build(BuildOptions(source=source, out=fresh, templates=templates, workers=1, shard_pages=shard_pages))
    assert tree_bytes(out) == tree_bytes(fresh), step


def test_edits_adds_renames_and_deletes_stay_identical_to_a_fresh_build(tmp_path, corpus):
    source, spare, templates = corpus
    out = tmp_path / "public"

    def incremental():
        return build(BuildOptions(source=source, out=out, templates=templates, workers=2, shard_pages=SHARD_PAGES))

    first = incremental()
    assert first.rendered == first.pages
    shards = sorted(path.name for path in (out / "search-index").iterdir() if path.is_dir())
    assert len(shards) > 2
    again = incremental()
    assert (again.rendered, again.write.written, again.write.deleted) == (0, 0, 0)

    edited = agency_files(source)[2]
    edited.write_text(edited.read_text(encoding="utf-8").replace("公开内容:", "公开内容: 修订：", 1), encoding="utf-8")
    before = tree_bytes(out)
    report = incremental()
    changed = {path for path, data in tree_bytes(out).items() if before.get(path) != data}
    own_shard = f"search-index/shard-{shard_number(edited.stem, shard_count(first.pages, SHARD_PAGES)):03d}/"
    index_changes = [path for path in changed if path.startswith("search-index/") and path != "search-index/index.json"]
    # one shard re-indexed (the catalogue names its new version)
    assert index_changes and all(path.startswith(own_shard) for path in index_changes)
    agency_pages = sum(1 for page in (out / "agencies").rglob("index.html") if edited.stem in page.parts)
    # no list of pages shows an item's 公开内容; the site's downloads page is made again with its lists
    assert report.rendered == agency_pages + 1
    check_against_fresh(tmp_path, source, templates, out, "edit")

    # A title is shown by the law pages citing its entry: those are rendered again, no other list.
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("二级事项: ", "二级事项: 新标题", 1), encoding="utf-8")
    report = incremental()
    assert agency_pages < report.rendered < agency_pages + 10
    check_against_fresh(tmp_path, source, templates, out, "title")

    added = agency_files(spare)[-1]
    target = source / added.relative_to(spare)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(added, target)
    incremental()
    check_against_fresh(tmp_path, source, templates, out, "add")

    renamed = agency_files(source)[0]
    renamed.rename(renamed.with_name("renamed-agency.yml"))
    report = incremental()
    assert report.write.deleted > 0
    check_against_fresh(tmp_path, source, templates, out, "rename")

    agency_files(source)[1].unlink()
    incremental()
    check_against_fresh(tmp_path, source, templates, out, "delete")

    site = source / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("合成语料", "合成语料（新名称）"), encoding="utf-8")
    report = incremental()
    assert report.rendered == report.pages  # every page shows the site's name
    assert report.current_after is None  # every agency changed: the shards are indexed directly
    check_against_fresh(tmp_path, source, templates, out, "site.yml")

    footer = templates / "base.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace("主办单位", "主办单位："), encoding="utf-8")
    incremental()
    check_against_fresh(tmp_path, source, templates, out, "template")


def test_a_build_killed_while_swapping_files_is_repaired_by_the_next(tmp_path, corpus, monkeypatch):
    source, _, templates = corpus
    out = tmp_path / "public"
    build(BuildOptions(source=source, out=out, templates=templates, workers=1, shard_pages=SHARD_PAGES))
    for path in agency_files(source)[:3]:
        path.write_text(path.read_text(encoding="utf-8").replace("公开内容:", "公开内容: 改：", 1), encoding="utf-8")

    real_replace = os.replace
    swaps = []

    def dying_replace(src, dst):
        swaps.append(dst)
        if len(swaps) == 4:
            raise KeyboardInterrupt  # the process is stopped half way through the swap
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        build(BuildOptions(source=source, out=out, templates=templates, workers=1, shard_pages=SHARD_PAGES))
    monkeypatch.undo()
    for leftover in out.rglob("*.gkml-tmp"):
        leftover.unlink()  # what a killed process leaves behind is not part of the comparison
    build(BuildOptions(source=source, out=out, templates=templates, workers=1, shard_pages=SHARD_PAGES))
    check_against_fresh(tmp_path, source, templates, out, "after a crash")


@pytest.mark.node
def test_an_edit_is_searchable_before_its_shard_is_reindexed(tmp_path, corpus, monkeypatch):
    """The first pass of an edit build writes the pages and an edit bundle; a search then finds the
    edited agency's new text once, and none of its old text, while the other agencies' shards are
    untouched. If the build stops there, the next one finishes it."""
    source, _, templates = corpus
    out = tmp_path / "public"
    # One shard for the six agencies: an edit bundle pays off when its shard is several times larger.
    options = BuildOptions(source=source, out=out, templates=templates, workers=1, shard_pages=SHARD_PAGE_TARGET)
    build(options)
    edited = agency_files(source)[2]
    old_title = next(line.split(": ", 1)[1] for line in edited.read_text(encoding="utf-8").splitlines() if "二级事项: " in line)
    before = search_site(out, ["机关职能", "修订后的标题"])
    edited.write_text(edited.read_text(encoding="utf-8").replace(f"二级事项: {old_title}", "二级事项: 修订后的标题", 1), encoding="utf-8")

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt  # the build is stopped before it re-indexes the shard

    monkeypatch.setattr(builder, "shard_units", stopped)
    with pytest.raises(KeyboardInterrupt):
        build(options)
    monkeypatch.undo()
    catalogue = json.loads((out / "search-index/index.json").read_text(encoding="utf-8"))
    assert catalogue["edits"]["bundle"]["folder"] == "edits/" and catalogue["edits"]["replaced"] == [edited.stem]
    records = site_records(assemble(load_content(source)))
    queries = ["修订后的标题", old_title, "机关职能", "公开"]
    found = search_site(out, queries)
    for query in queries:
        truth = {r.url for r in records if all(word in r.text for word in query_words(query))}
        assert sorted(found[query]) == sorted(truth), query  # each page once, as it is now
    assert len(found["修订后的标题"]) == 1 and before["修订后的标题"] == []

    report = build(options)
    assert report.current_after is None and not (out / "search-index/edits").exists()
    check_against_fresh(tmp_path, source, templates, out, "after the edit bundle", SHARD_PAGE_TARGET)

    edited.write_text(edited.read_text(encoding="utf-8").replace("修订后的标题", "再次修订的标题"), encoding="utf-8")
    report = build(options)
    assert report.current_after is not None and report.current_after < sum(report.seconds.values())
    assert search_site(out, ["再次修订的标题"])["再次修订的标题"]
    check_against_fresh(tmp_path, source, templates, out, "edit bundle then shards", SHARD_PAGE_TARGET)


def test_an_edit_reads_and_decodes_only_the_edited_file(project, monkeypatch):
    """Without a content cache, the other agencies enter the lists from the summaries the manifest
    keeps: their files are neither read nor parsed, and a file only touched is read, not parsed."""
    from conftest import AGENCY_YML

    from gkml_ssg.content import load as load_module

    for name in ("a/x.yml", "b/y.yml", "c/z.yml"):
        project.write(name, AGENCY_YML.replace("名称: ", f"名称: {name[0]}", 1))
    options = BuildOptions(source=project.content, out=project.out, search_index=False, workers=1)
    build(options)
    read, parsed = [], []
    real_read, real_parse = load_module.Path.read_bytes, load_module.parse
    content = project.content.resolve()

    def reading(path):
        if path.resolve().is_relative_to(content):
            read.append(path.name)
        return real_read(path)

    monkeypatch.setattr(load_module.Path, "read_bytes", reading)
    monkeypatch.setattr(load_module, "parse", lambda text: parsed.append(text) or real_parse(text))
    old = time.time() - 60  # as if written a minute ago: sizes and times recorded now can be trusted
    for path in project.content.rglob("*.yml"):
        os.utime(path, (old, old))
    build(options)  # records the trusted times; nothing else to do
    read.clear(), parsed.clear()

    edited = project.write("b/y.yml", AGENCY_YML.replace("名称: ", "名称: 新", 1))
    report = build(options)
    # the scan hashes y.yml, the loader reads it; the shipped reference catalogue (not content) is
    # decoded by every build, as its coverage is on every agency page
    shipped = (theme_folder("references") / "条例第二十条.yml").read_text(encoding="utf-8")
    assert set(read) == {"site.yml", "y.yml"} and len([text for text in parsed if text != shipped]) == 2
    assert 0 < report.rendered < report.pages
    check_identical_to_fresh(project, "edit")

    # An edit no list shows: the other agencies' summaries are not even read back.
    from gkml_ssg.build.manifest import Manifest

    decoded = []
    real_summaries = Manifest.summaries
    monkeypatch.setattr(Manifest, "summaries", lambda self: decoded.append(1) or real_summaries(self))
    project.write("b/y.yml", AGENCY_YML.replace("名称: ", "名称: 新", 1).replace("机构职能", "机构职能和内设机构"))
    report = build(options)
    assert decoded == [] and 0 < report.rendered < report.pages
    check_identical_to_fresh(project, "edit no list shows")

    read.clear(), parsed.clear()
    os.utime(project.content / "a/x.yml")  # touched, not changed
    report = build(options)
    # x.yml is read to see that its bytes are the same; so is y.yml, recorded within 2 s of its
    # writing (a file can change again within the same clock tick, unseen by its time)
    assert sorted(read) == ["x.yml", "y.yml"] and parsed == []
    assert (report.rendered, report.write.written, report.write.deleted) == (0, 0, 0)
    assert edited.exists()


def test_a_new_file_taking_a_kept_agencys_slug_is_refused(project):
    from conftest import AGENCY_YML

    project.write("b/y.yml", AGENCY_YML + "网址标识: same\n")
    options = BuildOptions(source=project.content, out=project.out, search_index=False, workers=1)
    build(options)
    project.write("a/x.yml", AGENCY_YML + "网址标识: same\n")
    with pytest.raises(ContentInvalid) as caught:
        build(options)
    messages = [error.format() for error in caught.value.errors]
    assert len(messages) == 1 and messages[0].startswith("a/x.yml:1:1: 字段“网址标识”：网址标识“same”与 b/y.yml 重复"), messages


def check_identical_to_fresh(project, step):
    fresh = project.root / f"fresh-{step}"
    build(BuildOptions(source=project.content, out=fresh, search_index=False, workers=1))
    assert tree_bytes(project.out) == tree_bytes(fresh), step


def test_summaries_from_another_version_are_not_used(project):
    """A summary the code cannot read back (an older gkml's, or a damaged one) makes the build load
    every agency; one from another version of gkml is replaced when the settings change."""
    from conftest import AGENCY_YML

    from gkml_ssg.build.manifest import MANIFEST_NAME

    for name in ("a/x.yml", "b/y.yml"):
        project.write(name, AGENCY_YML.replace("名称: ", f"名称: {name[0]}", 1))
    options = BuildOptions(source=project.content, out=project.out, search_index=False, workers=1)
    build(options)
    with sqlite3.connect(project.out / MANIFEST_NAME) as connection:
        connection.execute("UPDATE summaries SET summary = ?", (pickle.dumps(("an", "older", "shape")),))
    connection.close()
    project.write("b/y.yml", AGENCY_YML.replace("名称: ", "名称: 新", 1))
    build(options)
    check_identical_to_fresh(project, "older summaries")


def test_index_files_changed_by_hand_are_repaired_by_the_next_build(tmp_path, corpus):
    """The catalogue is remade from the shards' metas, read back from the output folder: a meta or
    catalogue changed by hand since is not trusted; its shard is indexed again, or the edit goes
    straight into its shard."""
    source, _, templates = corpus
    out = tmp_path / "public"
    options = BuildOptions(source=source, out=out, templates=templates, workers=1, shard_pages=SHARD_PAGES)
    build(options)
    files = agency_files(source)
    count = shard_count(sum(1 for _ in (out / "agencies").rglob("index.html")), SHARD_PAGES)
    edited = files[0]
    other = next(f for f in files if shard_number(f.stem, count) != shard_number(edited.stem, count))
    tampered = out / f"search-index/shard-{shard_number(other.stem, count):03d}/meta.json"
    tampered.write_text('{"format": 2, "pages": 0}', encoding="utf-8")
    edited.write_text(edited.read_text(encoding="utf-8").replace("公开内容:", "公开内容: 修订：", 1), encoding="utf-8")
    build(options)
    check_against_fresh(tmp_path, source, templates, out, "a shard's meta changed by hand")

    # one shard, so that an edit goes through an edit bundle; its catalogue changed by hand
    options = BuildOptions(source=source, out=out, templates=templates, workers=1, shard_pages=SHARD_PAGE_TARGET)
    build(options)
    (out / "search-index/index.json").write_text("{}", encoding="utf-8")
    edited.write_text(edited.read_text(encoding="utf-8").replace("修订：", "再修订：", 1), encoding="utf-8")
    report = build(options)
    assert report.current_after is None  # straight into the shard
    check_against_fresh(tmp_path, source, templates, out, "the catalogue changed by hand", SHARD_PAGE_TARGET)
