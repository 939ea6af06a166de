"""The seed site's search figures: every query finds exactly the pages whose text contains it.

Runs Pagefind's own pagefind.js over the built bundle in Node, with the site's search-core.js,
through the measurement script bench/search_quality.mjs (the same path the benchmark takes).
"""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import REPO
from helpers import search_site

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.content.load import load_content
from gkml_ssg.search.records import search_records
from gkml_ssg.search.shards import SHARD_PAGE_TARGET
from gkml_ssg.search.text import query_words
from gkml_ssg.site.graph import assemble

QUERIES = {
    # query: pages of the seed site whose text contains it (pinned, so a change is noticed)
    "异地就医": 6,
    "医疗救助": 8,
    "三公经费": 7,  # “三公”经费 counts: quotation marks join
    "行政处罚": 3,
    "定点医疗机构": 4,
    "信息公开年报": 3,
    "预决算": 8,
    "711号": 73,
    "12345": 1,
    "负面清单": 15,
    "国务院令第492号": 1,
    "预算、决算": 1,  # the query's own punctuation is ignored: 预算决算
    "异地就医 备案": 6,
    "政府信息 公开 指南": 7,
    "火星探测器": 0,
}

# The seed site as one search bundle, and split into shards merged at query time (as a province is).
@pytest.fixture(scope="module", params=[SHARD_PAGE_TARGET, 30], ids=["one-bundle", "sharded"])
def seed_site(request, tmp_path_factory):
    if shutil.which("node") is None:
        pytest.fail("Node.js is not installed: run the README's test command (it installs it)")
    out = tmp_path_factory.mktemp("seeds") / "public"
    build(BuildOptions(source=REPO / "content", out=out, shard_pages=request.param))
    shards = json.loads((out / "pagefind/index.json").read_text(encoding="utf-8"))["shards"]
    assert len(shards) == (1 if request.param == SHARD_PAGE_TARGET else 5), shards  # 8 shards; 5 have agencies
    return out


def test_recall_and_precision_on_the_seeds(seed_site):
    records = search_records(assemble(load_content(REPO / "content")))
    found = search_site(seed_site, QUERIES)
    hits = truth_total = found_total = 0
    for query, expected_count in QUERIES.items():
        words = query_words(query)
        truth = {r.url for r in records if all(w in r.text for w in words)}
        assert len(truth) == expected_count, query
        assert set(found[query]) == truth, query
        assert len(found[query]) == len(set(found[query])), query
        hits += len(truth & set(found[query]))
        truth_total += len(truth)
        found_total += len(found[query])
    assert hits / truth_total >= 0.99 and hits / found_total >= 0.95


def test_title_matches_rank_first(seed_site):
    records = {r.url: r for r in search_records(assemble(load_content(REPO / "content")))}
    for query in ("异地就医", "三公经费", "医疗救助"):
        ranked = search_site(seed_site, [query])[query]
        in_title = [query in records[url].title.replace("“", "").replace("”", "") for url in ranked]
        assert any(in_title) and in_title == sorted(in_title, reverse=True), query


@pytest.mark.parametrize(
    ("sentence", "words"),
    [("如何办理异地就医备案", ["办理", "异地就医", "备案"]), ("我想查询三公经费", ["三公", "经费"]), ("医疗救助的标准是什么", ["医疗", "救助", "标准"])],
)
def test_a_sentence_finds_the_pages_containing_all_its_words(seed_site, sentence, words):
    records = search_records(assemble(load_content(REPO / "content")))
    assert not any(query_words(sentence)[0] in r.text for r in records)  # no page contains the sentence itself
    truth = {r.url for r in records if all(w in r.text for w in words)}
    assert truth
    assert set(search_site(seed_site, [sentence])[sentence]) == truth
