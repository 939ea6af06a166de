"""The seed site's search figures: every query finds exactly the pages whose text contains it.

The truth is read from the built pages (tests/page_text.py: what a reader sees in each indexed
page's content, without navigation and the templates' own wording), not from the records the
indexer is given, so that a field a page shows but its record leaves out is noticed. The search
runs the site's own search-core.js over the built index in Node, through the measurement script
bench/search_quality.mjs (the same path the benchmark takes).
"""

from __future__ import annotations

import json

import pytest
from conftest import REPO
from helpers import search_site
from page_text import indexed_pages

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.search.shards import SHARD_PAGE_TARGET
from gkml_ssg.search.text import normalised_text, query_words

pytestmark = pytest.mark.node  # search-core.js runs in Node

BASE_PATH = "/"  # the seeds' 网址 (site.yml) has no path

QUERIES = {
    # query: pages of the seed site whose content contains it (pinned, so a change is noticed)
    "异地就医": 7,
    "医疗救助": 9,
    "三公经费": 9,  # “三公”经费 counts: quotation marks join
    "行政处罚": 3,
    "定点医疗机构": 4,
    "信息公开年报": 4,
    "预决算": 10,
    "711号": 73,
    "12345": 1,
    "负面清单": 3,  # the negative list, and the remarks of 000's inspections listed there too
    "国务院令第492号": 1,
    "预算、决算": 1,  # the query's own punctuation is ignored: 预算决算
    "异地就医 备案": 7,
    "政府信息 公开 指南": 16,  # with the remarks on 000's rows from its 办事指南 row on
    "火星探测器": 0,
}

# A sentence typed without spaces that no page contains is searched as its words.
SENTENCES = {
    "如何办理异地就医备案": ["办理", "异地就医", "备案"],
    "我想查询三公经费": ["三公", "经费"],
    "医疗救助的标准是什么": ["医疗", "救助", "标准"],
}
RANKED = ("异地就医", "三公经费", "医疗救助")


# The seed site as one search bundle, and split into shards merged at query time (as a province is).
@pytest.fixture(scope="module", params=[SHARD_PAGE_TARGET, 30], ids=["one-bundle", "sharded"])
def seed_site(request, tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds") / "public"
    build(BuildOptions(source=REPO / "content", out=out, shard_pages=request.param))
    shards = json.loads((out / "search-index/index.json").read_text(encoding="utf-8"))["shards"]
    assert len(shards) == (1 if request.param == SHARD_PAGE_TARGET else 5), shards  # 8 shards; 5 have agencies
    return out


@pytest.fixture(scope="module")
def pages(seed_site):
    return indexed_pages(seed_site, BASE_PATH)


@pytest.fixture(scope="module")
def found(seed_site):
    """Each query's result URLs, in rank order."""
    return search_site(seed_site, dict.fromkeys([*QUERIES, *SENTENCES, *RANKED]))


def truth(pages, words) -> set[str]:
    return {url for url, page in pages.items() if page.contains(words)}


def test_the_pinned_counts_are_the_pages_showing_each_query(pages):
    assert {query: len(truth(pages, query_words(query))) for query in QUERIES} == QUERIES


@pytest.mark.parametrize("query", list(QUERIES))
def test_a_query_finds_exactly_the_pages_showing_it(pages, found, query):
    assert len(found[query]) == len(set(found[query]))
    assert set(found[query]) == truth(pages, query_words(query))


def test_recall_and_precision_on_the_seeds(pages, found):
    hits = truth_total = found_total = 0
    for query in QUERIES:
        expected = truth(pages, query_words(query))
        hits += len(expected & set(found[query]))
        truth_total += len(expected)
        found_total += len(found[query])
    assert hits / truth_total == 1.0 and hits / found_total == 1.0


def test_title_matches_rank_first(pages, found):
    for query in RANKED:
        ranked = found[query]
        in_title = [pages[url].title_contains(normalised_text(query)) for url in ranked]
        assert any(in_title) and in_title == sorted(in_title, reverse=True), query


@pytest.mark.parametrize("sentence", list(SENTENCES))
def test_a_sentence_finds_the_pages_containing_all_its_words(pages, found, sentence):
    assert not truth(pages, query_words(sentence))  # no page contains the sentence itself
    expected = truth(pages, SENTENCES[sentence])
    assert expected
    assert set(found[sentence]) == expected
