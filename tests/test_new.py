"""gkml new: a new site folder that checks and builds clean at once, and a new agency file in it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import REPO

from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.check.command import check_content
from gkml_ssg.cli.new import new_command
from gkml_ssg.content.fields import yaml_fields
from gkml_ssg.content.load import load_content, load_site_config
from gkml_ssg.content.model import Item, SiteConfig
from gkml_ssg.content.schema import schema_texts
from gkml_ssg.scaffold.names import default_slug, place_folder

SITE_FILES = {
    "content/site.yml",
    "content/shili/shili/shili-yibao.yml",
    "schema/agency.schema.json",
    "schema/site.schema.json",
    "schema/reference.schema.json",
    ".vscode/settings.json",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".gitlab-ci.yml",
    ".github/workflows/gkml.yml",
    ".gitea/workflows/gkml.yml",
    "README.md",
}
CI_FILES = (".gitlab-ci.yml", ".github/workflows/gkml.yml", ".gitea/workflows/gkml.yml")
HUINONG = ("--agency", "惠农区医疗保障局", "--region", "宁夏回族自治区/石嘴山市/惠农区")


def gkml_new(*arguments: str | Path) -> Result:
    return CliRunner().invoke(new_command, [str(argument) for argument in arguments], catch_exceptions=False)


def files_of(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `root`: its bytes and modification time."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A site made by `gkml new`, shared by the tests that only read it."""
    root = tmp_path_factory.mktemp("new") / "site"
    result = gkml_new(root)
    assert result.exit_code == 0, result.output
    return root


def test_a_new_site_has_every_file_and_says_what_to_do_next(tmp_path):
    root = tmp_path / "县医保局目录"
    result = gkml_new(root)
    assert result.exit_code == 0, result.output
    assert set(files_of(root)) == SITE_FILES
    for path in SITE_FILES:
        assert str(root / path) in result.stdout
    assert "gkml check" in result.stdout and "gkml serve" in result.stdout and "gkml new --agency" in result.stdout


def test_a_new_site_checks_clean_and_builds_for_production(site, tmp_path):
    report = check_content(site / "content", workers=1)
    assert (report.error_count, report.warning_count, report.agency_count) == (0, 0, 1), [d.format() for d in report.diagnostics]
    out = tmp_path / "public"
    build(BuildOptions(source=site / "content", out=out, search_index=False, production=True, workers=1))
    assert (out / "index.html").is_file()
    page = (out / "agencies/shili-yibao/index.html").read_text(encoding="utf-8")
    assert "示例县医疗保障局" in page and "示例县人民政府办公室（请改为本单位）" in page


