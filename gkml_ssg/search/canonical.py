"""Make a Pagefind bundle byte-identical for identical input.

Pagefind 1.5 builds its filter indexes from hash maps (an upstream TODO says so), so the order of
the values inside each filter file, and of the filters in the metadata file, changes from run to
run, and with them those files' hash-based names. Everything else it writes is stable. Here the
filter files are decoded (gzip around the `pagefind_dcd` marker and CBOR), their values sorted,
re-encoded under names derived from their new bytes, and the metadata and entry files that name
them are rewritten to match. Page fragments are renamed with longer hashes, unique across shards.
"""

from __future__ import annotations

import gzip
import hashlib
import json

import cbor2

_MARKER = b"pagefind_dcd"


def _decode(data: bytes):
    raw = gzip.decompress(data)
    if not raw.startswith(_MARKER):
        raise ValueError("not a Pagefind data file")
    return cbor2.loads(raw[len(_MARKER) :])


def _encode(value) -> tuple[bytes, str]:
    raw = _MARKER + cbor2.dumps(value)
    return gzip.compress(raw, compresslevel=9, mtime=0), hashlib.sha256(raw).hexdigest()


def canonical_bundle(files: dict[str, bytes], folder: str) -> dict[str, bytes]:
    """`files` are a bundle's files keyed by path under `folder`; returns them canonicalised."""
    entry_path = f"{folder}/pagefind-entry.json"
    entry = json.loads(files[entry_path])
    result = dict(files)
    for language, info in entry["languages"].items():
        meta_path = f"{folder}/pagefind.{info['hash']}.pf_meta"
        meta = _decode(result.pop(meta_path))
        filters = meta[3]  # [[filter name, file hash], …]
        renamed = []
        for name, old_hash in filters:
            filter_index = _decode(result.pop(f"{folder}/filter/{old_hash}.pf_filter"))
            filter_index[1] = sorted(([value, sorted(pages)] for value, pages in filter_index[1]), key=lambda v: v[0])
            data, digest = _encode(filter_index)
            new_hash = f"{language}_{digest[:12]}"
            result[f"{folder}/filter/{new_hash}.pf_filter"] = data
            renamed.append([name, new_hash])
        meta[3] = sorted(renamed, key=lambda f: f[0])
        # A page's id is its fragment's name: 7 hex digits, unique within one bundle only. Shards
        # are merged in the browser, where two pages with one id would be confused (51 pairs at
        # 2,500 agencies), so every fragment is named by 16 digits of its own bytes' hash.
        pages = []
        for old_hash, words in meta[1]:
            data = result.pop(f"{folder}/fragment/{old_hash}.pf_fragment")
            new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:16]}"
            result[f"{folder}/fragment/{new_hash}.pf_fragment"] = data
            pages.append([new_hash, words])
        meta[1] = pages
        data, digest = _encode(meta)
        info["hash"] = f"{language}_{digest[:13]}"
        result[f"{folder}/pagefind.{info['hash']}.pf_meta"] = data
    result[entry_path] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return result
