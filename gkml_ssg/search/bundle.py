"""A search bundle: the index of a set of pages, as the browser reads it (`static/js/search-core.js`).

Why not Pagefind: its browser runtime loads, before any search, a metadata file that lists every
page of the index (about 7–13 bytes a page: 1.1 MB at 142,000 pages) and its WebAssembly, and
reaches the first result through five requests one after another; at 2,500 agencies a first
search cost 4.5–5.6 MB. Here nothing is loaded per page of the site: a search fetches the blocks
of its query's terms and the records of the results it shows.

A page is a sequence of one-character tokens (`text`). The index holds, for every pair of
adjacent letters, digits or ideographs (a bigram), the pages and positions where it occurs, so a
query of n characters matches where its n-1 bigrams stand at consecutive positions: exact,
whatever the query (the browser reads the ⌈n/2⌉ of them that cover it). A one-character query
reads the unigram index: for every character, its pages and its first
position there. A position below `text.TITLE_SPAN` is in the page's title, which ranks first.

Files, under the bundle's folder:
- `terms/N.bin`: keyed files (`encoding`) of terms in sorted order, cut every `CHUNK_BYTES`; the
  first term of each (the bounds) goes into the catalogue, so a query knows which chunk to fetch.
  A bigram's block: per page, the gap from the previous page, the number of positions and their
  gaps. A unigram's: per page, the gap and the first position.
- `filter/N.bin`: for each filter (`records`), a keyed file of its values' pages (as gaps).
- `pages/N.json`: the records of `GROUP_PAGES` pages in a row (address, title, what the result
  line shows, and the text an excerpt is cut from).
- `meta.json`: what the catalogue says of the bundle (see `shards.catalogue`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from gkml_ssg.search.encoding import add_number, gaps, keyed_file, name_order, numbers
from gkml_ssg.search.records import SearchRecord
from gkml_ssg.search.text import TITLE_SPAN, body_start, is_word_character, page_tokens
from gkml_ssg.search.text import fold as text_fold

BUNDLE_FORMAT = 2
# A chunk of terms closes once it holds this many bytes: a query's term costs at most about this
# much, unless its own block is larger. Smaller chunks lengthen the catalogue's list of bounds.
CHUNK_BYTES = 12 * 1024
# Pages per record file: a result page of 20 reads fewer, larger files.
GROUP_PAGES = 8
META_NAME = "meta.json"


@dataclass
class _Postings:
    """The growing blocks of a bundle's terms, encoded as pages are added (in page order)."""

    blocks: dict[str, bytearray]
    last_page: dict[str, int]

    def add(self, term: str, page: int) -> bytearray:
        block = self.blocks.get(term)
        if block is None:
            block = self.blocks[term] = bytearray()
            add_number(block, page)
        else:
            add_number(block, page - self.last_page[term])
        self.last_page[term] = page
        return block


def _page_terms(tokens: str, offset: int, fold: dict[str, str], firsts: dict[str, int], pairs: dict[str, list[int]]) -> None:
    """Add the unigrams (first position) and bigrams (positions) of `tokens`, numbered from `offset`."""
    before = ""
    for index, character in enumerate(tokens):
        key = fold.get(character)
        if key is None:
            key = fold[character] = text_fold(character) if is_word_character(character) else ""
        if not key:
            before = ""
            continue
        position = offset + index
        if key not in firsts:
            firsts[key] = position
        if before:
            pair = before + key
            found = pairs.get(pair)
            if found is None:
                pairs[pair] = [position - 1]
            else:
                found.append(position - 1)
        before = key


def _page_record(record: SearchRecord, title: str, body: str) -> dict:
    data: dict = {"url": record.url, "meta": record.meta, "text": body}
    if (start := body_start(len(title))) != TITLE_SPAN:
        data["start"] = start
    return data


def build_bundle(records: list[SearchRecord], folder: str) -> dict[str, bytes]:
    """The bundle of `records` (page numbers are their order), keyed by path under `folder`."""
    unigrams = _Postings({}, {})
    bigrams = _Postings({}, {})
    fold: dict[str, str] = {}  # each character's key, or "" for one that is not a word character
    filters: dict[str, dict[str, list[int]]] = {}
    groups: list[list[dict]] = []
    for page, record in enumerate(records):
        title, body = page_tokens(record.title, list(record.fields))
        firsts: dict[str, int] = {}
        pairs: dict[str, list[int]] = {}
        _page_terms(title, 0, fold, firsts, pairs)
        _page_terms(body, body_start(len(title)), fold, firsts, pairs)
        for term, position in firsts.items():
            add_number(unigrams.add(term, page), position)
        for term, positions in pairs.items():
            block = bigrams.add(term, page)
            add_number(block, len(positions))
            for gap in gaps(positions):
                add_number(block, gap)
        for name, values in record.filters.items():
            for value in values:
                filters.setdefault(name, {}).setdefault(value, []).append(page)
        if page % GROUP_PAGES == 0:
            groups.append([])
        groups[-1].append(_page_record(record, title, body))
    files: dict[str, bytes] = {}
    bounds = _write_terms(files, folder, {**unigrams.blocks, **bigrams.blocks})
    names = sorted(filters, key=name_order)
    for number, name in enumerate(names):
        files[f"{folder}/filter/{number}.bin"] = keyed_file({value: numbers(gaps(pages)) for value, pages in filters[name].items()})
    for number, group in enumerate(groups):
        files[f"{folder}/pages/{number}.json"] = _json(group)
    version = hashlib.sha256(b"".join(path.encode() + b"\0" + files[path] for path in sorted(files))).hexdigest()[:16]
    meta = {
        "format": BUNDLE_FORMAT,
        "pages": len(records),
        "group": GROUP_PAGES,
        "bounds": " ".join(bounds),
        "filters": names,
        "version": version,
    }
    files[f"{folder}/{META_NAME}"] = _json(meta)
    return dict(sorted(files.items()))


def _write_terms(files: dict[str, bytes], folder: str, blocks: dict[str, bytearray]) -> list[str]:
    """Cut the sorted terms into chunks; the first term of every chunk after the first."""
    bounds: list[str] = []
    chunk: dict[str, bytes] = {}
    size = 0

    def close() -> None:
        files[f"{folder}/terms/{len(bounds)}.bin"] = keyed_file(chunk)

    for term in sorted(blocks, key=name_order):
        if size >= CHUNK_BYTES:
            close()
            bounds.append(term)
            chunk, size = {}, 0
        chunk[term] = bytes(blocks[term])
        size += len(blocks[term]) + len(term.encode("utf-8")) + 4
    if chunk or not bounds:
        close()
    return bounds


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def bundle_meta(files: dict[str, bytes], folder: str) -> dict:
    """The meta of a bundle `build_bundle` made."""
    return json.loads(files[f"{folder}/{META_NAME}"])


def read_meta(data: bytes | None) -> dict | None:
    """A bundle's meta read back from its file, or None if it is not one this version writes."""
    if data is None:
        return None
    try:
        meta = json.loads(data)
    except ValueError:
        return None
    return meta if isinstance(meta, dict) and meta.get("format") == BUNDLE_FORMAT else None
