"""gkml publish, --rollback, verify and build --archive: releases switched atomically, a publish
killed at any step leaving a complete release live, tamper checks, reproducible archives."""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AGENCY_YML, REPO, SITE_YML
from publish_process import publish_and_kill

from gkml_ssg.build.manifest import MANIFEST_NAME
from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.cli.main import main
from gkml_ssg.publish.files import (
    SUMS_NAME,
    SiteRefused,
    parse_sums,
    site_files,
    verify_folder,
)
from gkml_ssg.publish.releases import CURRENT, RELEASES, PublishFolder, PublishRefused


def site_version(project, name: str) -> Path:
    """The project built with 网站名称 `name` (shown on every page), without a search index."""
    project.write("site.yml", SITE_YML.replace("测试站点", name))
    project.write("a/x.yml", AGENCY_YML)
    build(BuildOptions(source=project.content, out=project.out, search_index=False, workers=1))
    return project.out


def live(dest: Path) -> Path:
    return (dest / CURRENT).resolve()


def title_of(release: Path) -> str:
    text = (release / "index.html").read_text(encoding="utf-8")
    return "v2" if "站点v2" in text else "v1" if "站点v1" in text else "?"


def leftovers(dest: Path) -> list[str]:
    hidden = [name for name in os.listdir(dest / RELEASES) if name.startswith(".")]
    return hidden + [name for name in os.listdir(dest) if name.startswith(".current.")]


def test_publish_publish_again_and_roll_back(project, tmp_path):
    dest = tmp_path / "dest"
    folder = PublishFolder(dest)
    first = folder.publish(site_version(project, "站点v1"))
    assert os.readlink(dest / CURRENT) == f"{RELEASES}/{first.release}"  # relative: DEST can move
    assert title_of(live(dest)) == "v1"
    second = folder.publish(site_version(project, "站点v2"))
    assert second.release > first.release
    assert (live(dest).name, title_of(live(dest))) == (second.release, "v2")
    assert title_of(dest / RELEASES / first.release) == "v1"  # the rebuild replaced files, not changed them
    assert folder.rollback().current == first.release
    assert (live(dest).name, title_of(live(dest))) == (first.release, "v1")
    with pytest.raises(PublishRefused, match=r"没有比当前版本 .* 更早的完整版本"):
        folder.rollback()
    third = folder.publish(project.out)
    assert (live(dest).name, title_of(live(dest))) == (third.release, "v2")
    assert folder.rollback().current == second.release
    for release in (first, second, third):
        assert verify_folder(dest / RELEASES / release.release).problems == ()
    files = set(site_files(project.out))
    assert set(parse_sums((live(dest) / SUMS_NAME).read_bytes())) == files
    assert MANIFEST_NAME not in files and len(files) > 5


def test_old_releases_are_pruned_but_never_the_live_one_or_the_one_before(project, tmp_path):
    dest = tmp_path / "dest"
    folder = PublishFolder(dest)
    out = site_version(project, "站点v1")
    releases = [folder.publish(out, keep=2).release for _ in range(4)]
    assert folder.releases() == releases[-2:]
    folder.rollback()
    removed = folder.publish(out, keep=1).removed
    # live: the new one; a rollback goes to the one before it
    assert removed == (releases[2],)
    assert len(folder.releases()) == 2


def test_files_are_hard_linked_and_a_rebuild_leaves_the_release_alone(project, tmp_path):
    out = site_version(project, "站点v1")
    linked = PublishFolder(tmp_path / "linked").publish(out)
    copied = PublishFolder(tmp_path / "copied").publish(out, copy=True)
    assert (linked.copied, copied.linked) == (0, 0)
    home = out / "index.html"
    assert (live(tmp_path / "linked") / "index.html").stat().st_ino == home.stat().st_ino
    assert (live(tmp_path / "copied") / "index.html").stat().st_ino != home.stat().st_ino
    site_version(project, "站点v2")
    assert title_of(out) == "v2"
    assert title_of(live(tmp_path / "linked")) == title_of(live(tmp_path / "copied")) == "v1"
    assert verify_folder(live(tmp_path / "linked")).problems == ()


