"""Issue 20's benchmark: one site built on one machine, as parts + merge, and with
`--distributed local`, interleaved, each checked to give the same bytes.

    python3 bench/distributed_build.py [--agencies 2500] [--repeats 1] [--work DIR]

The corpus (bench/make_corpus.py) is built by province (`构建分区: 省` added to its site.yml). Per
repeat, each in a fresh wrapper process (bench/run.py's `measured`: wall time, the peak RSS of the
largest process, the peak of the process tree's summed PSS), with fresh output folders:

    single        gkml build --no-cache
    parts         gkml build --only <province> --no-cache, one province after another
    merge         gkml merge <parts> (the reduce step)
    distributed   gkml build --distributed local (a LocalCluster of two workers) --no-cache

and prints each, the parts' total and largest, and the wall time of parts + merge on as many
machines as provinces (the largest part, then the merge).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

from run import Run, fresh, measured  # noqa: E402

from gkml_ssg.build.distributed import site_regions  # noqa: E402
from gkml_ssg.content.model import Partition  # noqa: E402

GKML = [sys.executable, "-m", "gkml_ssg"]


def corpus(work: Path, agencies: int) -> Path:
    source = work / f"corpus-{agencies}"
    if not (source / "site.yml").is_file():
        fresh(source)
        subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), str(agencies), str(source)], check=True)
        site = source / "site.yml"
        site.write_text(site.read_text(encoding="utf-8") + "构建分区: 省\n", encoding="utf-8")
    return source


def tree_digest(folder: Path) -> str:
    """A hash of every file's path and bytes but the manifest's."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != ".gkml-manifest.sqlite" and ".gkml-lock" not in path.name:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def row(name: str, runs: list[Run]) -> str:
    seconds = [r.seconds for r in runs]
    return (
        f"{name:<34}{statistics.median(seconds):>9.1f}{min(seconds):>9.1f}{max(r.peak_mb for r in runs):>12.0f}"
        f"{max(r.tree_mb for r in runs):>12.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=2500)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="gkml-distributed-"))
    source = corpus(work, args.agencies)
    regions = site_regions(source, Partition.PROVINCE)
    print(f"{args.agencies} agencies, {len(regions)} provinces, work folder {work}")
    runs: dict[str, list[Run]] = {"single": [], "parts (sum)": [], "largest part": [], "merge": [], "distributed local": []}
    part_runs: list[list[Run]] = []
    for _ in range(args.repeats):
        single = fresh(work / "single")
        runs["single"].append(measured([*GKML, "build", "--source", source, "--out", single, "--no-cache"]))
        print(row("single", runs["single"][-1:]), flush=True)
        parts = [fresh(work / "parts" / str(n)) for n in range(len(regions))]
        this = [
            measured([*GKML, "build", "--source", source, "--out", part, "--only", str(region), "--no-cache"])
            for region, part in zip(regions, parts, strict=True)
        ]
        part_runs.append(this)
        runs["parts (sum)"].append(Run(sum(r.seconds for r in this), max(r.peak_mb for r in this), max(r.tree_mb for r in this), ""))
        runs["largest part"].append(max(this, key=lambda r: r.seconds))
        merged = fresh(work / "merged")
        print(row("parts (sum)", runs["parts (sum)"][-1:]), flush=True)
        runs["merge"].append(measured([*GKML, "merge", *parts, "--source", source, "--out", merged]))
        print(row("merge", runs["merge"][-1:]), flush=True)
        distributed = fresh(work / "distributed")
        runs["distributed local"].append(measured([
            *GKML, "build", "--source", source, "--out", distributed, "--no-cache", "--distributed", "local",
            "--parts", fresh(work / "dask-parts"),
        ]))  # fmt: skip
        print(row("distributed local", runs["distributed local"][-1:]), flush=True)
        expected = tree_digest(single)
        if tree_digest(merged) != expected or tree_digest(distributed) != expected:
            sys.exit("the merged or distributed site differs from the single build")
    print("every merged and distributed site is byte-identical to the single build (manifest aside)\n")
    print(f"{'':<34}{'median s':>9}{'min s':>9}{'peak RSS MB':>12}{'tree PSS MB':>12}")
    for name, series in runs.items():
        print(row(name, series))
    on_n = [largest.seconds + merge.seconds for largest, merge in zip(runs["largest part"], runs["merge"], strict=True)]
    print(f"{'parts + merge on ' + str(len(regions)) + ' machines':<34}{statistics.median(on_n):>9.1f}{min(on_n):>9.1f}")
    print("\nper province (last repeat): seconds, peak RSS MB")
    for region, run in zip(regions, part_runs[-1], strict=True):
        print(f"  {region!s:<12}{run.seconds:>8.1f}{run.peak_mb:>8.0f}")


if __name__ == "__main__":
    main()
