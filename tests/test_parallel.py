"""Parallel rendering gives the same bytes as one process."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO
from helpers import tree_bytes

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.render.parallel import PARALLEL_THRESHOLD


def test_output_is_the_same_whatever_the_worker_count(tmp_path):
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "40", str(corpus)], check=True)
    one, two = tmp_path / "one", tmp_path / "two"
    report = build(BuildOptions(source=corpus, out=one, search_index=False, workers=1))
    assert report.pages > PARALLEL_THRESHOLD  # large enough that two workers really fork
    build(BuildOptions(source=corpus, out=two, search_index=False, workers=2))
    assert tree_bytes(one) == tree_bytes(two)


def test_parallel_loading_gives_the_same_content_and_the_same_errors(tmp_path, monkeypatch):
    import pytest

    from gkml_ssg.content import load
    from gkml_ssg.content.errors import ContentInvalid

    monkeypatch.setattr(load, "_PARALLEL_FILES", 2)
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "12", str(corpus)], check=True)
    assert load.load_content(corpus, workers=1) == load.load_content(corpus, workers=2)
    broken = sorted(corpus.rglob("*.yml"))[3]
    broken.write_text(broken.read_text(encoding="utf-8").replace("公开方式: 主动", "公开方式: 主动公开", 1), encoding="utf-8")
    messages = []
    for workers in (1, 2):
        with pytest.raises(ContentInvalid) as caught:
            load.load_content(corpus, workers=workers)
        messages.append([error.format() for error in caught.value.errors])
    assert messages[0] == messages[1] and messages[0]