def test_an_output_folder_that_is_not_one_complete_build_is_refused(project, tmp_path):
    dest = tmp_path / "dest"
    folder = PublishFolder(dest)
    project.out.mkdir()
    with pytest.raises(SiteRefused, match="没有构建清单"):
        folder.publish(project.out)
    out = site_version(project, "站点v1")
    good = folder.publish(out).release
    (out / "index.html").write_text("changed by hand", encoding="utf-8")
    with pytest.raises(SiteRefused, match=r"与构建清单记录的不同.*删除.*重新运行 gkml build"):
        folder.publish(out)
    (out / "index.html").unlink()
    with pytest.raises(SiteRefused, match="缺失"):
        folder.publish(out)
    assert folder.current() == good and folder.releases() == [good] and leftovers(dest) == []


def test_a_current_that_is_not_a_link_is_left_alone(project, tmp_path):
    dest = tmp_path / "dest"
    (dest / CURRENT).mkdir(parents=True)
    with pytest.raises(PublishRefused, match="不是符号链接"):
        PublishFolder(dest).publish(site_version(project, "站点v1"))
    assert not (dest / RELEASES).exists()


def test_two_publishes_into_one_folder_do_not_interleave(project, tmp_path):
    dest = tmp_path / "dest"
    out = site_version(project, "站点v1")
    folder = PublishFolder(dest)
    folder.publish(out)
    with open(dest / ".gkml-publish.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a publish in another process holds it
        with pytest.raises(PublishRefused, match="另一个 gkml publish 正在使用"):
            folder.publish(out)
        with pytest.raises(PublishRefused, match="另一个 gkml publish 正在使用"):
            folder.rollback()
    assert len(folder.releases()) == 1


def test_a_publish_killed_at_any_step_leaves_a_complete_release_live(project, tmp_path):
    dest = tmp_path / "dest"
    folder = PublishFolder(dest)
    v1 = folder.publish(site_version(project, "站点v1")).release
    out = site_version(project, "站点v2")
    cut_while_filling = []
    # 0 s: the kill comes while the release is being filled; later ones at later steps
    for delay in (0, 0, 0.01, 0.03, 0.06, 0.1):
        outcome = publish_and_kill(dest, out, delay)
        assert outcome.saw_partial
        release = live(dest)
        assert release.parent == dest / RELEASES and release.name in folder.releases()
        assert verify_folder(release).problems == ()
        assert title_of(release) == ("v1" if release.name == v1 else "v2")
        cut_while_filling.append(any(name.endswith(".partial") for name in leftovers(dest)))
    assert cut_while_filling[0]  # and the site stayed v1 meanwhile
    last = folder.publish(out)
    assert (live(dest).name, leftovers(dest)) == (last.release, [])
    assert verify_folder(live(dest)).problems == ()


def test_leftovers_of_killed_publishes_and_prunes_are_removed(project, tmp_path):
    dest = tmp_path / "dest"
    (dest / RELEASES / ".20250101T000000.000000Z-1.partial/agencies").mkdir(parents=True)
    (dest / RELEASES / ".20240101T000000.000000Z-0123456789ab.removing").mkdir()
    (dest / ".current.999.tmp").symlink_to("releases/nowhere")
    PublishFolder(dest).publish(site_version(project, "站点v1"))
    assert leftovers(dest) == []


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_verify_reports_changed_missing_and_extra_files(project, tmp_path):
    dest = tmp_path / "dest"
    PublishFolder(dest).publish(site_version(project, "站点v1"), copy=True)
    clean = cli("verify", str(dest))
    assert clean.exit_code == 0 and "校验通过" in clean.output
    release = live(dest)
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--quiet", "-c", SUMS_NAME], cwd=release, check=True)
    page = release / "agencies/x/index.html"
    original = page.read_bytes()
    page.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    assert (result := cli("verify", str(dest))).exit_code == 1
    assert "已改动：agencies/x/index.html" in result.output and "已改动 1 个" in result.output
    page.write_bytes(original)
    (release / "robots.txt").unlink()
    assert (result := cli("verify", str(dest))).exit_code == 1 and "缺失：robots.txt" in result.output
    (release / "agencies/x/extra.html").write_text("<p>not ours</p>", encoding="utf-8")
    assert (result := cli("verify", str(dest))).exit_code == 1
    assert "多余：agencies/x/extra.html" in result.output and "缺失 1 个，多余 1 个" in result.output


def test_verify_notices_a_rewritten_sha256sums_and_checks_a_plain_site_folder(project, tmp_path):
    dest = tmp_path / "dest"
    PublishFolder(dest).publish(site_version(project, "站点v1"), copy=True)
    release = live(dest)
    page = release / "robots.txt"
    page.write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    sums = (release / SUMS_NAME).read_text(encoding="utf-8").splitlines()
    digest = hashlib.sha256(page.read_bytes()).hexdigest()
    rewritten = [f"{digest}  robots.txt" if line.endswith("  robots.txt") else line for line in sums]
    (release / SUMS_NAME).write_text("\n".join(rewritten) + "\n", encoding="utf-8")
    result = cli("verify", str(dest))
    assert result.exit_code == 1 and f"已改动：{SUMS_NAME}" in result.output
    # the release folder itself: its name is its id, which names its SHA256SUMS
    assert cli("verify", str(release)).exit_code == 1
    # an unpacked archive: a site folder with its own SHA256SUMS, no release id to check it by
    plain = shutil.copytree(release, tmp_path / "unpacked")
    assert cli("verify", str(plain)).exit_code == 0
    assert "没有 SHA256SUMS" in CliRunner().invoke(main, ["verify", str(project.content)]).output


def archive_members(archive: Path) -> dict[str, bytes]:
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as packed:
            return {name: packed.read(name) for name in packed.namelist()}
    with tarfile.open(archive) as packed:
        return {member.name: packed.extractfile(member).read() for member in packed.getmembers()}


def test_two_builds_give_byte_identical_archives_of_the_site_and_its_sums(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    archives = {}
    for run in ("one", "two"):
        out = tmp_path / run / "public"
        for name in ("site.tar.gz", "site.zip"):
            args = ["build", "--source", str(REPO / "content"), "--out", str(out), "--no-cache"]
            result = cli(*args, "--archive", str(tmp_path / run / name))
            assert result.exit_code == 0, result.output
            assert f"已写入归档 {tmp_path / run / name}" in result.output
            archives[run, name] = (tmp_path / run / name).read_bytes()
    files = site_files(tmp_path / "one/public")
    for name in ("site.tar.gz", "site.zip"):
        assert archives["one", name] == archives["two", name]
        members = archive_members(tmp_path / "one" / name)
        assert list(members) == sorted([*files, SUMS_NAME])
        sums = parse_sums(members.pop(SUMS_NAME))
        assert sums == files
        assert {path: hashlib.sha256(data).hexdigest() for path, data in members.items()} == files
    gz = archives["one", "site.tar.gz"]
    assert gz[3] == 0 and gz[4:8] == b"\0\0\0\0"  # no file name, no time in the gzip header
    with tarfile.open(tmp_path / "one/site.tar.gz") as packed:
        member = packed.getmembers()[0]
        assert (member.mtime, member.uid, member.gid, member.uname, member.gname, member.mode) == (946684800, 0, 0, "", "", 0o644)
    with zipfile.ZipFile(io.BytesIO(archives["one", "site.zip"])) as packed:
        info = packed.infolist()[0]
        assert info.date_time == (2000, 1, 1, 0, 0, 0) and info.compress_type == zipfile.ZIP_DEFLATED


def test_source_date_epoch_sets_the_time_and_a_bad_archive_name_is_refused_before_building(project, tmp_path, monkeypatch):
    out = site_version(project, "站点v1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    archive = tmp_path / "site.tgz"
    assert cli("build", "--source", str(project.content), "--out", str(out), "--no-index", "--archive", str(archive)).exit_code == 0
    with tarfile.open(archive) as packed:
        assert {member.mtime for member in packed.getmembers()} == {1700000000}
    fresh = tmp_path / "never-built"
    result = CliRunner().invoke(main, ["build", "--source", str(project.content), "--out", str(fresh), "--archive", str(tmp_path / "site.rar")])
    assert result.exit_code == 2 and "不支持的归档文件名" in result.output
    assert not fresh.exists()
