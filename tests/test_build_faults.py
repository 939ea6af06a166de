"""What an operator meets when the machine gets in the way: a second build into the same folder, a
full disk, a read-only folder, a path that cannot be a folder. Each ends in a Chinese message and
exit status 1, never a traceback; nothing already built is lost or half-written, no temporary or
empty folder is left, and the next build finishes the job."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest
from conftest import AGENCY_YML, REPO
from helpers import tree_bytes

from gkml_ssg.build import lock as lock_module
from gkml_ssg.build import write as write_module
from gkml_ssg.build.lock import FolderLock
from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.build.write import STAGING_NAME
from gkml_ssg.cli.main import main


def gkml(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gkml_ssg", *args], cwd=REPO, capture_output=True, text=True, timeout=120)


def run_cli(capsys, *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out + captured.err


def built_project(project):
    project.write("a/x.yml", AGENCY_YML)
    build(BuildOptions(source=project.content, out=project.out, search_index=False, workers=1))
    project.write("a/x.yml", AGENCY_YML.replace("测试县医疗保障局", "改名后的医疗保障局"))
    return tree_bytes(project.out)


def folders(root) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_dir()}


def test_a_second_build_into_the_same_folder_is_refused_naming_the_first(project):
    built_project(project)
    with FolderLock(project.out):  # a build of this process holds the folder
        done = gkml("build", "--source", str(project.content), "--out", str(project.out), "--no-index")
    assert done.returncode == 1
    assert f"构建失败：输出目录 {project.out} 正被另一个 gkml 构建使用（进程 {os.getpid()}，" in done.stderr
    assert "请等它结束后再运行，或用 --out 换一个目录" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    after = gkml("build", "--source", str(project.content), "--out", str(project.out), "--no-index")
    assert after.returncode == 0, after.stderr  # the lock goes with its holder


@pytest.mark.parametrize(
    ("number", "hint"),
    [(errno.ENOSPC, "磁盘已满：请腾出空间后重新构建"), (errno.EROFS, "文件系统是只读的：请用 --out 指定可写的目录")],
)
def test_a_write_that_fails_leaves_the_site_whole_and_no_folder_behind(project, capsys, monkeypatch, number, hint):
    before = built_project(project)
    folders_before = folders(project.out)
    real_open = open

    def failing_open(file, mode="r", *args, **kwargs):
        if "w" in mode:
            raise OSError(number, os.strerror(number), file)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(write_module, "open", failing_open, raising=False)
    status, output = run_cli(capsys, "build", "--source", str(project.content), "--out", str(project.out), "--no-index")
    assert status == 1 and "Traceback" not in output
    assert f"构建失败：无法写入 {project.out / STAGING_NAME}/0（{os.strerror(number)}）：{hint}。输出目录中的网站没有改动。" in output
    assert tree_bytes(project.out) == before
    assert folders(project.out) == folders_before


def test_a_swap_that_fails_is_finished_by_the_next_build(project, capsys, monkeypatch):
    built_project(project)
    real_replace = os.replace
    calls = []

    def failing_replace(source, target, *args, **kwargs):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), target)
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    status, output = run_cli(capsys, "build", "--source", str(project.content), "--out", str(project.out), "--no-index")
    monkeypatch.undo()
    assert status == 1 and "Traceback" not in output
    assert "文件系统是只读的" in output and "已换入的文件已记为未完成，下次构建会把网站补全。" in output
    status, output = run_cli(capsys, "build", "--source", str(project.content), "--out", str(project.out), "--no-index")
    assert status == 0, output
    fresh = project.root / "fresh"
    build(BuildOptions(source=project.content, out=fresh, search_index=False, workers=1))
    assert {p: d for p, d in tree_bytes(project.out).items() if not p.startswith(".gkml-")} == {
        p: d for p, d in tree_bytes(fresh).items() if not p.startswith(".gkml-")
    }


def test_an_output_folder_that_cannot_be_made_or_locked(project, capsys, monkeypatch):
    project.write("a/x.yml", AGENCY_YML)
    blocker = project.root / "a-file"
    blocker.write_text("x", encoding="utf-8")
    done = gkml("build", "--source", str(project.content), "--out", str(blocker / "public"), "--no-index")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"构建失败：无法写入 {blocker / 'public' / '.gkml-lock'}（{os.strerror(errno.ENOTDIR)}）" in done.stderr

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(lock_module.os, "open", read_only)
    status, output = run_cli(capsys, "build", "--source", str(project.content), "--out", str(project.out), "--no-index")
    assert status == 1 and "Traceback" not in output
    assert f"构建失败：无法写入 {project.out / '.gkml-lock'}（{os.strerror(errno.EROFS)}）：文件系统是只读的" in output
    assert not project.out.exists()  # a build that made the folder and failed leaves none


def test_a_system_error_anywhere_else_names_the_file(project, tmp_path):
    project.write("a/x.yml", AGENCY_YML)
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    archive = tmp_path / "a-file" / "site.zip"  # a folder that is a file
    done = gkml("build", "--source", str(project.content), "--out", str(project.out), "--no-index", "--archive", str(archive))
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 1
    assert str(archive.parent) in done.stderr


def test_an_unexpected_fault_is_reported_as_gkml_s_without_a_traceback(project, capsys, monkeypatch):
    project.write("a/x.yml", AGENCY_YML)

    def broken(*args, **kwargs):
        raise RuntimeError("测试用的故障")

    monkeypatch.setattr("gkml_ssg.cli.main.build", broken)
    status, output = run_cli(capsys, "build", "--source", str(project.content), "--out", str(project.out), "--no-index")
    assert status == 2 and "Traceback" not in output
    assert "gkml 内部错误（RuntimeError：测试用的故障）。请把这条信息和所运行的命令报告给维护者" in output
    monkeypatch.setenv("GKML_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["build", "--source", str(project.content), "--out", str(project.out), "--no-index"])


def test_any_other_system_error_names_its_file_and_what_to_do(project, capsys, monkeypatch):
    project.write("a/x.yml", AGENCY_YML)

    def refused(*args, **kwargs):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), "/srv/gkml/模板")

    monkeypatch.setattr("gkml_ssg.cli.main.build", refused)
    status, output = run_cli(capsys, "build", "--source", str(project.content), "--out", str(project.out), "--no-index")
    assert status == 1 and "Traceback" not in output
    assert "失败：/srv/gkml/模板：没有权限（EACCES）。请检查它和上级目录的所有者与权限，或换有权限的用户运行。" in output
