"""The search's text rules, in Python (index, truth) and JavaScript (queries), agree."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import REPO

from gkml_ssg.content.load import load_content
from gkml_ssg.search.records import site_records
from gkml_ssg.search.text import TITLE_SPAN, body_start, normalised_text, page_tokens, query_words, text_tokens
from gkml_ssg.site.graph import PageKind, assemble


def test_one_token_per_character_quotes_join_other_punctuation_separates():
    assert text_tokens("区医保局“三公”经费 AB岗") == list("区医保局三公经费AB岗")
    assert "三公经费" in normalised_text("区医保局“三公”经费的开支情况")
    assert "预算决算" not in normalised_text("预算、决算、三公经费")
    assert "711号" in normalised_text("（国务院令 第 711 号）")


def test_query_words():
    assert query_words("异地就医 备案") == ["异地就医", "备案"]
    assert query_words("“三公”经费") == ["三公经费"]
    assert query_words("预算、决算\u3000AB岗") == ["预算决算", "ab岗"]
    assert query_words("  ，。 ") == []


def test_page_tokens_keep_fields_apart_and_the_title_numbered_first():
    title, body = page_tokens("异地 就医", ["备案渠道", "《预算法》", "  "])
    assert title == "异地就医"
    assert body == "备案渠道。《预算法》"  # a phrase cannot run from one field into the next
    assert body_start(len(title)) == TITLE_SPAN and body_start(TITLE_SPAN) == 2 * TITLE_SPAN


@pytest.mark.node
def test_python_and_javascript_rules_agree():
    samples = ["异地就医 备案", "“三公”经费", "预算、决算\u3000AB岗", "国务院令第711号", "Ｑ１２", "社会保险法（2010年）", "İstanbul ΣΑΣ", "𠀋𠀋 ǅ"]
    script = (
        "const core = await import(process.argv[1]);"
        "const samples = JSON.parse(process.argv[2]);"
        "console.log(JSON.stringify(samples.map((s) => core.queryWords(s))));"
    )
    output = subprocess.run(
        ["node", "--input-type=module", "-e", script, str(REPO / "static/js/search-core.js"), json.dumps(samples)],
        check=True, capture_output=True, text=True,
    ).stdout
    for sample, words in zip(samples, json.loads(output), strict=True):
        assert words == query_words(sample), sample


def test_records_hold_page_text_only_once_and_no_navigation():
    site = assemble(load_content(REPO / "content"))
    records = site_records(site)
    assert len(records) == 5 + 120 + 3 + 15
    kinds = {page.path for page in site.pages if page.kind in (PageKind.HOME, PageKind.LEGAL_BASIS, PageKind.SEARCH)}
    assert not {r.url.lstrip("/") for r in records} & kinds
    agency = next(r for r in records if r.url == "/agencies/huinong-yibao/")
    assert "领导信息" not in agency.text  # the catalogue table belongs to the item pages
    assert agency.filters["类型"] == ["机构"]
    item = next(r for r in records if r.url == "/agencies/huinong-yibao/items/2/")
    assert item.meta == {"title": "领导信息", "agency": "惠农区医疗保障局", "kind": "主动公开事项", "category": "概况信息"}
    assert item.filters == {"机构": ["惠农区医疗保障局"], "省份": ["宁夏回族自治区"], "城市": ["石嘴山市"], "类型": ["主动公开事项"],
                            "一级事项": ["概况信息"], "公开方式": ["主动"], "公开对象": ["全社会"],
                            "网址标识": ["huinong-yibao"]}
    for text in ("首页", "公开依据索引", "主办单位", "上一条"):
        assert all(text not in r.text for r in records), text
