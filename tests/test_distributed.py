"""The site built past one machine: region by region (`gkml build --only`), assembled by `gkml merge`,
or as tasks on a Dask cluster (`gkml build --distributed local`) — each byte-identical to one build
of the whole content, fresh and after an edit; a failing region retried, and reported when it fails
twice; the inputs a merge must refuse."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO
from helpers import tree_bytes

from gkml_ssg.build import distributed as distributed_module
from gkml_ssg.build.distributed import build_distributed, part_name, site_regions
from gkml_ssg.build.merge import merge
from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.cli.main import main
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.content.model import Partition
from gkml_ssg.content.regions import RegionFilter


def site_files(out: Path) -> dict[str, bytes]:
    files = tree_bytes(out)
    files.pop(".gkml-manifest.sqlite", None)
    return files


@pytest.fixture
def corpus(tmp_path) -> Path:
    """The seeds (two provinces, several cities) and six synthetic agencies of six other provinces,
    built by province."""
    source = tmp_path / "content"
    shutil.copytree(REPO / "content", source)
    synthetic = tmp_path / "synthetic"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "6", str(synthetic)], check=True, capture_output=True)
    for path in synthetic.rglob("*.yml"):
        if path.name != "site.yml":
            target = source / "synthetic" / path.relative_to(synthetic)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    site = source / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "构建分区: 省\n", encoding="utf-8")
    return source


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_parts_merged_and_the_distributed_build_are_one_builds_bytes(corpus, tmp_path):
    single = tmp_path / "single"
    invoke("build", "--source", str(corpus), "--out", str(single), "--no-cache")
    regions = site_regions(corpus, Partition.PROVINCE)
    assert len(regions) == 6 and RegionFilter("宁夏回族自治区") in regions  # the synthetic ones share two

    parts = [tmp_path / "parts" / str(n) for n in range(len(regions))]
    for region, part in zip(regions, parts, strict=True):
        invoke("build", "--source", str(corpus), "--out", str(part), "--only", str(region), "--no-cache")
    assert not (parts[0] / "index.html").exists() and not (parts[0] / "static").exists()  # a part has no lists
    merged = tmp_path / "merged"
    output = invoke("merge", *map(str, parts), "--source", str(corpus), "--out", str(merged))
    assert output.startswith("合并完成：")

    distributed = tmp_path / "distributed"
    output = invoke("build", "--source", str(corpus), "--out", str(distributed), "--no-cache",
                    "--distributed", "local", "--parts", str(tmp_path / "dask-parts"))
    assert "宁夏回族自治区：" in output and "江苏省：" in output

    expected = site_files(single)
    assert any(path.startswith("search-index/shard-") for path in expected)
    assert site_files(merged) == expected
    assert site_files(distributed) == expected

    # an edit: its region's part does the work, the others none, and the merge equals a fresh build
    edited = corpus / "ningxia/shizuishan/dawukou-yibao.yml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("区医保局办公地址", "区医保局办公地址（新）", 1), encoding="utf-8")
    rendered = {}
    for region, part in zip(regions, parts, strict=True):
        report = build(BuildOptions(source=corpus, out=part, only=region))
        rendered[str(region)] = report.rendered
    assert rendered.pop("宁夏回族自治区") > 0 and set(rendered.values()) == {0}
    report = merge(parts, BuildOptions(source=corpus, out=merged))
    assert 0 < report.rendered < report.pages
    invoke("build", "--source", str(corpus), "--out", str(single), "--no-cache")
    assert site_files(merged) == site_files(single)


def test_a_site_built_by_city(corpus, tmp_path):
    site = corpus / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace("构建分区: 省", "构建分区: 市"), encoding="utf-8")
    single = tmp_path / "single"
    build(BuildOptions(source=corpus, out=single))
    regions = site_regions(corpus, Partition.CITY)
    assert RegionFilter("宁夏回族自治区", "石嘴山市") in regions and all(region.city for region in regions)
    parts = [tmp_path / "parts" / str(n) for n in range(len(regions))]
    for region, part in zip(regions, parts, strict=True):
        build(BuildOptions(source=corpus, out=part, only=region))
    # a whole province is a whole number of cities
    build(BuildOptions(source=corpus, out=tmp_path / "ningxia", only=RegionFilter("宁夏回族自治区")))
    merged = tmp_path / "merged"
    merge(parts, BuildOptions(source=corpus, out=merged))
    assert site_files(merged) == site_files(single)


def test_a_failing_region_is_retried_and_one_failing_twice_fails_the_build(corpus, tmp_path, monkeypatch):
    from dask.distributed import Client

    real_build = distributed_module.build
    attempts: dict[str, int] = {}

    def flaky(options, *args, **kwargs):
        region = str(options.only)
        attempts[region] = attempts.get(region, 0) + 1
        if region == "江苏省" and attempts[region] == 1:
            raise OSError("网络存储暂时不可用")
        if region == "宁夏回族自治区" and fail_ningxia:
            raise OSError("工作节点磁盘已满")
        return real_build(options, *args, **kwargs)

    monkeypatch.setattr(distributed_module, "build", flaky)
    fail_ningxia = False
    with Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None) as client:
        out = tmp_path / "site"
        report, parts = build_distributed("unused", BuildOptions(source=corpus, out=out), tmp_path / "parts", client=client)
        assert attempts["江苏省"] == 2 and len(parts) == 6 and report.pages > 0
        single = tmp_path / "single"
        build(BuildOptions(source=corpus, out=single))
        assert site_files(out) == site_files(single)

        fail_ningxia = True
        attempts.clear()
        with pytest.raises(ContentInvalid) as failed:
            build_distributed("unused", BuildOptions(source=corpus, out=out), tmp_path / "parts2", client=client)
        assert attempts["宁夏回族自治区"] == 2
        [error] = failed.value.errors
        assert error.path == "宁夏回族自治区" and "两次失败" in error.message and "工作节点磁盘已满" in error.message
    assert site_files(out) == site_files(single)  # the failed build left the site as it was


def test_what_a_region_build_and_a_merge_refuse(corpus, tmp_path):
    site = corpus / "site.yml"
    by_province = site.read_text(encoding="utf-8")
    site.write_text(by_province.replace("构建分区: 省\n", ""), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--source", str(corpus), "--out", str(tmp_path / "p"), "--only", "江苏省"])
    assert result.exit_code == 1 and "需要在 site.yml 中设置“构建分区”" in result.output
    site.write_text(by_province, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--source", str(corpus), "--out", str(tmp_path / "p"), "--only", "宁夏回族自治区/银川市"])
    assert result.exit_code == 1 and "不能只构建“宁夏回族自治区/银川市”这个市" in result.output

    regions = site_regions(corpus, Partition.PROVINCE)
    parts = [tmp_path / "parts" / part_name(region) for region in regions]
    for region, part in zip(regions, parts, strict=True):
        build(BuildOptions(source=corpus, out=part, only=region))
    out = tmp_path / "site"
    cases = [
        (parts[1:], "不在任何部分中"),  # a region left out
        ([*parts, parts[0]], "同时在"),  # a region twice
        ([tmp_path / "parts", *parts], "不是 gkml build --only 构建的网站部分"),
    ]
    for given, message in cases:
        with pytest.raises(ContentInvalid) as refused:
            merge(given, BuildOptions(source=corpus, out=out))
        assert message in refused.value.errors[0].message, message
    edited = corpus / "jiangsu/lianyungang/guannan-yibao.yml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(ContentInvalid) as refused:
        merge(parts, BuildOptions(source=corpus, out=out))
    assert "构建之后文件有改动" in refused.value.errors[0].message
    with pytest.raises(ContentInvalid) as refused:
        merge(parts, BuildOptions(source=corpus, out=out, base_url="/other/"))
    assert "构建设置与本次合并不同" in refused.value.errors[0].message
    assert not out.exists() or not any(out.iterdir()) or not (out / "index.html").exists()


def test_the_ci_matrix_example_runs_the_same_two_commands(corpus, tmp_path):
    """deploy/ci/github-matrix.yml, its steps run as the runner would: one part job per region of
    its matrix (here, the corpus's regions), the parts downloaded as artefacts, then the merge."""
    import yaml

    workflow = yaml.safe_load((REPO / "deploy/ci/github-matrix.yml").read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    part_run = next(step["run"] for step in jobs["part"]["steps"] if "--only" in step.get("run", ""))
    merge_run = next(step["run"] for step in jobs["merge"]["steps"] if "gkml merge" in step.get("run", ""))
    gkml = f"{sys.executable} -m gkml_ssg"
    checkout = tmp_path / "checkout"
    shutil.copytree(corpus, checkout / "content")
    for index, region in enumerate(site_regions(corpus, Partition.PROVINCE)):
        runner = tmp_path / f"runner-{index}"
        shutil.copytree(checkout, runner)
        command = part_run.replace("${{ matrix.region }}", str(region)).replace("gkml ", f"{gkml} ", 1)
        subprocess.run(command, shell=True, cwd=runner, check=True, capture_output=True)
        shutil.copytree(runner / "part", checkout / "parts" / f"part-{index}")  # download-artifact's layout
    subprocess.run(merge_run.replace("gkml ", f"{gkml} ", 1), shell=True, cwd=checkout, check=True, capture_output=True)
    single = tmp_path / "single"
    build(BuildOptions(source=checkout / "content", out=single))
    assert site_files(checkout / "public") == site_files(single)
    job = yaml.safe_load_all((REPO / "deploy/kubernetes/gkml-parts-job.yaml").read_text(encoding="utf-8"))
    scripts = [doc["spec"]["template"]["spec"]["containers"][0]["args"][0] for doc in job if doc["kind"] == "Job"]
    assert "gkml build --source /content/content --only" in scripts[0] and "gkml merge /parts/*" in scripts[1]


def test_workers_clone_the_content_from_git_and_leave_their_parts_in_an_object_store(corpus, tmp_path):
    """--git-url: each task clones the repository at the commit the content is checked out at;
    --parts file://…: each part comes back as an archive through fsspec (as it would from s3://…),
    and the next build starts from it."""
    from dask.distributed import Client

    env = {"GIT_AUTHOR_DATE": "2024-05-01T10:00:00+08:00", "GIT_COMMITTER_DATE": "2024-05-01T10:00:00+08:00", "PATH": "/usr/bin:/bin"}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.cn"]
    repository = corpus.parent
    subprocess.run([*git, "init", "-q"], cwd=repository, check=True, env=env)
    subprocess.run([*git, "add", "content"], cwd=repository, check=True, env=env)
    subprocess.run([*git, "commit", "-qm", "目录"], cwd=repository, check=True, env=env)
    store = f"file://{tmp_path / 'store'}"
    out, single = tmp_path / "site", tmp_path / "single"
    with Client(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None) as client:
        _, parts = build_distributed("unused", BuildOptions(source=corpus, out=out), store, str(repository), client=client)
        build(BuildOptions(source=corpus, out=single))
        assert site_files(out) == site_files(single)
        assert len(list((tmp_path / "store").glob("*.tar"))) == len(parts) == 6
        assert "更新日期" in (out / "agencies/guannan-yibao/index.html").read_text(encoding="utf-8")  # the clone's history

        edited = corpus / "jiangsu/lianyungang/guannan-yibao.yml"
        edited.write_text(edited.read_text(encoding="utf-8").replace("公开内容:", "公开内容: 新", 1), encoding="utf-8")
        subprocess.run([*git, "commit", "-qam", "修改"], cwd=repository, check=True, env=env)
        _, parts = build_distributed("unused", BuildOptions(source=corpus, out=out), store, str(repository), client=client)
        assert {part.region: part.rendered > 0 for part in parts}["江苏省"]
        assert sum(1 for part in parts if part.rendered) == 1  # the others started from their stored parts
        build(BuildOptions(source=corpus, out=single))
        assert site_files(out) == site_files(single)


def test_without_the_search_index_too(corpus, tmp_path):
    single = tmp_path / "single"
    build(BuildOptions(source=corpus, out=single, search_index=False))
    parts = []
    for region in site_regions(corpus, Partition.PROVINCE):
        parts.append(tmp_path / "parts" / part_name(region))
        build(BuildOptions(source=corpus, out=parts[-1], only=region, search_index=False))
    merged = tmp_path / "merged"
    invoke("merge", *map(str, parts), "--source", str(corpus), "--out", str(merged), "--no-index")
    assert not (merged / "search-index").exists() and site_files(merged) == site_files(single)


def test_an_agency_that_moves_to_another_region_leaves_its_old_part(corpus, tmp_path):
    regions = site_regions(corpus, Partition.PROVINCE)
    parts = {str(region): tmp_path / "parts" / part_name(region) for region in regions}
    for region in regions:
        build(BuildOptions(source=corpus, out=parts[str(region)], only=region))
    moved = corpus / "jiangsu/lianyungang/guannan-yibao.yml"
    text = moved.read_text(encoding="utf-8")
    moved.write_text(text.replace("省: 江苏省", "省: 宁夏回族自治区", 1).replace("市: 连云港市", "市: 中卫市", 1), encoding="utf-8")
    for region in regions:
        build(BuildOptions(source=corpus, out=parts[str(region)], only=region))
    assert not (parts["江苏省"] / "agencies/guannan-yibao").exists()
    assert (parts["宁夏回族自治区"] / "agencies/guannan-yibao/index.html").is_file()
    merged, single = tmp_path / "merged", tmp_path / "single"
    merge(list(parts.values()), BuildOptions(source=corpus, out=merged))
    build(BuildOptions(source=corpus, out=single))
    assert site_files(merged) == site_files(single)