def test_site_yml_describes_every_field_of_the_site_configuration(site):
    text = (site / "content/site.yml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../schema/site.schema.json"
    for _, info in yaml_fields(SiteConfig):
        entry = next(i for i, line in enumerate(lines) if re.match(rf"(# )?{re.escape(info.key)}:", line))
        assert lines[entry - 1].startswith(f"# {info.doc}"), info.key
    config = load_site_config(site / "content")
    assert config.title and config.base_url.startswith("https://")
    for footer in ("sponsor", "site_code", "icp", "police_record", "contact"):
        assert "示例" in getattr(config, footer), footer  # filled, and plainly an example
    assert config.description is None and config.edit_url is None  # the optional ones are commented out


def test_every_commented_field_of_site_yml_is_valid_once_enabled(site, tmp_path):
    """Removing one “# ” before an entry's lines (a top-level key and the indented lines under it)
    enables it as written."""
    keys = {info.key for _, info in yaml_fields(SiteConfig)}
    enabled = [
        line[2:] if line.startswith("#   ") or any(line.startswith(f"# {key}:") for key in keys) else line
        for line in (site / "content/site.yml").read_text(encoding="utf-8").splitlines()
    ]
    (tmp_path / "site.yml").write_text("\n".join(enabled) + "\n", encoding="utf-8")
    config = load_site_config(tmp_path)
    assert config.description and config.edit_url


def test_the_example_agency_uses_every_item_field_and_points_at_the_schema(site):
    path = site / "content/shili/shili/shili-yibao.yml"
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schema/agency.schema.json"
    assert (path.parent / first.split("=", 1)[1]).resolve() == (site / "schema/agency.schema.json").resolve()
    agency = yaml.safe_load(text)
    assert agency["名称"] == "示例县医疗保障局"
    assert agency["地区"] == {"省": "示例省", "市": "示例市", "区县": "示例县"}
    used = {key for category in agency["目录"] for item in category["事项"] for key in item}
    assert used == {info.key for _, info in yaml_fields(Item)}


def test_the_schemas_are_the_models(site):
    for name, text in schema_texts().items():
        assert (site / "schema" / name).read_text(encoding="utf-8") == text


def test_the_ci_examples_check_strictly_build_for_production_and_keep_public(site):
    for path in CI_FILES:
        text = (site / path).read_text(encoding="utf-8")
        document = yaml.safe_load(text)
        assert isinstance(document, dict), path
        for needed in ("gkml check --strict", "gkml build --production", 'pip install "$GKML_PACKAGE"'):
            assert needed in text, (path, needed)
        if path == ".gitlab-ci.yml":
            assert document["variables"]["GKML_PACKAGE"] == "gkml"
            assert document["gkml"]["artifacts"]["paths"] == ["public/"]
        else:
            assert document["env"]["GKML_PACKAGE"] == "gkml"
            (job,) = document["jobs"].values()
            uploads = [step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact@")]
            assert [step["with"]["path"] for step in uploads] == ["public/"], path
    hooks = yaml.safe_load((site / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert [(h["entry"], h["files"], h["language"]) for h in hooks] == [("gkml check", "^content/", "system")]


def test_the_editor_settings_name_files_that_exist(site):
    settings = json.loads((site / ".vscode/settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert set(schemas) == {"./schema/agency.schema.json", "./schema/site.schema.json", "./schema/reference.schema.json"}
    for schema, patterns in schemas.items():
        assert (site / schema).is_file()
        for pattern in patterns:
            # a new site has no reference catalogue of its own yet (gkml ships 第二十条)
            assert list(site.glob(pattern.removeprefix("!"))) or pattern == "references/*.yml", pattern
    assert schemas["./schema/site.schema.json"] == ["content/site.yml"]


def test_gitignore_and_readme(site):
    ignored = (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/public/", "/.gkml-cache/", "/.gkml-preview/"} <= set(ignored)
    readme = (site / "README.md").read_text(encoding="utf-8")
    for needed in ("gkml check", "gkml build", "gkml serve", "gkml import 表格.docx --out content/", "gkml export",
                   "templates/", "static/", "content/shili/shili/shili-yibao.yml", "发布"):
        assert needed in readme, needed


def test_a_new_site_is_the_same_bytes_every_time(site, tmp_path):
    gkml_new(tmp_path / "again")
    assert {p: data for p, (data, _) in files_of(tmp_path / "again").items()} == {p: data for p, (data, _) in files_of(site).items()}


def test_an_existing_site_is_refused_and_left_alone(tmp_path):
    root = tmp_path / "site"
    gkml_new(root)
    before = files_of(root)
    result = gkml_new(root)
    assert result.exit_code == 1
    assert "已存在" in result.stderr and "未改动" in result.stderr and "Traceback" not in result.output
    assert files_of(root) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left


def test_a_folder_with_files_is_refused_and_an_empty_one_taken(tmp_path):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("kept", encoding="utf-8")
    assert gkml_new(busy).exit_code == 1
    assert [p.name for p in busy.iterdir()] == ["notes.txt"]
    a_file = tmp_path / "a-file"
    a_file.write_text("kept", encoding="utf-8")
    assert gkml_new(a_file).exit_code == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert gkml_new(empty).exit_code == 0
    assert set(files_of(empty)) == SITE_FILES


def test_the_current_folder_when_empty(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = gkml_new(".")
    assert result.exit_code == 0, result.output
    assert set(files_of(tmp_path)) == SITE_FILES
    assert "cd " not in result.stdout


def test_a_full_disk_leaves_no_half_site(tmp_path, monkeypatch):
    written = []
    real_write = Path.write_bytes

    def write_bytes(path: Path, data: bytes) -> int:
        if len(written) == 3:
            raise OSError(28, "No space left on device", str(path))
        written.append(path)
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    result = gkml_new(tmp_path / "site")
    assert result.exit_code == 1 and result.stderr.startswith("新建失败") and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
    written.clear()
    (tmp_path / "empty").mkdir()
    assert gkml_new(tmp_path / "empty").exit_code == 1
    assert list((tmp_path / "empty").iterdir()) == []


def test_a_new_agency_file_checks_clean_with_the_rest(tmp_path):
    root = tmp_path / "site"
    gkml_new(root)
    result = gkml_new(*HUINONG, "--source", root / "content")
    assert result.exit_code == 0, result.output
    path = root / "content/ningxia/shizuishan/huinong-yibao.yml"
    assert str(path) in result.stdout
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../../schema/agency.schema.json"
    assert "占位" in text
    agency = yaml.safe_load(text)
    assert (agency["名称"], agency["地区"]) == ("惠农区医疗保障局", {"省": "宁夏回族自治区", "市": "石嘴山市", "区县": "惠农区"})
    report = check_content(root / "content", workers=1)
    assert (report.error_count, report.warning_count, report.agency_count) == (0, 0, 2), [d.format() for d in report.diagnostics]

    again = gkml_new(*HUINONG, "--source", root / "content")
    assert again.exit_code == 1 and "已存在" in again.stderr
    assert path.read_text(encoding="utf-8") == text


def test_a_new_agency_goes_into_the_current_site_by_default(tmp_path, monkeypatch):
    gkml_new(tmp_path / "site")
    monkeypatch.chdir(tmp_path / "site")
    result = gkml_new("--agency", "灌南县医疗保障局", "--region", "江苏省/连云港市/灌南县")
    assert result.exit_code == 0, result.output
    assert Path("content/jiangsu/lianyungang/guannan-yibao.yml").is_file()
    named = gkml_new("--agency", "灌南县财政局", "--region", "江苏省/连云港市/灌南县", "--slug", "guannan-czj")
    assert named.exit_code == 0, named.output
    assert Path("content/jiangsu/lianyungang/guannan-czj.yml").is_file()
    assert len(load_content(Path("content"), workers=1).agencies) == 3


def test_bad_options_are_refused_and_nothing_is_written(tmp_path):
    root = tmp_path / "site"
    gkml_new(root)
    before = files_of(root)
    content = root / "content"
    two_parts = gkml_new("--agency", "惠农区医疗保障局", "--region", "宁夏回族自治区/石嘴山市", "--source", content)
    assert two_parts.exit_code == 2 and "省/市/区县" in two_parts.output
    bad_slug = gkml_new(*HUINONG, "--slug", "Bad", "--source", content)
    assert bad_slug.exit_code == 2 and "网址标识" in bad_slug.output
    no_region = gkml_new("--agency", "惠农区医疗保障局", "--source", content)
    assert no_region.exit_code == 2
    assert gkml_new().exit_code == 2
    assert gkml_new(root, *HUINONG).exit_code == 2
    assert files_of(root) == before
    # the same slug as another agency's file, in another folder: the two pages would collide
    gkml_new(*HUINONG, "--source", content)
    before = files_of(root)
    taken = gkml_new("--agency", "惠农区医疗保障局", "--region", "宁夏回族自治区/银川市/惠农区", "--source", content)
    assert taken.exit_code == 1 and "huinong-yibao" in taken.stderr and "--slug" in taken.stderr
    assert files_of(root) == before


def test_a_folder_without_site_yml_is_not_a_site(tmp_path):
    result = gkml_new(*HUINONG, "--source", tmp_path)
    assert result.exit_code == 1 and "site.yml" in result.stderr and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("region", "folder"),
    [
        ("宁夏回族自治区", "ningxia"), ("石嘴山市", "shizuishan"), ("江苏省", "jiangsu"), ("连云港市", "lianyungang"),
        ("新疆维吾尔自治区", "xinjiang"), ("广西壮族自治区", "guangxi"), ("内蒙古自治区", "neimenggu"), ("西藏自治区", "xizang"),
        ("香港特别行政区", "xianggang"), ("湘西土家族苗族自治州", "xiangxi"), ("伊犁哈萨克自治州", "yili"), ("阿里地区", "ali"),
        ("朝阳区", "chaoyang"), ("和县", "hexian"), ("城区", "chengqu"),
    ],
)
def test_region_folders_are_the_pinyin_of_the_names_without_their_suffix(region, folder):
    assert place_folder(region) == folder


def test_the_default_slugs_are_those_of_the_seed_files():
    content = load_content(REPO / "content", workers=1)
    for source in content.agencies:
        agency = source.agency
        region = agency.region
        expected = f"{place_folder(region.province)}/{place_folder(region.city)}/{default_slug(agency.name, region.county)}.yml"
        assert source.path == expected


def test_default_slugs_of_other_agencies():
    assert default_slug("惠农区财政局", "惠农区") == "huinong-caizheng"
    assert default_slug("惠农区人民政府办公室", "惠农区") == "huinong-zhengfuban"
    assert default_slug("惠农区", "惠农区") == "huinong"
    long = default_slug("石嘴山市生态环境局惠农分局" * 3, "惠农区")
    assert len(long) <= 64 and re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", long)
