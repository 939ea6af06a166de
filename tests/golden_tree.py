"""Golden output trees: what the seed site and the 250-agency synthetic corpus build to, with and
without the search index, recorded as the SHA-256 of every file (of every folder, for the corpus).

A refactoring must leave these bytes alone; `tests/test_golden.py` builds each case and compares.
When output is meant to change, regenerate them and review the diff of tests/golden/:

    python3 tests/golden_tree.py            # every case
    python3 tests/golden_tree.py seeds      # one case

The sources are copied outside any git checkout first, so the pages carry no git history and the
digests do not move with this repository's own commits.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
sys.path.insert(0, str(REPO))

from gkml_ssg.build.orchestrator import BuildOptions, build  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    corpus: int | None  # agencies of bench/make_corpus.py; None: the seeds in content/
    search_index: bool
    per_folder: bool  # one digest per folder of agencies/, legal-basis/ and search-index/ (large trees)

    @property
    def golden(self) -> Path:
        return GOLDEN / f"{self.name}.sha256"


CASES = {
    case.name: case
    for case in (
        Case("seeds", None, True, False),
        Case("seeds-no-index", None, False, False),
        Case("corpus-250", 250, True, True),
        Case("corpus-250-no-index", 250, False, True),
    )
}


def write_sources(case: Case, folder: Path) -> Path:
    """The case's content folder, written into `folder` (outside git)."""
    source = folder / "content"
    if case.corpus is None:
        shutil.copytree(REPO / "content", source)
    else:
        script = REPO / "bench" / "make_corpus.py"
        subprocess.run([sys.executable, str(script), str(case.corpus), str(source)], check=True, stdout=subprocess.DEVNULL)
    return source


def build_case(case: Case, folder: Path) -> Path:
    source = write_sources(case, folder)
    out = folder / "public"
    build(BuildOptions(source=source, out=out, search_index=case.search_index, cache=None))
    return out


def tree_digests(out: Path, per_folder: bool) -> dict[str, str]:
    """Every file gkml wrote (not its hidden manifest), path → SHA-256; with `per_folder`, the
    files of each agencies/<slug>/, legal-basis/<law>/ and search-index/<bundle>/ folder combined."""
    files = {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }
    if not per_folder:
        return files
    groups: dict[str, list[str]] = {}
    for path, found in files.items():
        parts = path.split("/")
        group = "/".join(parts[:2]) + "/" if parts[0] in ("agencies", "legal-basis", "search-index") and len(parts) > 2 else path
        groups.setdefault(group, []).append(f"{path} {found}")
    return {group: hashlib.sha256("\n".join(lines).encode()).hexdigest() for group, lines in groups.items()}


def read_golden(case: Case) -> dict[str, str]:
    lines = case.golden.read_text(encoding="utf-8").splitlines()
    return {path: found for found, path in (line.split("  ", 1) for line in lines)}


def write_golden(case: Case, digests: dict[str, str]) -> None:
    GOLDEN.mkdir(exist_ok=True)
    case.golden.write_text("".join(f"{found}  {path}\n" for path, found in sorted(digests.items())), encoding="utf-8")


def main(names: list[str]) -> None:
    for name in names or list(CASES):
        case = CASES[name]
        with tempfile.TemporaryDirectory() as folder:
            digests = tree_digests(build_case(case, Path(folder)), case.per_folder)
        write_golden(case, digests)
        print(f"{case.golden.relative_to(REPO)}: {len(digests)} entries")


if __name__ == "__main__":
    main(sys.argv[1:])
