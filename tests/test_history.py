"""Pages that know their git history: 更新日期, the change-history page, the Atom feed and the
edit link, from a git repository each test creates; and the same build outside git."""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from conftest import AGENCY_YML
from helpers import tree_bytes

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.content.errors import ContentInvalid

ATOM = "{http://www.w3.org/2005/Atom}"


class Repository:
    """A git repository around a test's content folder, with commits at chosen dates."""

    def __init__(self, project):
        self.project = project
        self.root = project.root
        self.git("init", "-q", "-b", "main")

    def git(self, *arguments: str, date: str = "2024-01-01T09:00:00+08:00") -> str:
        environment = {
            **os.environ,
            "GIT_AUTHOR_NAME": "录入员",
            "GIT_AUTHOR_EMAIL": "officer@example.gov.cn",
            "GIT_COMMITTER_NAME": "录入员",
            "GIT_COMMITTER_EMAIL": "officer@example.gov.cn",
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        run = subprocess.run(["git", *arguments], cwd=self.root, env=environment, capture_output=True, text=True, check=True)
        return run.stdout

    def commit(self, message: str, date: str) -> str:
        self.git("add", "-A", "content")
        self.git("commit", "-q", "-m", message, date=date)
        return self.git("rev-parse", "HEAD").strip()


def options(project, **overrides) -> BuildOptions:
    return BuildOptions(**{"source": project.content, "out": project.out, "search_index": False, **overrides})


def page(project, path: str) -> str:
    return (project.out / path / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def repository(project):
    project.write("a/x.yml", AGENCY_YML)
    project.write("b/y.yml", AGENCY_YML.replace("测试县医疗保障局", "另一县医疗保障局"))
    repository = Repository(project)
    repository.commit("录入两个机构的公开目录", "2024-03-05T10:00:00+08:00")
    project.write("a/x.yml", AGENCY_YML.replace("公开内容: 机构职能", "公开内容: 机构职能和内设机构"))
    repository.commit("更新机构信息的公开内容", "2025-06-01T23:30:00+08:00")
    return repository


def test_pages_show_when_their_file_last_changed_in_git(project, repository):
    build(options(project))
    for path in ("agencies/x/", "agencies/x/items/1/", "agencies/x/items/2/"):
        assert '更新日期：<time datetime="2025-06-01">2025-06-01</time>' in page(project, path), path
    # the date is the author's own day (23:30 in +08:00 is the 1st, though the 1st in UTC too here)
    assert '更新日期：<time datetime="2024-03-05">2024-03-05</time>' in page(project, "agencies/y/items/1/")


def test_each_agency_has_a_change_history_page(project, repository):
    build(options(project))
    history = page(project, "agencies/x/history/")
    rows = re.findall(r'<time datetime="([^"]+)">([^<]+)</time></td>\s*<th scope="row" data-label="修改说明">([^<]+)</th>', history)
    assert rows == [
        ("2025-06-01T23:30:00+08:00", "2025-06-01", "更新机构信息的公开内容"),
        ("2024-03-05T10:00:00+08:00", "2024-03-05", "录入两个机构的公开目录"),
    ]
    assert "a/x.yml" in history
    other = page(project, "agencies/y/history/")
    assert "录入两个机构的公开目录" in other and "更新机构信息的公开内容" not in other
    assert 'href="/agencies/x/history/"' in page(project, "agencies/x/")
    assert 'href="/agencies/x/history/"' in page(project, "agencies/x/items/1/")


def test_the_atom_feed_lists_recent_changes_newest_first(project, repository):
    build(options(project))
    feed = ET.parse(project.out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}updated") == "2025-06-01T23:30:00+08:00"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["更新机构信息的公开内容", "录入两个机构的公开目录"]
    newest = entries[0]
    assert newest.find(f"{ATOM}link").get("href") == "https://example.gov.cn/agencies/x/history/"
    assert "测试县医疗保障局" in newest.findtext(f"{ATOM}summary")
    assert "另一县医疗保障局" in entries[1].findtext(f"{ATOM}summary")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 2 and all(i.startswith("tag:example.gov.cn,20") for i in ids)
    assert 'type="application/atom+xml"' in page(project, "")
    # the feed is not a page of the sitemap
    assert "feed.xml" not in (project.out / "sitemap.xml").read_text(encoding="utf-8")


def test_a_commit_rerenders_only_what_shows_it_and_matches_a_fresh_build(project, repository, tmp_path):
    build(options(project))
    assert build(options(project)).write.written == 0  # nothing changed, not even the history
    project.write("b/y.yml", AGENCY_YML.replace("测试县医疗保障局", "另一县医疗保障局").replace("领导信息", "领导分工"))
    edited = build(options(project))
    # before the commit, y's pages show its edit with the old date
    assert '2024-03-05' in page(project, "agencies/y/items/2/") and "领导分工" in page(project, "agencies/y/items/2/")
    assert edited.write.written > 0
    repository.commit("更新领导信息", "2025-07-02T08:00:00+08:00")
    committed = build(options(project))
    written_after_commit = committed.write.written
    # y's page, its two items and its history page, the feed: x's pages are untouched
    assert written_after_commit == 5
    assert "2025-07-02" in page(project, "agencies/y/items/1/")
    assert "2025-06-01" in page(project, "agencies/x/items/1/")
    fresh = tmp_path / "fresh"
    build(BuildOptions(source=project.content, out=fresh, search_index=False))
    assert tree_bytes(fresh) == tree_bytes(project.out)


def test_a_build_outside_git_has_no_dates_and_is_deterministic(project, tmp_path):
    project.write("a/x.yml", AGENCY_YML)
    build(options(project))
    first = tree_bytes(project.out)
    again = tmp_path / "again"
    build(BuildOptions(source=project.content, out=again, search_index=False))
    assert tree_bytes(again) == first
    assert "更新日期" not in page(project, "agencies/x/")
    assert "暂无变更记录" in page(project, "agencies/x/history/")
    assert not (project.out / "feed.xml").exists()
    assert "application/atom+xml" not in page(project, "")


def test_becoming_a_git_checkout_updates_every_page_like_a_fresh_build(project, tmp_path):
    project.write("a/x.yml", AGENCY_YML)
    project.write("b/y.yml", AGENCY_YML.replace("测试县医疗保障局", "另一县医疗保障局"))
    build(options(project))
    repository = Repository(project)
    project.write("c/z.yml", AGENCY_YML.replace("测试县医疗保障局", "第三县医疗保障局"))
    repository.git("add", "content/a", "content/site.yml")
    repository.git("commit", "-q", "-m", "只提交一个机构", date="2024-05-05T12:00:00+08:00")
    build(options(project))
    # the uncommitted agencies have no date but link to the feed like every page
    assert "更新日期" not in page(project, "agencies/y/") and "feed.xml" in page(project, "agencies/y/")
    fresh = tmp_path / "fresh"
    build(BuildOptions(source=project.content, out=fresh, search_index=False))
    assert tree_bytes(fresh) == tree_bytes(project.out)


def test_the_edit_link_follows_the_configured_pattern(project):
    project.write("site.yml", "网站名称: 测试站点\n网址: https://example.gov.cn/\n编辑链接: https://git.example.gov.cn/yibao/gkml/_edit/main/content/{path}\n")
    project.write("区县/x.yml", AGENCY_YML)
    build(options(project))
    target = "https://git.example.gov.cn/yibao/gkml/_edit/main/content/%E5%8C%BA%E5%8E%BF/x.yml"
    for path in ("agencies/x/", "agencies/x/items/1/", "agencies/x/history/"):
        assert f'href="{target}"' in page(project, path), path


def test_an_edit_link_without_a_path_placeholder_is_refused_in_chinese(project):
    project.write("site.yml", "网站名称: 测试站点\n网址: https://example.gov.cn/\n编辑链接: https://git.example.gov.cn/edit\n")
    project.write("a/x.yml", AGENCY_YML)
    with pytest.raises(ContentInvalid) as raised:
        build(options(project))
    (error,) = raised.value.errors
    assert error.path == "site.yml" and error.field == "编辑链接" and error.origin.line == 3
    assert "{path}" in error.hint
    assert not project.out.exists()
