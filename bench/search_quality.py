"""Search quality and cost: recall and precision against substring truth, index time and memory.

    python bench/search_quality.py [--agencies 250] [--work DIR] [--skip-plain]

Builds the seed site (content/) and a synthetic corpus (bench/make_corpus.py), then, for a set of
queries a citizen would type, compares the pages gkml's search returns (the site's search-core.js
run by Node over the built index: bench/search_quality.mjs) with
the truth: the indexed pages whose text contains every word of the query. It also indexes the same
built HTML the plain way (`pagefind --site`, the extended build) and searches it with the raw query,
and prints index build time, peak memory, bundle size and the bytes of a first query for both.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from plain_pagefind import pagefind_executable  # noqa: E402

from gkml_ssg.content.load import load_content  # noqa: E402
from gkml_ssg.search.records import site_records  # noqa: E402
from gkml_ssg.search.text import query_words  # noqa: E402
from gkml_ssg.site.graph import assemble  # noqa: E402

QUERIES = [
    "异地就医",
    "医疗救助",
    "三公经费",
    "行政处罚",
    "定点医疗机构",
    "信息公开年报",
    "政府信息公开",
    "预决算",
    "政府信息公开条例",
    "711号",
    "12345",
    "社会保险法",
    "医保",
    "办事指南",
    "工作日",
    "负面清单",
    "异地就医 备案",
    "医疗救助 标准",
    "政府信息 公开 指南",
    "三公 经费 预算",
    "国务院令 第711号",
    # one character (the unigram index), and odd lengths (bigrams that overlap to cover the word)
    "医",
    "7",
    "医疗保障局",
    "基本医疗保险",
    "医 救助",
]


def truth(records, query: str) -> set[str]:
    words = query_words(query)
    return {r.url for r in records if all(w in r.text for w in words)}


def run_node(site: Path, queries: list[str], *flags: str) -> list[dict]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(queries, handle, ensure_ascii=False)
    try:
        output = subprocess.run(
            ["node", str(REPO / "bench/search_quality.mjs"), str(site), handle.name, *flags],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    return [json.loads(line) for line in output.splitlines()]


_PEAK_WRAPPER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stderr.write(done.stderr)\n"
    "print(done.stdout, end='')\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)


def measured(command: list[str], **kwargs) -> tuple[float, float, str]:
    """Wall time, the peak resident memory (MB) of the largest process the command ran, its output.

    Each command runs under a fresh wrapper process, so the high-water mark is its own."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK_WRAPPER, *command], check=True, capture_output=True, text=True, **kwargs)
    seconds = time.perf_counter() - start
    *output, peak = done.stdout.splitlines()
    return seconds, int(peak) / 1024, "\n".join(output)


def bundle_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def score(name: str, records, site: Path, queries: list[str], *flags: str) -> dict:
    lines = run_node(site, queries, "--bytes", *flags)
    total_truth = total_found = total_hits = 0
    print(f"\n== {name}: {len(records)} indexed pages")
    print(f"{'query':<22}{'truth':>7}{'found':>7}{'hits':>7}{'recall':>9}{'precision':>11}")
    for line in lines:
        expected = truth(records, line["query"])
        found = set(line["urls"])
        hits = len(expected & found)
        recall = hits / len(expected) if expected else 1.0
        precision = hits / len(found) if found else (1.0 if not expected else 0.0)
        total_truth += len(expected)
        total_found += len(found)
        total_hits += hits
        print(f"{line['query']:<22}{len(expected):>7}{len(found):>7}{hits:>7}{recall:>9.3f}{precision:>11.3f}")
    recall = total_hits / total_truth if total_truth else 1.0
    precision = total_hits / total_found if total_found else 1.0
    print(f"{'overall':<22}{total_truth:>7}{total_found:>7}{total_hits:>7}{recall:>9.3f}{precision:>11.3f}")
    return {"recall": recall, "precision": precision, "first_query_bytes": lines[0].get("first_query_bytes"),
            "first_query_requests": lines[0].get("first_query_requests")}


def evaluate(label: str, source: Path, work: Path, skip_plain: bool) -> None:
    out = work / f"{label}-site"
    plain_out = work / f"{label}-plain"
    shutil.rmtree(out, ignore_errors=True)
    seconds, peak, output = measured([sys.executable, "-m", "gkml_ssg", "build", "--source", str(source), "--out", str(out)], cwd=REPO)
    print(f"\n### {label}\ngkml build (pages + search index): {seconds:.1f} s, peak memory {peak:.0f} MB")
    print("  " + output.strip())
    records = site_records(assemble(load_content(source)))
    gkml = score(f"{label}: gkml search", records, out, QUERIES)
    print(f"bundle {bundle_bytes(out / 'search-index') / 1e6:.1f} MB; first query transfers {gkml['first_query_bytes'] / 1e3:.0f} kB"
          f" in {gkml['first_query_requests']} files")
    if skip_plain:
        return
    shutil.rmtree(plain_out, ignore_errors=True)
    shutil.copytree(out, plain_out, ignore=shutil.ignore_patterns("search-index"))
    shutil.copytree(out / "static", plain_out / "static", dirs_exist_ok=True)
    seconds, peak, _ = measured([str(pagefind_executable()), "--site", str(plain_out)])
    print(f"\nplain `pagefind --site` (extended) on the same HTML: {seconds:.1f} s, peak memory {peak:.0f} MB, "
          f"bundle {bundle_bytes(plain_out / 'pagefind') / 1e6:.1f} MB")
    plain = score(f"{label}: plain pagefind --site, raw query", records, plain_out, QUERIES, "--plain")
    print(f"plain first query transfers {plain['first_query_bytes'] / 1e3:.0f} kB in {plain['first_query_requests']} files")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, default=250, help="size of the synthetic corpus (default 250)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "gkml-search-quality")
    parser.add_argument("--skip-plain", action="store_true", help="do not index with plain `pagefind --site`")
    parser.add_argument("--built", type=Path, nargs=2, metavar=("SOURCE", "SITE"),
                        help="only score SITE, already built by gkml from the content folder SOURCE")
    args = parser.parse_args()
    if args.built:
        source, site = args.built
        result = score(f"{site}: gkml search", site_records(assemble(load_content(source, workers=2))), site, QUERIES)
        print(f"first query transfers {result['first_query_bytes'] / 1e3:.0f} kB in {result['first_query_requests']} files")
        return
    args.work.mkdir(parents=True, exist_ok=True)
    evaluate("seeds", REPO / "content", args.work, args.skip_plain)
    corpus = args.work / f"corpus-{args.agencies}"
    shutil.rmtree(corpus, ignore_errors=True)
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), str(args.agencies), str(corpus)], check=True)
    evaluate(f"corpus-{args.agencies}", corpus, args.work, args.skip_plain)


if __name__ == "__main__":
    main()
