"""Two versions of gkml, interleaved on one corpus: is a change slower?

    python bench/compare_versions.py BEFORE AFTER [--agencies 250] [--repeats 5] [--work DIR] [--edits-only]

BEFORE and AFTER are checkouts of gkml (e.g. `git worktree add /tmp/before <commit>`); each build
runs `python -m gkml_ssg` inside its checkout, so each imports its own code. For every repeat, each
version in turn (the order alternating) makes a cold full build without and with the search index
(empty content cache), a no-change rebuild and a one-agency edit (its 备注, as bench/run.py
does), each into folders of its own. With --edits-only the site is built once per version and only
edits are timed: the seconds until the site and its search are current, and until the build ends
(what bench/edit_latency.py measures, interleaved). Prints medians and the median of the
per-repeat ratios AFTER / BEFORE (below 1 is faster). Wall times on this shared machine move from
run to run; ratios taken in one run hold.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from run import GKML_SUMMARY, Run, agency_files, edit_agency, fresh, make_corpus, measured


def gkml_build(checkout: Path, source: Path, out: Path, *flags: str) -> Run:
    cache = out.with_name(out.name + ".cache")
    command = [sys.executable, "-m", "gkml_ssg", "build", "--source", source, "--out", out, "--cache", cache, *flags]
    run = measured(command, cwd=checkout)
    if not GKML_SUMMARY.search(run.output):
        sys.exit(f"gkml printed no summary line:\n{run.output}")
    return run


def cold(checkout: Path, source: Path, out: Path, *flags: str) -> Run:
    fresh(out)
    fresh(out.with_name(out.name + ".cache"))
    return gkml_build(checkout, source, out, *flags)


def edited(checkout: Path, source: Path, out: Path, mark: str) -> Run:
    """A one-agency edit built, then undone and built again (untimed)."""
    path = agency_files(source)[0]
    original = edit_agency(path, mark)
    try:
        run = gkml_build(checkout, source, out)
    finally:
        path.write_bytes(original)
    gkml_build(checkout, source, out)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--agencies", type=int, default=250)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/tmp/gkml-compare"))
    parser.add_argument("--edits-only", action="store_true")
    args = parser.parse_args()
    # made by BEFORE's generator: a corpus of a newer schema (索引号, …) is one the older version refuses
    corpus = make_corpus(args.agencies, args.work, args.before.resolve() / "bench")
    versions = {"before": args.before.resolve(), "after": args.after.resolve()}
    measures: dict[str, dict[str, list[float]]] = {}

    def note(name: str, version: str, seconds: float | None) -> None:
        if seconds is not None:
            measures.setdefault(name, {}).setdefault(version, []).append(seconds)

    if args.edits_only:
        for version, checkout in versions.items():
            print(f"set-up: {version} builds corpus-{args.agencies} with its index", flush=True)
            cold(checkout, corpus, args.work / f"{version}-site")
    for repeat in range(args.repeats):
        order = list(versions) if repeat % 2 == 0 else list(reversed(versions))
        for version in order:
            checkout, out = versions[version], args.work / f"{version}-site"
            if not args.edits_only:
                note("full build --no-index", version, cold(checkout, corpus, args.work / f"{version}-no-index", "--no-index").seconds)
                note("full build", version, cold(checkout, corpus, out).seconds)
                note("no-change rebuild", version, gkml_build(checkout, corpus, out).seconds)
            run = edited(checkout, corpus, out, f"（比较 {repeat}）")
            note("one-agency edit", version, run.seconds)
            note("edit: site and search current", version, run.current_at)
            print(f"repeat {repeat + 1} {version}: edit {run.seconds:.2f} s (current at {run.current_at})", flush=True)
    print(f"\ncorpus-{args.agencies}, {args.repeats} repeats, interleaved; medians in seconds")
    print(f"{'measure':34} {'before':>8} {'after':>8} {'after/before':>13}")
    for name, found in measures.items():
        before, after = found.get("before", []), found.get("after", [])
        if not before or not after:
            continue
        ratios = [a / b for a, b in zip(after, before, strict=False) if b]
        print(f"{name:34} {statistics.median(before):8.2f} {statistics.median(after):8.2f} {statistics.median(ratios):13.3f}")


if __name__ == "__main__":
    main()
