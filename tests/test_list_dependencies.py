"""Unit keys are checked, not trusted: every page is rendered through a recording view of the page
graph (tests/recording.py), and what it reads must be covered by what its unit's key is made of.

A page that lists other pages is re-rendered only when its key changes; its key is made from
`site.list_inputs.listing_inputs`, run here through the same recording view. An agency's pages are
re-rendered only when its file, its history or the settings change. A read that its key does not
cover would leave the page stale after an edit, and no other test would notice.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest
from conftest import REPO
from recording import Recorder, unwrapping

from gkml_ssg.build.options import static_files
from gkml_ssg.content.history import git_head, read_history
from gkml_ssg.content.load import load_content
from gkml_ssg.content.references import site_references
from gkml_ssg.keys import digest
from gkml_ssg.render import formats as formats_module
from gkml_ssg.render.formats import FORMATS
from gkml_ssg.render.renderer import Renderer
from gkml_ssg.site import audit_view
from gkml_ssg.site import graph as graph_module
from gkml_ssg.site import summaries as summaries_module
from gkml_ssg.site.graph import SiteGraph, assemble, is_gathered
from gkml_ssg.site.kinds import KINDS, PageKind
from gkml_ssg.site.list_inputs import listing_inputs

# What every page's key includes through the settings (site.yml, the base URL, the code, templates,
# static files and the reference catalogues): reading these needs no key of its own.
SETTINGS = ("site.config", "site.origin", "site.base_path", "site.references", "site.lists.audit.references", "page.reference")
# A digest in a summary stands for the values it was computed from.
DIGEST_OF = {
    "packed_lines": "digest", "wordings": "digest", "total": "digest", "packed_paths": "paths_digest", "packed_items": "items_digest",
}  # fmt: skip


def covered(read: str, key_reads: set[str]) -> bool:
    """Whether the key reads `read`, a value it derives from, or a whole value that contains it."""
    candidates = {read, read.replace(".__len__", ".__iter__")}
    field = read.removesuffix(".__iter__").removesuffix(".__len__")
    while field.endswith("[*]"):
        field = field.removesuffix("[*]").removesuffix(".__iter__").removesuffix(".__len__")
    head, _, last = field.rpartition(".")
    if last in DIGEST_OF:
        candidates.add(f"{head}.{DIGEST_OF[last]}")
    for candidate in candidates:
        if candidate in key_reads or candidate.startswith(SETTINGS):
            return True
        # a key that read a whole value (as text) read everything in it
        if any(candidate.startswith((key + ".", key + "[")) for key in key_reads):
            return True
    return False


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory) -> Iterator[SiteGraph]:
    """The seed site in a git repository of its own (so it has a feed and history pages), with a
    law split by province and the sitemap in parts, so that every kind of page is there."""
    source = tmp_path_factory.mktemp("deps") / "content"
    shutil.copytree(REPO / "content", source)
    env = {"GIT_AUTHOR_DATE": "2024-05-01T10:00:00+08:00", "GIT_COMMITTER_DATE": "2024-05-01T10:00:00+08:00"}
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@example.cn", "commit", "-qm", "首次录入"]):
        subprocess.run(["git", *args], cwd=source, check=True, env={**env, "PATH": "/usr/bin:/bin"})
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(summaries_module, "LAW_PAGE_LIMIT", 40)
        monkeypatch.setattr(graph_module, "SITEMAP_LIMIT", 100)
        monkeypatch.setattr(audit_view, "MATRIX_PAGE_LIMIT", 2)  # the matrix and a wording by province
        monkeypatch.setattr(audit_view, "DEADLINE_PAGE_LIMIT", 10)
        references = tuple(site_references(REPO / "content")[0])
        graph = assemble(load_content(source), "/gkml/", read_history(source, git_head(source)), references)
        kinds = {page.kind for page in graph.pages}
        assert kinds == set(KINDS), set(KINDS) - kinds
        yield graph


@pytest.fixture(scope="module")
def renderer() -> Iterator[Renderer]:
    assets = static_files((REPO / "static",))
    made = Renderer((REPO / "templates",), {name: digest(data)[:10] for name, data in assets.items()})
    # The functions templates and producers hand whole model values to read them whole.
    for name in FORMATS:
        globals_ = made.environment(name).globals
        for function in ("model_tree", "channel_list"):
            globals_[function] = unwrapping(globals_[function])
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(formats_module, "export_agency", unwrapping(formats_module.export_agency))
        yield made


def test_every_list_page_reads_only_what_its_key_covers(seed_graph, renderer):
    problems = {}
    for page in seed_graph.list_pages:
        if is_gathered(page):
            continue  # made from every agency's downloads; its key holds every agency's (build.gathering)
        key = Recorder()
        listing_inputs(key.view(seed_graph, "site"), key.view(page, "page"))
        key.reads.add("page.agency")  # None on every list page: the kind (in the key) says so
        rendering = Recorder()
        renderer.render(rendering.view(seed_graph, "site"), rendering.view(page, "page"))
        missing = sorted(read for read in rendering.reads if not covered(read, key.reads))
        if missing:
            problems[f"{page.kind.value} {page.path}"] = missing
    assert not problems, problems


def test_every_agency_page_reads_only_its_agency_and_the_settings(seed_graph, renderer):
    # An agency's key: its file (all of `page`), its history (in its node) and whether the site
    # has a history at all (every page links to the feed then).
    key_reads = {"page", "site.history.commits.__len__"}
    problems = {}
    for page in seed_graph.pages:
        if page.agency is None:
            continue
        rendering = Recorder()
        renderer.render(rendering.view(seed_graph, "site"), rendering.view(page, "page"))
        missing = sorted(read for read in rendering.reads if not covered(read, key_reads))
        if missing:
            problems[f"{page.kind.value} {page.path}"] = missing
    assert not problems, problems


def test_the_recording_view_renders_the_same_bytes(seed_graph, renderer):
    for kind in PageKind:
        page = next(page for page in seed_graph.pages if page.kind is kind)
        recorder = Recorder()
        assert renderer.render(recorder.view(seed_graph, "site"), recorder.view(page, "page")) == renderer.render(seed_graph, page)


def test_a_read_the_key_does_not_cover_is_caught(seed_graph, renderer):
    """The check itself: a list page whose key leaves out what the page shows fails it."""
    home = next(page for page in seed_graph.pages if page.kind is PageKind.HOME)
    key = Recorder()
    # a key that lists the agencies' addresses and names, not their counts
    [f"{summary.path}|{summary.name}" for summary in key.view(seed_graph, "site").summaries]
    rendering = Recorder()
    renderer.render(rendering.view(seed_graph, "site"), rendering.view(home, "page"))
    missing = {read for read in rendering.reads if not covered(read, key.reads)}
    assert "site.lists.summaries[*].entry_counts[*]" in missing
