"""Every page tells search engines what it holds: one `<meta name="description">`, made from the
page's own content (an item's 公开内容, an agency's counts), plain text on one line, short enough
for a result snippet, and different from page to page."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.content.load import load_content

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("descriptions") / "public"
    build(BuildOptions(source=REPO / "content", out=out, search_index=False))
    return out


def description(page: Path) -> str:
    found = DESCRIPTION.findall(page.read_text(encoding="utf-8"))
    assert len(found) == 1, page
    return html.unescape(found[0])


def test_every_page_has_one_plain_description_of_snippet_length(site):
    for page in site.rglob("*.html"):
        text = description(page)
        assert 10 <= len(text) <= 200, (page, text)
        assert "\n" not in text and "<" not in text and "**" not in text, (page, text)


def test_descriptions_come_from_the_pages_own_content(site):
    agency = load_content(REPO / "content").agencies[0].agency
    slug = agency.slug or "guannan-yibao"
    item = agency.catalogue[0].items[0]
    text = description(site / "agencies" / slug / "items/1/index.html")
    assert text.startswith(f"{agency.name}·主动公开事项·{item.title}")
    assert item.content is not None and item.content.split("\n")[0][:20] in text
    counts = description(site / "agencies" / slug / "index.html")
    assert agency.name in counts and f"主动公开事项 {sum(len(c.items) for c in agency.catalogue)} 项" in counts


def test_list_and_agency_pages_have_descriptions_of_their_own(site):
    pages = [p for p in site.rglob("*.html") if "/items/" not in p.as_posix() and "/on-request/" not in p.as_posix() and "/negative/" not in p.as_posix()]
    repeated = {text: count for text, count in Counter(description(p) for p in pages).items() if count > 1}
    assert not repeated
