"""gkml publish, --rollback, verify [--repair] and build --archive: releases switched atomically, a
publish killed at any step leaving a complete release live, releases that share no file, tamper
checks and repairs, rollbacks and pruning by the live history, reproducible archives."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import AGENCY_YML, REPO, SITE_YML
from publish_process import publish_and_kill

from gkml_ssg.build.manifest import MANIFEST_NAME
from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.cli.main import main
from gkml_ssg.publish import files as files_module
from gkml_ssg.publish import fill
from gkml_ssg.publish.files import (
    SUMS_NAME,
    SiteRefused,
    file_digest,
    format_sums,
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


def writable(path: Path) -> Path:
    """A release file made writable for the user running the tests, as it is for root: what a
    tamperer with root rights, or the file's owner after a chmod, can do."""
    path.chmod(path.stat().st_mode | 0o200)
    return path


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
    with pytest.raises(PublishRefused, match=r"当前版本 .* 之前没有上线过、仍然保留的版本，无法回滚"):
        folder.rollback()
    third = folder.publish(project.out)
    assert (live(dest).name, title_of(live(dest))) == (third.release, "v2")
    # back to the release that was live before the third, not to the second, which was rolled back from
    assert folder.rollback().current == first.release
    for release in (first, second, third):
        assert verify_folder(dest / RELEASES / release.release).problems == ()
    files = set(site_files(project.out))
    assert set(parse_sums((live(dest) / SUMS_NAME).read_bytes())) == files
    assert MANIFEST_NAME not in files and len(files) > 5


def test_old_releases_are_pruned_but_never_the_live_one_or_its_rollback_target(project, tmp_path):
    dest = tmp_path / "dest"
    folder = PublishFolder(dest)
    out = site_version(project, "站点v1")
    releases = [folder.publish(out, keep=2).release for _ in range(4)]
    assert folder.releases() == releases[-2:]
    assert folder.rollback().current == releases[2]
    fifth = folder.publish(out, keep=1)
    # live: the new one; its rollback target: releases[2], live before it. releases[3] was rolled
    # back from: it goes first
    assert fifth.removed == (releases[3],)
    assert folder.releases() == [releases[2], fifth.release]
    assert folder.rollback_target() == releases[2]


def test_each_release_is_a_copy_of_its_own_and_a_rebuild_leaves_it_alone(project, tmp_path):
    out = site_version(project, "站点v1")
    folder = PublishFolder(tmp_path / "dest")
    first, second = folder.publish(out), folder.publish(out)
    assert first.cloned + first.copied == first.files == len(site_files(out))
    home = out / "index.html"
    copies = [tmp_path / "dest" / RELEASES / release.release / "index.html" for release in (first, second)]
    assert len({home.stat().st_ino, *(copy.stat().st_ino for copy in copies)}) == 3
    for copy in copies:
        assert copy.stat().st_mode & 0o777 == 0o444  # read-only: only root changes it in place
        assert copy.stat().st_mtime_ns == home.stat().st_mtime_ns  # the same ETag from release to release
        assert copy.read_bytes() == home.read_bytes()
    site_version(project, "站点v2")
    assert title_of(out) == "v2"
    assert title_of(live(tmp_path / "dest")) == title_of(tmp_path / "dest" / RELEASES / first.release) == "v1"
    assert verify_folder(live(tmp_path / "dest")).problems == ()


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
    PublishFolder(dest).publish(site_version(project, "站点v1"))
    clean = cli("verify", str(dest))
    assert clean.exit_code == 0 and "校验通过" in clean.output
    release = live(dest)
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--quiet", "-c", SUMS_NAME], cwd=release, check=True)
    page = writable(release / "agencies/x/index.html")
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
    PublishFolder(dest).publish(site_version(project, "站点v1"))
    release = live(dest)
    page = writable(release / "robots.txt")
    page.write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    sums = (release / SUMS_NAME).read_text(encoding="utf-8").splitlines()
    digest = hashlib.sha256(page.read_bytes()).hexdigest()
    rewritten = [f"{digest}  robots.txt" if line.endswith("  robots.txt") else line for line in sums]
    writable(release / SUMS_NAME).write_text("\n".join(rewritten) + "\n", encoding="utf-8")
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


