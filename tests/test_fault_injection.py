"""A build killed at any point is repaired by the next one, whatever was edited since.

A 30-agency site is built; then one agency's item title is edited (its pages and the law pages
citing the item change) and another agency's file is deleted (its pages go); `gkml build` runs and
is killed with SIGKILL (tests/kill_build.py) at one point: the n-th temporary written, the n-th
file swapped in, the manifest's record, or after a while. Then the edit is kept or undone, and a
plain build must leave exactly the bytes of a fresh build of what the content now is, with no
temporary left, for every kill point tried.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from helpers import tree_bytes

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.build.write import STAGING_NAME

KILLER = Path(__file__).parent / "kill_build.py"
AGENCIES = 30


def published(out: Path) -> dict[str, bytes]:
    """The site's files: everything but gkml's hidden bookkeeping (manifest, lock)."""
    return {path: data for path, data in tree_bytes(out).items() if not Path(path).name.startswith(".gkml-")}


class Scenario:
    def __init__(self, root: Path, search_index: bool):
        self.root = root
        self.search_index = search_index
        self.original = root / "original"
        subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), str(AGENCIES), str(self.original)], check=True)
        self.edited = root / "edited"
        shutil.copytree(self.original, self.edited)
        files = sorted(p for p in self.edited.rglob("*.yml") if p.name != "site.yml")
        title = next(line for line in files[0].read_text(encoding="utf-8").splitlines() if "二级事项: " in line)
        files[0].write_text(files[0].read_text(encoding="utf-8").replace(title, title.rstrip("'") + "（修订）", 1), encoding="utf-8")
        files[5].unlink()
        self.built = root / "built"  # the original, built
        self.fresh = {name: self._fresh(name) for name in ("original", "edited")}

    def _fresh(self, name: str) -> dict[str, bytes]:
        out = self.root / f"fresh-{name}"
        build(self.options(self.root / name, out))
        if name == "original":
            shutil.copytree(out, self.built)
        return published(out)

    def options(self, source: Path, out: Path) -> BuildOptions:
        return BuildOptions(source=source, out=out, search_index=self.search_index, workers=1)

    def flags(self) -> list[str]:
        return ["--workers", "1", *([] if self.search_index else ["--no-index"])]

    def killed(self, kill: str, case: Path) -> tuple[Path, Path, subprocess.CompletedProcess]:
        """A copy of the original content and site, the edit made, and the build killed at `kill`."""
        source, out = case / "content", case / "public"
        shutil.copytree(self.edited, source)
        shutil.copytree(self.built, out)
        command = [sys.executable, str(KILLER), "--source", str(source), "--out", str(out), *self.flags()]
        done = subprocess.run(command, env={"GKML_KILL": kill, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=300)
        return source, out, done

    def counts(self, case: Path) -> dict[str, int]:
        _, _, done = self.killed("count", case)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def without_index(tmp_path_factory) -> Scenario:
    return Scenario(tmp_path_factory.mktemp("kill"), search_index=False)


@pytest.fixture(scope="module")
def with_index(tmp_path_factory) -> Scenario:
    return Scenario(tmp_path_factory.mktemp("kill-index"), search_index=True)


def check_repaired(scenario: Scenario, source: Path, out: Path, keep_edit: bool) -> None:
    if not keep_edit:
        shutil.rmtree(source)
        shutil.copytree(scenario.original, source)
    build(scenario.options(source, out))
    assert not (out / STAGING_NAME).exists()
    assert not list(out.rglob("*.gkml-tmp"))
    expected = scenario.fresh["edited" if keep_edit else "original"]
    found = published(out)
    differing = sorted(path for path in expected.keys() | found.keys() if expected.get(path) != found.get(path))
    assert not differing, f"{len(differing)} files differ from a fresh build, e.g. {differing[:5]}"


def kill_points(counts: dict[str, int]) -> list[str]:
    """The first, second, middle, last but one and last of each kind of point."""
    points = []
    for point, total in sorted(counts.items()):
        points += [f"{point}:{n}" for n in sorted({1, 2, total // 2, total - 1, total}) if 0 < n <= total]
    return points


def test_a_build_killed_at_any_point_is_repaired(without_index, tmp_path):
    counts = without_index.counts(tmp_path / "count")
    assert counts["write"] > 10 and counts["replace"] == counts["write"] and counts["record"] == 1, counts
    tried = []
    for point in kill_points(counts):
        for keep_edit in (True, False):
            case = tmp_path / f"{point.replace(':', '-')}-{keep_edit}"
            source, out, done = without_index.killed(point, case)
            assert done.returncode == -9, (point, done.stdout, done.stderr)  # killed where asked
            check_repaired(without_index, source, out, keep_edit)
            tried.append((point, keep_edit))
    assert len(tried) >= 20


def test_a_build_with_its_search_index_killed_at_any_point_is_repaired(with_index, tmp_path):
    # The edit goes into the edit bundle first, then the shard is re-indexed and the bundle
    # dropped: two transactions, each with its swaps and its record.
    counts = with_index.counts(tmp_path / "count")
    assert counts["record"] == 2, counts
    for point in ["record:1", "record:2", f"replace:{counts['replace'] - 3}", f"write:{counts['write'] - 1}"]:
        for keep_edit in (True, False):
            case = tmp_path / f"{point.replace(':', '-')}-{keep_edit}"
            source, out, done = with_index.killed(point, case)
            assert done.returncode == -9, (point, done.stderr)
            check_repaired(with_index, source, out, keep_edit)
