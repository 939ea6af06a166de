"""`gkml export` then `gkml import` gives back the same agency, for the five seeds and for 30
agencies of the synthetic corpus, in both forms; and the commands as an officer runs them."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gkml_ssg.cli.main import main
from gkml_ssg.content.dump import dump_yaml
from gkml_ssg.content.load import decode_agency
from gkml_ssg.content.model import Agency
from gkml_ssg.export.office import export_agency
from gkml_ssg.importing.agency import ImportOptions, import_file

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "content").rglob("*-yibao.yml"))
sys.path.insert(0, str(REPO / "bench"))
import make_corpus  # noqa: E402


def load(path: Path) -> Agency:
    agency, errors = decode_agency(path.name, path.read_bytes())
    assert agency is not None, errors
    return agency


def differences(expected: object, found: object, path: str = "") -> list[str]:
    """Every field that differs, by its path (`目录[2].事项[3].公开依据`)."""
    if dataclasses.is_dataclass(expected) and dataclasses.is_dataclass(found):
        return [
            problem
            for field in dataclasses.fields(expected)
            if field.name != "origin"
            for problem in differences(getattr(expected, field.name), getattr(found, field.name), f"{path}.{field.name}")
        ]
    if isinstance(expected, tuple) and isinstance(found, tuple) and len(expected) == len(found):
        return [problem for index, pair in enumerate(zip(expected, found, strict=True)) for problem in differences(*pair, f"{path}[{index}]")]
    return [] if expected == found else [f"{path}: {expected!r} ≠ {found!r}"]


def round_trip(agency: Agency, form: str, folder: Path) -> tuple[Agency, list[str]]:
    path = folder / f"导出.{form}"
    path.write_bytes(export_agency(agency, form))
    imported = import_file(path, ImportOptions())
    assert not imported.report.errors
    assert imported.agency.source_file == path.name
    again = dataclasses.replace(imported.agency, source_file=agency.source_file)
    return again, imported.report.notes


@pytest.mark.parametrize("form", ["xlsx", "docx"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.stem)
def test_each_seed_comes_back_the_same(tmp_path, seed, form):
    agency = load(seed)
    again, notes = round_trip(agency, form, tmp_path)
    assert differences(agency, again) == []
    assert dump_yaml(again) == dump_yaml(agency)
    # what the exporter wrote needed no judgement
    assert [note for note in notes if not note.startswith("网址标识")] == []


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus.write_corpus(30, folder)
    return sorted(path for path in folder.rglob("*.yml") if path.name != "site.yml")


@pytest.mark.parametrize("form", ["xlsx", "docx"])
def test_thirty_corpus_agencies_come_back_the_same(tmp_path, corpus, form):
    assert len(corpus) == 30
    for path in corpus:
        agency = load(path)
        again, _ = round_trip(agency, form, tmp_path)
        assert differences(agency, again) == [], path.name


def test_the_commands_round_trip_a_file(tmp_path):
    seed = next(path for path in SEEDS if path.stem == "huinong-yibao")
    runner = CliRunner()
    table = tmp_path / "惠农.xlsx"
    exported = runner.invoke(main, ["export", str(seed), "--format", "xlsx", "--out", str(table)])
    assert exported.exit_code == 0, exported.output
    again = runner.invoke(main, ["export", str(seed), "--format", "xlsx", "--out", str(table)])
    assert again.exit_code == 1 and "已存在，未改动" in again.output
    out = tmp_path / "huinong-yibao.yml"
    imported = runner.invoke(main, ["import", str(table), "--out", str(out)])
    assert imported.exit_code == 0, imported.output
    assert "附件2：3 条" in imported.output and "附件3：15 条" in imported.output
    back = load(out)
    assert differences(load(seed), dataclasses.replace(back, source_file=load(seed).source_file)) == []


def test_export_refuses_an_invalid_agency_file_with_its_errors(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("名称: 某局\n未知字段: 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(broken), "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and "broken.yml" in result.output and "未导出" in result.output
    assert not (tmp_path / "x.xlsx").exists()
