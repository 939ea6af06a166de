"""The seed site and the 250-agency corpus, with and without the search index, build to exactly
the bytes recorded in tests/golden/ (see tests/golden_tree.py, which regenerates them)."""

from __future__ import annotations

import pytest
from golden_tree import CASES, build_case, read_golden, tree_digests


@pytest.mark.parametrize("name", list(CASES))
def test_the_build_gives_the_golden_tree(name, tmp_path):
    case = CASES[name]
    found = tree_digests(build_case(case, tmp_path), case.per_folder)
    expected = read_golden(case)
    differing = sorted(path for path in expected.keys() | found.keys() if expected.get(path) != found.get(path))
    assert not differing, f"{len(differing)} differ from {case.golden.name} (python3 tests/golden_tree.py {name} regenerates it): {differing[:20]}"
