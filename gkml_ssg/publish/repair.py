"""`gkml verify DEST --repair`: the live release made whole again from the build, in one switch.

The release to repair is the live one, or, when `current` leads anywhere but to a release of
releases/, the release last made live (the top of the live history, publish/history.py). What its
files must be is its SHA256SUMS, trusted when it hashes to what the release's id names; when the
list itself was changed, the build's list is used if it hashes to that, and the repair is refused
otherwise (nothing then says what the files were).

The repair never writes into the live release. It makes a new release beside it, exactly like a
publish: each intact file copied from the live release, each changed or missing one from the
output folder (`--out`), where the build manifest's digest must be the release's and the file's
bytes must hash to it; extra files are left out. Then `current` is switched to it in one atomic
step, the new release takes the damaged one's place in the live history, and the damaged one is
deleted. A reader sees the damaged release or the repaired one, never a mix, and never a file half
written; a repair that fails or is killed leaves the live release as it was. Rewriting files in
place (a temporary renamed over each) would also keep each file whole and be quicker, but readers
would see a release half repaired, and it would write into a tree the intruder shaped (a folder
swapped for a link leads the writes elsewhere); a new release is built from nothing, whatever
was done to the old one, at the cost of one copy of the site, as long as a publish.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.build.manifest import MANIFEST_NAME
from gkml_ssg.publish.failures import os_errors_as
from gkml_ssg.publish.files import (
    SUMS_NAME,
    Problem,
    SiteRefused,
    compare_folder,
    format_sums,
    parse_sums,
    site_files,
)
from gkml_ssg.publish.history import write_history
from gkml_ssg.publish.releases import UNCHANGED, PublishFolder, PublishRefused, sums_digest_prefix


@dataclass(frozen=True)
class RepairReport:
    release: str  # the release that was repaired (or pointed back at)
    problems: tuple[Problem, ...]  # what was wrong with it
    pointed_at: str | None  # where `current` led, when not to a release
    current: str  # the release live now
    restored: tuple[str, ...]  # files taken from the output folder

    def summary(self) -> str:
        lines = []
        if self.pointed_at is not None:
            lines.append(f"current 原指向 {self.pointed_at}，不是 gkml 发布的版本；已改为指向最近一次上线的版本")
        if not self.problems:
            lines.append(f"校验通过：版本 {self.release} 与其 {SUMS_NAME} 一致" + ("，已重新上线" if self.pointed_at else "，无需修复"))
            return "\n".join(lines)
        extra = sum(problem.kind == "多余" for problem in self.problems)
        lines.append(
            f"已修复：从构建目录恢复 {len(self.restored)} 个文件，去掉多余文件 {extra} 个；"
            f"current 已从 {self.release} 切换到修复后的版本 {self.current}，被改动的版本 {self.release} 已删除"
        )
        return "\n".join(lines)


def repair(folder: PublishFolder, out: Path) -> RepairReport:
    dest = folder.dest
    with folder.locked():
        with os_errors_as(PublishRefused, dest, UNCHANGED):
            live = folder.live()
            pointed_at = os.readlink(folder.current_link) if live is None and folder.current_link.is_symlink() else None
            history = folder.history()
            if not history:
                raise PublishRefused(
                    f"{dest} 中没有可以修复的版本（不是 gkml publish 的发布目录，或还没有发布过）：请运行 gkml publish {dest}"
                )
            damaged = history[-1]
            release = folder.releases_folder / damaged
            expected, sums_intact = _expected_files(release, out, dest)
            problems = ([] if sums_intact else [Problem("已改动", SUMS_NAME)]) + compare_folder(release, expected)
            if not problems:
                if pointed_at is not None:
                    folder.switch(damaged)
                return RepairReport(damaged, (), pointed_at, damaged, ())
            broken = {problem.path for problem in problems if problem.kind != "多余"}
            plan: dict[str, tuple[Path, str]] = {}
            build: dict[str, str] | None = None
            for path, digest in expected.items():
                if sums_intact and path not in broken:
                    plan[path] = (release, digest)
                    continue
                build = site_files(out) if build is None else build
                if build.get(path) != digest:
                    raise PublishRefused(
                        f"线上版本 {damaged} 的 {path} 与构建目录 {out} 中的不同（之后又构建过新的内容？），无法从构建恢复。"
                        f"请运行 gkml publish {dest} --no-build --out {out} 发布构建目录中的网站，"
                        f"或运行 gkml publish {dest} --rollback 回滚到上一版本。{UNCHANGED}"
                    )
                plan[path] = (out, digest)

            def refused(problem: str, source: Path, path: str) -> Exception:
                if source == release:
                    return PublishRefused(f"{release}/{path} 在修复过程中又被改动：请先查明是谁在改动网站文件，再运行 gkml verify {dest} --repair")
                return SiteRefused(
                    f"构建目录中的 {out}/{path} {_STATE[problem]}，不能用来修复：构建目录本身与其构建清单不一致。"
                    f"请删除 {out / MANIFEST_NAME}，运行 gkml build --out {out} 重新构建，再运行 gkml verify {dest} --repair；"
                    f"或运行 gkml publish {dest} --rollback 回滚到上一版本。{UNCHANGED}"
                )

            repaired, _ = folder.make_release(plan, refused)
            # the history first: a repair killed before the switch leaves the damaged release
            # live with the repaired one as its rollback target, never the other way round
            write_history(dest, [*history[:-1], repaired])
            folder.switch(repaired)
        with os_errors_as(PublishRefused, release, f"修复后的版本已经上线；被改动的版本 {damaged} 没删完，请手动删除它。"):
            folder.remove(damaged)
    restored = tuple(path for path, (source, _) in plan.items() if source == out)
    return RepairReport(damaged, tuple(problems), pointed_at, repaired, restored)


_STATE = {"已改动": "与构建清单记录的不同（构建之后被改动？）", "缺失": "缺失", "符号链接": "是符号链接"}


def _expected_files(release: Path, out: Path, dest: Path) -> tuple[dict[str, str], bool]:
    """What the release's files must be (path → SHA-256), and whether its own SHA256SUMS says so."""
    prefix = sums_digest_prefix(release) or ""
    try:
        sums = (release / SUMS_NAME).read_bytes()
    except FileNotFoundError:
        sums = b""
    if sums and hashlib.sha256(sums).hexdigest().startswith(prefix):
        return parse_sums(sums), True
    build = site_files(out)
    if hashlib.sha256(format_sums(build)).hexdigest().startswith(prefix):
        return build, False
    raise PublishRefused(
        f"{release}/{SUMS_NAME} 被改动或删除了，而构建目录 {out} 中的网站不是这个版本：无法知道它原来的文件。"
        f"请运行 gkml publish {dest} --rollback 回滚到上一版本，或运行 gkml publish {dest} --no-build --out {out} 发布构建目录中的网站。"
        f"{UNCHANGED}"
    )
