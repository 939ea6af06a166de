"""Output formats: a page kind declares its outputs in the registry, and each output is escaped for
its own syntax (HTML autoescape only where the syntax is HTML or XML)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil

import pytest
from conftest import REPO

from gkml_ssg.build.options import static_files
from gkml_ssg.content.load import load_content
from gkml_ssg.content.model import Mode
from gkml_ssg.keys import digest
from gkml_ssg.render.formats import FORMATS, csv_cell, json_value
from gkml_ssg.render.renderer import Renderer
from gkml_ssg.site import kinds
from gkml_ssg.site.graph import assemble
from gkml_ssg.site.kinds import KINDS, Output, PageKind

VERSIONS = {name: digest(data)[:10] for name, data in static_files((REPO / "static",)).items()}
HOSTILE = "<script>alert('x')</script> & \"引号\", =1+2"


def test_every_kind_declares_outputs_whose_templates_and_formats_exist():
    for kind in PageKind:
        spec = KINDS[kind]
        assert spec.outputs, kind
        for output in spec.outputs:
            assert output.format in FORMATS, (kind, output)
            # a binary format has a producer instead of a template
            assert (FORMATS[output.format].produce is not None) != (REPO / "templates" / output.template).is_file(), (kind, output)
    assert {entry_kind.kind for entry_kind in kinds.ENTRY_KINDS} == set(kinds.KIND_LABELS)


@pytest.mark.parametrize("value", ["=SUM(A1:A9)", "+86 951", "-1", "@cmd", "\t=1", "\r=1"])
def test_a_csv_cell_never_starts_a_formula(value):
    cell = csv_cell(value)
    (read,) = next(csv.reader(io.StringIO(cell)))
    assert read == "'" + value
    assert not read.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_a_csv_cell_quotes_what_would_end_it():
    text = 'a,"b"\nc'
    assert next(csv.reader(io.StringIO(csv_cell(text) + "," + csv_cell(None)))) == [text, ""]
    assert csv_cell(Mode.PROACTIVE) == '"主动"'


def test_a_json_value_is_a_literal():
    assert json.loads(json_value(HOSTILE)) == HOSTILE
    assert json.loads(json_value((Mode.ON_REQUEST, 3, None))) == ["依申请", 3, None]


def test_a_page_renders_one_file_per_declared_output_each_escaped_for_its_format(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    (templates / "item.json").write_text('{"title": {{ page.title }}, "mode": {{ page.entry.data.mode }}}\n', encoding="utf-8")
    (templates / "item.csv").write_text("二级事项,公开方式\n{{ page.title }},{{ page.entry.data.mode }}\n", encoding="utf-8")
    (templates / "item.txt").write_text("{{ page.title }}\n", encoding="utf-8")
    spec = KINDS[PageKind.ITEM]
    outputs = (*spec.outputs, Output("json", "item.json", "index.json"), Output("csv", "item.csv", "items.csv"), Output("text", "item.txt", "title.txt"))
    monkeypatch.setitem(KINDS, PageKind.ITEM, dataclasses.replace(spec, outputs=outputs))

    site = assemble(load_content(REPO / "content"))
    page = next(p for p in site.pages if p.kind is PageKind.ITEM)
    page = dataclasses.replace(page, title=HOSTILE)
    files = Renderer((templates,), VERSIONS).render(site, page)

    assert list(files) == [page.path + name for name in ("index.html", "index.json", "items.csv", "title.txt")]
    html = files[page.path + "index.html"].decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert json.loads(files[page.path + "index.json"]) == {"title": HOSTILE, "mode": page.entry.data.mode.value}
    rows = list(csv.reader(io.StringIO(files[page.path + "items.csv"].decode())))
    assert rows == [["二级事项", "公开方式"], [HOSTILE, page.entry.data.mode.value]]
    assert files[page.path + "title.txt"].decode() == HOSTILE + "\n"  # plain text is not HTML-escaped


def test_a_missing_static_file_is_a_template_error_in_chinese(tmp_path):
    from gkml_ssg.content.errors import ContentInvalid

    site = assemble(load_content(REPO / "content"))
    home = next(p for p in site.pages if p.kind is PageKind.HOME)
    with pytest.raises(ContentInvalid, match=r"static/favicon\.svg 不存在"):
        Renderer((REPO / "templates",), {}).render(site, home)


def test_robots_txt_is_plain_text(tmp_path):
    site = assemble(load_content(REPO / "content"), "https://example.gov.cn/a&b/")
    robots = next(p for p in site.pages if p.kind is PageKind.ROBOTS)
    text = Renderer((REPO / "templates",), VERSIONS).render(site, robots)["robots.txt"].decode()
    assert "&amp;" not in text and "/a&b/sitemap.xml" in text
