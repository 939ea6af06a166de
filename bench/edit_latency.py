"""How soon after a one-agency edit the site and its search are current, on a site already built.

    python bench/edit_latency.py CONTENT PUBLIC [--repeats N] [--title]

CONTENT must have been built into PUBLIC by gkml (with its search index). Each repeat appends a
mark to one agency's 备注 (as bench/run.py does; no list shows it), or with --title to the title
(二级事项) of its first item (the law pages citing the item show it), runs `gkml build` with the content cache beside
PUBLIC, and prints the seconds from the command's start until it said `网站和搜索已更新` (site and
search current) and until it ended; the file is then restored, and the next build puts the site
back. Quicker than bench/run.py when only the edit path changed; run.py remains the reference.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from run import agency_files, edit_agency

REPO = Path(__file__).resolve().parent.parent


def timed_build(content: Path, public: Path) -> tuple[float | None, float, str]:
    command = [sys.executable, "-m", "gkml_ssg", "build", "--source", str(content), "--out", str(public),
               "--cache", str(public.with_name(public.name + ".cache"))]
    start = time.perf_counter()
    current = None
    summary = ""
    with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True) as process:
        for line in process.stdout:
            if current is None and line.startswith("网站和搜索已更新"):
                current = time.perf_counter() - start
            if line.startswith("构建完成"):
                summary = line.strip()
    if process.returncode != 0:
        sys.exit(f"gkml build failed: {' '.join(command)}")
    return current, time.perf_counter() - start, summary


def edit_title(path: Path, mark: str) -> bytes:
    """Append `mark` to the first item's 二级事项; returns the original bytes."""
    original = path.read_bytes()
    lines = original.decode("utf-8").split("\n")
    line = next(i for i, text in enumerate(lines) if text.lstrip().startswith(("- 二级事项: ", "二级事项: ")))
    lines[line] = lines[line].rstrip("'") + mark + ("'" if lines[line].endswith("'") else "")
    path.write_text("\n".join(lines), encoding="utf-8")
    return original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("content", type=Path)
    parser.add_argument("public", type=Path)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--title", action="store_true", help="edit an item's title instead of the agency's 备注")
    args = parser.parse_args()
    edited = agency_files(args.content)[0]
    currents, finishes = [], []
    for repeat in range(1, args.repeats + 1):
        original = edit_title(edited, f"（修订 {repeat}）") if args.title else edit_agency(edited, f"（修订 {repeat}）")
        try:
            current, finished, summary = timed_build(args.content, args.public)
        finally:
            edited.write_bytes(original)
        print(f"edit {repeat}: current at {current if current is None else round(current, 2)} s, finished at {finished:.2f} s")
        print(f"  {summary}")
        if current is not None:
            currents.append(current)
        finishes.append(finished)
    timed_build(args.content, args.public)  # back to the unedited site
    if currents:
        print(f"median: current at {statistics.median(currents):.2f} s (min {min(currents):.2f}, max {max(currents):.2f}),"
              f" finished at {statistics.median(finishes):.2f} s")
    else:
        print("the build never went through the edit bundle (no index, or too many changes)")


if __name__ == "__main__":
    main()
