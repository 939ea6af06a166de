"""gkml's search index (gkml_ssg/search/bundle.py, read by static/js/search-core.js): the files
decode to exactly the positions of the text, the terms are found through the catalogue's bounds,
and the browser's search over them is exact for unusual text: astral ideographs, Latin letters in
any case, a title longer than the title span, markup in the text (escaped in the excerpt)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from gkml_ssg.search.bundle import CHUNK_BYTES, build_bundle, bundle_meta
from gkml_ssg.search.encoding import gaps, keyed_file, name_order, numbers, read_keyed_file, read_numbers
from gkml_ssg.search.records import SearchRecord
from gkml_ssg.search.shards import Shard, catalogue
from gkml_ssg.search.text import TITLE_SPAN, body_start, is_word_character, normalised_text, page_text, page_tokens

FOLDER = "search-index/shard-000"


def record(url: str, title: str, *fields: str, agency: str = "甲局") -> SearchRecord:
    return SearchRecord(url, title, tuple(fields), page_text(title, list(fields)), {"title": title, "agency": agency},
                        {"机构": [agency], "网址标识": [agency]})


RECORDS = [
    record("/a/", "异地就医备案", "参保人员异地就医需先备案。", "《社会保险法》第二十九条"),
    record("/b/", "GDP 统计公报", "本局公布 gdp 与 CPI；“三公”经费另表。", agency="乙局"),
    record("/c/", "𠀋𠀋生僻字", "含扩展B区汉字𠀋𠀋与𠀋。"),
    record("/d/", "长" * (TITLE_SPAN + 5), "正文里的就医二字"),
    record("/e/", "标记", "<script>alert(1)</script> & <b>就医</b> \"引号\""),
    record("/f/", "预算、决算", "预算决算分列；预算与决算另表"),
]


def unpack(block: bytes, positional: bool) -> dict[int, list[int]]:
    values, found, page, at = read_numbers(block), {}, 0, 0
    while at < len(values):
        page += values[at]
        if positional:
            count = values[at + 1]
            found[page] = [sum(values[at + 2 : at + 3 + i]) for i in range(count)]
            at += 2 + count
        else:
            found[page] = [values[at + 1]]
            at += 2
    return found


def expected_terms(records: list[SearchRecord]) -> tuple[dict[str, dict[int, list[int]]], dict[str, dict[int, list[int]]]]:
    """Every bigram's positions and every character's first position, computed the plain way."""
    bigrams: dict[str, dict[int, list[int]]] = {}
    unigrams: dict[str, dict[int, list[int]]] = {}
    for page, item in enumerate(records):
        title, body = page_tokens(item.title, list(item.fields))
        for offset, tokens in ((0, title), (body_start(len(title)), body)):
            keys = normalised_text(tokens)
            assert len(keys) == len(tokens)
            for i, key in enumerate(keys):
                if is_word_character(key):
                    unigrams.setdefault(key, {}).setdefault(page, [offset + i])
                    if i + 1 < len(keys) and is_word_character(keys[i + 1]):
                        bigrams.setdefault(key + keys[i + 1], {}).setdefault(page, []).append(offset + i)
    return bigrams, unigrams


def test_numbers_and_keyed_files_round_trip_in_javascript_order():
    values = [0, 1, 127, 128, 300, 2**21, 2**35]
    assert read_numbers(numbers(values)) == values
    assert gaps([3, 5, 5, 9]) == [3, 2, 0, 4]
    blocks = {"𠀋": b"\x01", "\uffff": b"\x02", "医": b"", "a": b"\x03\x04"}
    data = keyed_file(blocks)
    assert read_keyed_file(data) == blocks
    # an astral character sorts before U+FFFF in JavaScript (by UTF-16 code units), not after
    assert sorted(blocks, key=name_order) == ["a", "医", "𠀋", "\uffff"]


def test_every_term_decodes_to_the_texts_positions_and_the_bounds_find_its_chunk(monkeypatch):
    monkeypatch.setattr("gkml_ssg.search.bundle.CHUNK_BYTES", 64)  # many chunks, to test the bounds
    files = build_bundle(RECORDS, FOLDER)
    meta = bundle_meta(files, FOLDER)
    bounds = meta["bounds"].split(" ")
    assert len(bounds) > 5 and bounds == sorted(bounds, key=name_order)
    found: dict[str, bytes] = {}
    for number in range(len(bounds) + 1):
        chunk = read_keyed_file(files[f"{FOLDER}/terms/{number}.bin"])
        for term, block in chunk.items():
            # the chunk a browser would pick: as many bounds at or before the term as its number
            assert sum(name_order(bound) <= name_order(term) for bound in bounds) == number, term
            found[term] = block
    bigrams, unigrams = expected_terms(RECORDS)
    assert set(found) == set(bigrams) | set(unigrams)
    for term, pages in bigrams.items():
        assert unpack(found[term], positional=True) == pages, term
    for term, pages in unigrams.items():
        assert unpack(found[term], positional=False) == pages, term
    assert "gd" in bigrams and "GD" not in found  # folded to lower case
    assert "算决" in bigrams and 5 in bigrams["算决"] and "算、" not in found  # punctuation separates


def test_filters_records_and_the_catalogue():
    files = build_bundle(RECORDS, FOLDER)
    meta = bundle_meta(files, FOLDER)
    assert meta["filters"] == ["机构", "网址标识"] and meta["pages"] == len(RECORDS)
    agencies = read_keyed_file(files[f"{FOLDER}/filter/0.bin"])
    assert {value: read_numbers(block) for value, block in agencies.items()} == {"甲局": [0, 2, 1, 1, 1], "乙局": [1]}
    records = json.loads(files[f"{FOLDER}/pages/0.json"])
    assert records[0] == {"url": "/a/", "meta": {"title": "异地就医备案", "agency": "甲局"},
                          "text": "参保人员异地就医需先备案。。《社会保险法》第二十九条"}  # fields joined by 。
    assert records[3]["start"] == 2 * TITLE_SPAN  # a title longer than the span moves the text on
    assert build_bundle(RECORDS, FOLDER) == files  # deterministic
    listing = json.loads(catalogue([(Shard(0, ("a",)), meta)]))
    assert listing["shards"] == [{"folder": "shard-000/", **meta}]
    assert CHUNK_BYTES >= 4096


@pytest.fixture(scope="module")
def index_folder(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("index")
    files = build_bundle(RECORDS, FOLDER)
    for path, data in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    (site / "search-index/index.json").write_bytes(catalogue([(Shard(0, ("a",)), bundle_meta(files, FOLDER))]))
    return site


SEARCH = """
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
const [core, folder, queries] = process.argv.slice(1);
globalThis.fetch = async (url) => new Response(await readFile(decodeURIComponent(new URL(url).pathname)));
const { openIndex, searchQuery } = await import(pathToFileURL(core).href);
const index = await openIndex(pathToFileURL(folder + "/search-index/").href);
const out = {};
for (const query of JSON.parse(queries)) {
  const { results } = await searchQuery(index, query);
  out[query] = await Promise.all(results.map(async (result) => { const d = await result.data(); return [d.url, d.excerpt]; }));
}
// filters: a result must have one of a name's chosen values; a name's own values are counted
// under the other names' filters only
const filtered = await searchQuery(index, "另表", { 机构: ["乙局"] });
out.filtered = (await Promise.all(filtered.results.map((r) => r.data()))).map((d) => d.url);
out.counts = await filtered.counts(["机构"]);
out.allCounts = await (await searchQuery(index, "就医")).counts(["机构"]);
console.log(JSON.stringify(out));
"""


@pytest.mark.node
def test_the_browser_search_is_exact_on_unusual_text_and_escapes_the_excerpt(index_folder):
    queries = ["就医", "𠀋𠀋", "𠀋", "gdp", "CPI", "三公经费", "预算决算", "长长", "script", "引号", "异地就医 备案", "医"]
    output = subprocess.run(
        ["node", "--input-type=module", "-e", SEARCH, str(REPO / "static/js/search-core.js"), str(index_folder), json.dumps(queries)],
        check=True, capture_output=True, text=True,
    ).stdout
    found = json.loads(output)
    assert found.pop("filtered") == ["/b/"]
    assert found.pop("counts") == {"机构": {"甲局": 1, "乙局": 1}}  # 另表 stands in /b/ and /f/
    assert found.pop("allCounts") == {"机构": {"甲局": 3}}
    urls = {query: [url for url, _ in results] for query, results in found.items()}
    for query in queries:
        words = [normalised_text(word) for word in query.split()]
        truth = {item.url for item in RECORDS if all(word in item.text for word in words)}
        assert set(urls[query]) == truth and len(urls[query]) == len(truth), query
    assert urls["就医"][0] == "/a/"  # the title match first
    assert urls["𠀋"] == ["/c/"] and urls["预算决算"] == ["/f/"]
    assert urls["长长"] == ["/d/"]
    excerpt = dict(found["script"])["/e/"]
    assert "<script>" not in excerpt and "&lt;<mark>script</mark>&gt;" in excerpt and "&amp;" in excerpt
    assert "<mark>引号</mark>" in dict(found["引号"])["/e/"]
