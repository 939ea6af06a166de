"""Parallel rendering gives the same bytes as one process."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO
from gkml_ssg.builder import BuildOptions, build
from gkml_ssg.parallel_render import PARALLEL_THRESHOLD
from helpers import tree_bytes


def test_output_is_the_same_whatever_the_worker_count(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "40", str(corpus)], check=True)
    one, two = tmp_path / "one", tmp_path / "two"
    report = build(BuildOptions(source=corpus, out=one, search_index=False, workers=1))
    assert report.pages > PARALLEL_THRESHOLD  # large enough that two workers really fork
    build(BuildOptions(source=corpus, out=two, search_index=False, workers=2))
    assert tree_bytes(one) == tree_bytes(two)
