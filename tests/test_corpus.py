"""The synthetic corpus generator (bench/make_corpus.py): deterministic, prefix-stable, loadable, realistic in shape."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from gkml_ssg.content.load import load_content
from gkml_ssg.site.graph import assemble

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))  # bench/ is scripts, not a package; make_corpus imports corpus_vocab by name
import corpus_vocab  # noqa: E402
import make_corpus  # noqa: E402


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus5(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus5")
    make_corpus.write_corpus(5, out)
    return out


def test_same_count_gives_identical_files_also_from_the_command_line(tmp_path):
    by_function, by_command = tmp_path / "a", tmp_path / "b"
    make_corpus.write_corpus(3, by_function)
    environment = {**os.environ, "PYTHONHASHSEED": "1"}
    subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), "3", str(by_command)], check=True, env=environment)
    assert tree_bytes(by_function) == tree_bytes(by_command)
    assert len(tree_bytes(by_function)) == 4  # site.yml and three agencies


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(tmp_path, corpus5):
    make_corpus.write_corpus(3, tmp_path)
    small, large = tree_bytes(tmp_path), tree_bytes(corpus5)
    assert len(large) == 6
    assert "site.yml" in small
    assert all(large.get(path) == data for path, data in small.items())


def test_layout_is_ascii_and_slugs_are_unique(corpus5):
    paths = [p for p in tree_bytes(corpus5) if p != "site.yml"]
    assert all(re.fullmatch(r"[a-z]+/[a-z]+/[a-z]+-\d{5}\.yml", p) for p in paths), paths
    assert len({Path(p).stem for p in paths}) == len(paths)


def test_corpus_loads_and_assembles(corpus5):
    content = load_content(corpus5)
    site = assemble(content)
    assert len(content.agencies) == 5
    assert site.base_path == "/"
    assert len(site.pages) > 5 * (35 + 12)


def test_shape_is_realistic(corpus5):
    agencies = [source.agency for source in load_content(corpus5).agencies]
    for agency in agencies:
        items = [item for category in agency.catalogue for item in category.items]
        assert 35 <= len(items) <= 45, agency.name
        assert 5 <= len(agency.catalogue) <= 8, agency.name
        assert 12 <= len(agency.negative.entries) <= 18, agency.name
        if agency.on_request:
            assert 2 <= len(agency.on_request.entries) <= 4, agency.name
        assert all(item.title and item.content and item.basis and item.channels for item in items)
        if agency.declared:
            assert agency.declared.proactive_categories == len(agency.catalogue)
            assert agency.declared.proactive_items == len(items)
    kinds = {agency.name.removeprefix(agency.region.county) for agency in agencies}
    assert len(kinds) == 5
    assert len({agency.region.province for agency in agencies}) >= 3


def test_one_agency_of_every_kind_loads_including_on_request_lists(tmp_path):
    make_corpus.write_corpus(len(corpus_vocab.KINDS), tmp_path)
    agencies = [source.agency for source in load_content(tmp_path).agencies]
    assert len({agency.name.removeprefix(agency.region.county) for agency in agencies}) == len(corpus_vocab.KINDS)
    assert any(agency.on_request for agency in agencies)
    assert any(category.stage for agency in agencies for category in agency.catalogue)


def test_yaml_reads_back_as_generated_and_matches_the_json_schema(corpus5):
    schema = json.loads((BENCH.parent / "schema" / "agency.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for number in range(1, 6):
        path, document = make_corpus.make_agency(number)
        assert yaml.safe_load((corpus5 / path).read_text(encoding="utf-8")) == document
        validator.validate(document)


@pytest.mark.parametrize("text", ["1", "true", "null", "- a", "a: b", "“三公”经费", "x #y", "'q'", ""])
def test_scalars_survive_a_round_trip(text):
    assert yaml.safe_load(f"k: {make_corpus.scalar(text)}") == {"k": text}


def test_every_template_in_the_vocabulary_can_be_filled():
    fields = dict.fromkeys(("机构", "简称", "区县", "市", "省", "领域", "事项"), "x")
    seeds = [seed for category in corpus_vocab.CATEGORIES for seed in category.seeds]
    for kind in corpus_vocab.KINDS:
        seeds += kind.powers + kind.key + kind.services
        for entry in kind.negative + kind.on_request:
            entry.title.format_map(fields), entry.content.format_map(fields)
        kind.name.format_map(fields), kind.short.format(级="县")
    for seed in seeds:
        for text in seed.titles + seed.contents:
            text.format_map(fields)
    for entry in corpus_vocab.NEGATIVE_GENERAL + corpus_vocab.ON_REQUEST_GENERAL:
        entry.title.format_map(fields), entry.content.format_map(fields)
    names = [name for _, names in corpus_vocab.CHANNELS for name in names] + list(corpus_vocab.CATALOGUE_TITLES)
    for text in names + [name for name in corpus_vocab.WEBSITE_NAMES if name]:
        text.format_map(fields)
    corpus_vocab.WORK_POINTS.format_map({**fields, "省级": "省", "年": 2021})


def test_usage_message_on_bad_arguments(tmp_path, capsys):
    assert make_corpus.main(["make_corpus.py"]) == 2
    assert make_corpus.main(["make_corpus.py", "many", str(tmp_path / "x")]) == 2
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    assert make_corpus.main(["make_corpus.py", "2", str(tmp_path / "taken")]) == 2
    assert "usage: python bench/make_corpus.py N DIR" in capsys.readouterr().err