# --- Through the real CLI, as the problems were reproduced: a defacement, a rollback and the
# pruning after it, a `current` pointed elsewhere, OSErrors. Every message in Chinese, no traceback.

DEFACEMENT = "<script>alert('defaced')</script>"


def gkml(*args: str):
    """`gkml ARGS` in-process; an exception escaping the command fails the test."""
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def deface(file: Path) -> None:
    """`echo '<script>…' >> FILE`, as the tester did (as root: the file's read-only mode does not stop it)."""
    if os.geteuid() != 0:
        writable(file)
    subprocess.run(["sh", "-c", f'echo "{DEFACEMENT}" >> "$1"', "sh", str(file)], check=True)


def build_matches_manifest(out: Path) -> bool:
    return all(file_digest(out / path) == digest for path, digest in site_files(out).items())


def test_a_defacement_stays_in_the_live_release_and_a_rollback_lands_on_a_clean_one(project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the build's cache
    dest, out, content = tmp_path / "dest", project.out, project.content
    project.write("a/x.yml", AGENCY_YML)
    project.write("site.yml", SITE_YML.replace("测试站点", "站点v1"))
    assert gkml("publish", str(dest), "--source", str(content), "--out", str(out)).exit_code == 0
    first = live(dest).name
    project.write("site.yml", SITE_YML.replace("测试站点", "站点v2"))
    assert gkml("publish", str(dest), "--source", str(content), "--out", str(out)).exit_code == 0
    second = live(dest).name
    # the home page differs between the two releases, the stylesheet is the same file in both
    deface(dest / CURRENT / "index.html")
    deface(dest / CURRENT / "static/css/site.css")
    result = gkml("verify", str(dest))
    assert result.exit_code == 1
    assert "已改动：index.html" in result.output and "已改动：static/css/site.css" in result.output
    assert f"gkml verify {dest} --repair" in result.output and f"gkml publish {dest} --rollback" in result.output
    assert DEFACEMENT not in (out / "index.html").read_text(encoding="utf-8") and build_matches_manifest(out)
    assert verify_folder(dest / RELEASES / first).problems == ()
    result = gkml("publish", str(dest), "--rollback")
    assert result.exit_code == 0 and f"已回滚：current 从 {second} 切换到 {first}" in result.output
    assert gkml("verify", str(dest)).exit_code == 0
    assert DEFACEMENT not in (dest / CURRENT / "static/css/site.css").read_text(encoding="utf-8")
    # the next publish needs nothing done by hand
    result = gkml("publish", str(dest), "--source", str(content), "--out", str(out))
    assert result.exit_code == 0 and "已发布版本" in result.output, result.output
    assert gkml("verify", str(dest)).exit_code == 0


def test_verify_repair_restores_the_exact_bytes_of_the_build_in_one_command(project, tmp_path):
    dest, out = tmp_path / "dest", site_version(project, "站点v1")
    folder = PublishFolder(dest)
    first = folder.publish(out).release
    damaged = folder.publish(out).release
    release = dest / RELEASES / damaged
    deface(release / "index.html")
    (release / "robots.txt").unlink()
    (release / "agencies/x/extra.html").write_text("<p>not ours</p>", encoding="utf-8")
    (release / "static/css/site.css").unlink()
    (release / "static/css/site.css").symlink_to("/etc/passwd")
    (release / "static/js/search.js").unlink()
    os.mkfifo(release / "static/js/search.js")  # would block a reader that opened it
    assert gkml("verify", str(dest)).exit_code == 1
    result = gkml("verify", str(dest), "--repair", "--out", str(out))
    assert result.exit_code == 0, result.output
    repaired = live(dest).name
    for line in ("已改动：index.html", "缺失：robots.txt", "多余：agencies/x/extra.html", "已改动：static/css/site.css",
                 "已改动：static/js/search.js",
                 f"已修复：从构建目录恢复 4 个文件，去掉多余文件 1 个；current 已从 {damaged} 切换到修复后的版本 {repaired}",
                 f"被改动的版本 {damaged} 已删除"):
        assert line in result.output
    assert gkml("verify", str(dest)).exit_code == 0
    for path in site_files(out):
        assert (live(dest) / path).read_bytes() == (out / path).read_bytes(), path
    assert (live(dest) / "static/css/site.css").is_file() and not (live(dest) / "static/css/site.css").is_symlink()
    assert (live(dest) / "static/js/search.js").is_file()
    assert repaired.endswith(damaged[-12:])  # the same SHA256SUMS, byte for byte
    assert folder.releases() == [first, repaired] and leftovers(dest) == []
    assert folder.rollback_target() == first  # the repaired copy took the damaged release's place
    result = gkml("verify", str(dest), "--repair", "--out", str(out))
    assert result.exit_code == 0 and "无需修复" in result.output and live(dest).name == repaired


def test_a_repair_never_writes_into_the_live_release_and_readers_see_whole_files(project, tmp_path, monkeypatch):
    """Readers polling the live home page during repairs see the defaced bytes or the built ones,
    never a file half written or missing; the damaged release is left as it was until deleted."""
    dest, out = tmp_path / "dest", site_version(project, "站点v1")
    folder = PublishFolder(dest)
    folder.publish(out)
    built = (out / "index.html").read_bytes()
    defaced = built + (DEFACEMENT + "\n").encode()
    kept: list[str] = []
    monkeypatch.setattr(PublishFolder, "remove", lambda self, release: kept.append(release))
    seen: list[bytes | str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append((dest / CURRENT / "index.html").read_bytes())
            except OSError as error:
                seen.append(str(error))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(5):
            damaged = live(dest)
            deface(damaged / "index.html")
            before = {path: (damaged / path).read_bytes() for path in site_files(out)}
            assert gkml("verify", str(dest), "--repair", "--out", str(out)).exit_code == 0
            assert kept[-1] == damaged.name and live(dest) != damaged
            assert {path: (damaged / path).read_bytes() for path in site_files(out)} == before
    finally:
        stop.set()
        reader.join()
    assert seen and set(seen) <= {built, defaced}, {s for s in seen if s not in (built, defaced)}


def test_repair_refuses_a_build_folder_that_does_not_match_and_leaves_the_site_as_it_was(project, tmp_path):
    dest, out = tmp_path / "dest", site_version(project, "站点v1")
    PublishFolder(dest).publish(out)
    damaged = live(dest)
    deface(damaged / "index.html")
    deface(out / "index.html")  # the build folder itself was changed
    result = gkml("verify", str(dest), "--repair", "--out", str(out))
    assert result.exit_code == 1
    assert f"修复失败：构建目录中的 {out}/index.html 与构建清单记录的不同（构建之后被改动？），不能用来修复" in result.output
    assert f"请删除 {out / MANIFEST_NAME}，运行 gkml build --out {out} 重新构建，再运行 gkml verify {dest} --repair" in result.output
    assert "线上网站没有改动" in result.output
    assert live(dest) == damaged and leftovers(dest) == []
    # a build of other content cannot give back the live release's files
    (out / MANIFEST_NAME).unlink()
    site_version(project, "站点v2")
    result = gkml("verify", str(dest), "--repair", "--out", str(out))
    assert result.exit_code == 1
    assert f"线上版本 {damaged.name} 的 index.html 与构建目录 {out} 中的不同（之后又构建过新的内容？），无法从构建恢复" in result.output
    assert f"gkml publish {dest} --no-build --out {out}" in result.output and live(dest) == damaged
    result = gkml("verify", str(dest), "--repair", "--out", str(tmp_path / "never-built"))
    assert result.exit_code == 1 and "没有构建清单" in result.output and "gkml build --out" in result.output


def test_repair_of_a_rewritten_sha256sums_takes_the_list_from_the_build_when_it_is_that_release(project, tmp_path):
    dest, out = tmp_path / "dest", site_version(project, "站点v1")
    PublishFolder(dest).publish(out)
    release = live(dest)
    deface(release / "robots.txt")
    sums = parse_sums((release / SUMS_NAME).read_bytes())
    sums["robots.txt"] = file_digest(release / "robots.txt")
    writable(release / SUMS_NAME).write_bytes(format_sums(sums))
    assert "已改动：SHA256SUMS" in gkml("verify", str(dest)).output
    result = gkml("verify", str(dest), "--repair", "--out", str(out))
    assert result.exit_code == 0 and "已修复" in result.output, result.output
    assert gkml("verify", str(dest)).exit_code == 0
    assert (live(dest) / "robots.txt").read_bytes() == (out / "robots.txt").read_bytes()
    # once the build holds other content, nothing says what the files were
    writable(live(dest) / SUMS_NAME).write_bytes(b"")
    site_version(project, "站点v2")
    result = gkml("verify", str(dest), "--repair", "--out", str(out))
    assert result.exit_code == 1 and "SHA256SUMS 被改动或删除了" in result.output and f"gkml publish {dest} --rollback" in result.output


def test_after_a_rollback_the_next_publish_keeps_the_live_release(project, tmp_path):
    dest = tmp_path / "dest"
    outs = {}
    for name in ("v1", "v2", "v3", "v4"):
        outs[name] = tmp_path / f"public-{name}"
        shutil.copytree(site_version(project, f"站点{name}"), outs[name])
    ids = {}
    for name in ("v1", "v2", "v3"):
        assert gkml("publish", str(dest), "--no-build", "--out", str(outs[name]), "--keep", "2").exit_code == 0
        ids[name] = live(dest).name
    assert gkml("publish", str(dest), "--rollback").exit_code == 0 and live(dest).name == ids["v2"]
    result = gkml("publish", str(dest), "--no-build", "--out", str(outs["v4"]), "--keep", "2")
    assert result.exit_code == 0
    ids["v4"] = live(dest).name
    assert f"已删除旧版本 {ids['v3']}" in result.output and ids["v2"] not in result.output
    assert PublishFolder(dest).releases() == [ids["v2"], ids["v4"]]
    result = gkml("publish", str(dest), "--rollback")
    assert f"切换到 {ids['v2']}" in result.output and title_of(live(dest)) == "v2"


def test_a_publish_folder_of_an_earlier_gkml_rolls_back_by_time(project, tmp_path):
    dest, out = tmp_path / "dest", site_version(project, "站点v1")
    folder = PublishFolder(dest)
    releases = [folder.publish(out).release for _ in range(3)]
    folder.rollback()
    (dest / ".gkml-history").unlink()  # no history: every release up to the live one, by time
    assert folder.rollback().current == releases[0]


def test_verify_refuses_a_current_outside_releases(project, tmp_path):
    dest, out = tmp_path / "dest", site_version(project, "站点v1")
    PublishFolder(dest).publish(out)
    good = live(dest).name
    foreign = shutil.copytree(out, tmp_path / "foreign", ignore=shutil.ignore_patterns(".gkml*"))
    (foreign / "index.html").write_text(DEFACEMENT, encoding="utf-8")
    (foreign / SUMS_NAME).write_bytes(format_sums({path: file_digest(foreign / path) for path in site_files(out)}))
    assert gkml("verify", str(foreign)).exit_code == 0  # its own list matches it
    for target in (str(foreign), "../foreign", f"{RELEASES}/../../foreign", f"{RELEASES}/{good}/agencies"):
        (dest / CURRENT).unlink()
        (dest / CURRENT).symlink_to(target)
        result = gkml("verify", str(dest))
        assert result.exit_code == 1, target
        assert f"无法校验：{dest / CURRENT} 指向 {target}" in result.output and f"不在 {dest / RELEASES}/ 之中" in result.output
        assert "它不是 gkml publish 发布的版本" in result.output and f"gkml verify {dest} --repair" in result.output
        assert "回滚失败：" in gkml("publish", str(dest), "--rollback").output
    (dest / CURRENT).unlink()
    (dest / CURRENT).symlink_to(f"{RELEASES}/20200101T000000.000000Z-000000000000")
    result = gkml("verify", str(dest))
    assert result.exit_code == 1 and "指向的版本 releases/20200101T000000.000000Z-000000000000 不存在" in result.output
    (dest / CURRENT).unlink()
    (dest / CURRENT).symlink_to(foreign)
    result = gkml("verify", str(dest), "--repair")
    assert result.exit_code == 0 and f"current 原指向 {foreign}" in result.output and "已重新上线" in result.output
    assert live(dest).name == good and gkml("verify", str(dest)).exit_code == 0


def test_sha256sums_entries_that_escape_the_folder_are_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "outside.txt").write_text("secret", encoding="utf-8")
    digest = file_digest(tmp_path / "outside.txt")
    for path in ("../outside.txt", str(tmp_path / "outside.txt"), "a/../../outside.txt", "a//b", "./x"):
        (site / SUMS_NAME).write_text(f"{digest}  {path}\n", encoding="utf-8")
        result = gkml("verify", str(site))
        assert result.exit_code == 1, path
        assert f"无法校验：{SUMS_NAME} 第 1 行的路径“{path}”会指向网站目录之外" in result.output
    with pytest.raises(SiteRefused, match="指向网站目录之外"):
        parse_sums(f"{digest}  ../outside.txt\n".encode())


def test_verify_reports_a_release_whose_sha256sums_is_gone(project, tmp_path):
    dest = tmp_path / "dest"
    PublishFolder(dest).publish(site_version(project, "站点v1"))
    (live(dest) / SUMS_NAME).unlink()
    result = gkml("verify", str(dest))
    assert result.exit_code == 1 and f"缺失：{SUMS_NAME}" in result.output


def read_only(monkeypatch, root: Path) -> None:
    """DEST on a file system mounted read-only: opening a file under it for writing fails."""
    real_open = os.open

    def guarded_open(path, flags, *args, **kwargs):
        writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if writing and Path(os.fsdecode(path)).resolve().is_relative_to(root.resolve()):
            raise OSError(errno.EROFS, "Read-only file system", os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)


def test_os_errors_are_chinese_messages_naming_the_file_and_what_to_do(project, tmp_path, monkeypatch):
    dest, out = tmp_path / "dest", site_version(project, "站点v1")
    PublishFolder(dest).publish(out)
    good = live(dest).name
    # a missing folder
    result = gkml("verify", str(tmp_path / "missing"))
    assert result.exit_code == 1 and f"无法校验：{tmp_path / 'missing'} 不存在：请指定发布目录" in result.output
    result = gkml("publish", str(dest), "--no-build", "--out", str(tmp_path / "missing"))
    assert result.exit_code == 1 and f"发布失败：{tmp_path / 'missing'} 中没有构建清单" in result.output
    # a full disk: the partial release is removed, the live one stays
    calls = []

    def full(self, source_fd, target_fd):
        calls.append(target_fd)
        if len(calls) > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fill(self, source_fd, target_fd)

    real_fill = fill._Copier._fill
    with monkeypatch.context() as patch:
        patch.setattr(fill._Copier, "_fill", full)
        result = gkml("publish", str(dest), "--no-build", "--out", str(out))
        assert result.exit_code == 1
        assert f"发布失败：{dest / RELEASES}/." in result.output
        assert "磁盘已满（ENOSPC）。请腾出磁盘空间（或用较小的 --keep 少留旧版本）后重试。线上网站没有改动。" in result.output
        assert live(dest).name == good and leftovers(dest) == []
        deface(live(dest) / "index.html")
        calls.clear()
        result = gkml("verify", str(dest), "--repair", "--out", str(out))
        assert result.exit_code == 1 and "修复失败：" in result.output and "磁盘已满（ENOSPC）" in result.output
        assert live(dest).name == good and leftovers(dest) == []
    # a file that cannot be read
    with monkeypatch.context() as patch:
        def denied(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

        patch.setattr(files_module, "regular_file_digest", denied)
        result = gkml("verify", str(dest))
        assert result.exit_code == 1 and "无法校验：" in result.output and "没有权限（EACCES）" in result.output
    # a read-only DEST
    with monkeypatch.context() as patch:
        read_only(patch, dest)
        for args, failed in ((["--no-build", "--out", str(out)], "发布失败"), (["--rollback"], "回滚失败")):
            result = gkml("publish", str(dest), *args)
            assert result.exit_code == 1
            assert f"{failed}：{dest / '.gkml-publish.lock'}：所在文件系统是只读的（EROFS）。请把它重新挂载为可写，或换一个可写的目录。" in result.output
        result = gkml("verify", str(dest), "--repair", "--out", str(out))
        assert result.exit_code == 1 and "修复失败：" in result.output and "EROFS" in result.output
        assert gkml("verify", str(dest)).exit_code == 1  # reading works: it reports the defacement
    assert live(dest).name == good
