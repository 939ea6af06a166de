"""The files of a built site, and its SHA256SUMS manifest: what `gkml publish` copies into a
release and `gkml build --archive` packs, and what `gkml verify` checks a release against.

The site is exactly the files the build manifest records as outputs: not the manifest itself, not
a write's temporaries, not files someone else put into the output folder. A build that stopped half
way, or an output folder whose files no longer match the manifest, is refused: what is published
is always what one complete build wrote.

SHA256SUMS is in `sha256sum` format (`<hex>  <path>`, one line per file, sorted by path, UTF-8,
paths relative to the site's root), so `sha256sum -c SHA256SUMS` checks a release too.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.build.manifest import MANIFEST_NAME, Manifest, build_finished
from gkml_ssg.publish.failures import os_errors_as, os_failure

SUMS_NAME = "SHA256SUMS"


class SiteRefused(Exception):
    """The output folder holds no complete build, or a file changed since; the message is in Chinese."""


def site_files(out: Path) -> dict[str, str]:
    """The site's files in `out` (relative path → SHA-256 the build recorded), sorted by path."""
    manifest = Manifest.read(out)
    if not manifest.keys:
        raise SiteRefused(f"{out} 中没有构建清单（{MANIFEST_NAME}）：请先运行 gkml build --out {out}")
    if not build_finished(manifest):
        raise SiteRefused(f"{out} 中的上次构建没有完成：请先运行 gkml build --out {out}，构建完成后再发布")
    files: dict[str, str] = {}
    try:
        for outputs in manifest.outputs(manifest.keys).values():
            files.update(outputs)
    except sqlite3.Error as error:
        raise SiteRefused(f"无法读取 {out / MANIFEST_NAME}（{error}）：请删除它后重新运行 gkml build --out {out}") from None
    for path in files:
        if "\n" in path or not is_inside(path) or path == SUMS_NAME:
            raise SiteRefused(f"文件名“{path!r}”不能写入 {SUMS_NAME}：请改名后重新构建")
    return dict(sorted(files.items()))


def changed_since_build(out: Path, path: str) -> SiteRefused:
    """The error for a file of `out` that is not what the build wrote. A build trusts its manifest
    and would not rewrite it: a full build, after the manifest is deleted, does."""
    return SiteRefused(
        f"{out}/{path} 与构建清单记录的不同（构建之后被改动？）：请删除 {out / MANIFEST_NAME} 后重新运行 gkml build"
    )


def build_file_refused(out: Path, problem: str, path: str) -> SiteRefused:
    """The error for a file of `out` that is missing (缺失), a link (符号链接) or changed (已改动)."""
    if problem == "已改动":
        return changed_since_build(out, path)
    what = "缺失（构建之后被删除？）" if problem == "缺失" else "是符号链接，不是构建写入的文件"
    return SiteRefused(f"{out}/{path} {what}：请删除 {out / MANIFEST_NAME} 后重新运行 gkml build")


def file_digest(path: str | Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def format_sums(digests: dict[str, str]) -> bytes:
    return "".join(f"{digest}  {path}\n" for path, digest in sorted(digests.items())).encode("utf-8")


def parse_sums(data: bytes) -> dict[str, str]:
    """SHA256SUMS as written by `format_sums` (or by `sha256sum`, binary-mode `*` marks included).
    A path that could name a file outside the folder (absolute, `..`, an empty or `.` segment, a
    backslash) is refused: gkml never writes one, so the list was not written by gkml."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SiteRefused(f"{SUMS_NAME} 不是 UTF-8 文本：它不是 gkml 写出的，已被改动") from None
    digests: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        digest, separator, path = line.partition(" ")
        if not separator or len(digest) != 64 or path[:1] not in (" ", "*") or not path[1:]:
            raise SiteRefused(f"{SUMS_NAME} 第 {number} 行格式不对：应为“<SHA-256>  <路径>”")
        path = path[1:]
        if not is_inside(path):
            raise SiteRefused(
                f"{SUMS_NAME} 第 {number} 行的路径“{path}”会指向网站目录之外（绝对路径、“..”或空的路径段）："
                f"gkml 不会写出这样的行，{SUMS_NAME} 已被改动，拒绝按它校验"
            )
        digests[path] = digest.lower()
    return digests


def is_inside(path: str) -> bool:
    """Whether a relative path stays inside the folder it is relative to, by its text alone."""
    parts = path.split("/")
    return "\\" not in path and "\0" not in path and not any(part in ("", ".", "..") for part in parts)


@dataclass(frozen=True)
class Problem:
    kind: str  # 已改动, 缺失 or 多余
    path: str

    def format(self) -> str:
        return f"{self.kind}：{self.path}"


@dataclass(frozen=True)
class Verification:
    folder: Path
    files: int  # listed in SHA256SUMS
    problems: tuple[Problem, ...]

    def summary(self) -> str:
        if not self.problems:
            return f"校验通过：{self.folder} 的 {self.files} 个文件与 {SUMS_NAME} 一致"
        counts = {kind: sum(p.kind == kind for p in self.problems) for kind in ("已改动", "缺失", "多余")}
        found = "，".join(f"{kind} {count} 个" for kind, count in counts.items() if count)
        return f"校验失败：{self.folder} 与 {SUMS_NAME} 不一致（{found}）"


def verify_folder(folder: Path, sums_digest_prefix: str | None = None) -> Verification:
    """Compare every file under `folder` with its SHA256SUMS. A symbolic link counts as changed
    (listed) or extra (not listed): a release holds none. With `sums_digest_prefix` (a release's
    id names it), SHA256SUMS itself must hash to it."""
    sums_file = folder / SUMS_NAME
    with os_errors_as(SiteRefused):
        if not sums_file.is_file():
            if sums_digest_prefix is not None:  # a release: its list is gone
                return Verification(folder, 0, (Problem("缺失", SUMS_NAME),))
            raise SiteRefused(f"{folder} 中没有 {SUMS_NAME}：请指定发布目录（含 current）或含 {SUMS_NAME} 的网站目录")
        sums = sums_file.read_bytes()
    listed = parse_sums(sums)
    problems = []
    if sums_digest_prefix is not None and not hashlib.sha256(sums).hexdigest().startswith(sums_digest_prefix):
        problems.append(Problem("已改动", SUMS_NAME))
    problems += compare_folder(folder, listed)
    return Verification(folder, len(listed), tuple(problems))


def compare_folder(folder: Path, listed: dict[str, str]) -> list[Problem]:
    """What in `folder` differs from `listed` (relative path → SHA-256), SHA256SUMS left aside."""
    present = _files_under(folder)
    problems = []
    for path in sorted(set(listed) | set(present)):
        if path not in present:
            problems.append(Problem("缺失", path))
        elif path not in listed:
            problems.append(Problem("多余", path))
        elif present[path]:
            problems.append(Problem("已改动", path))
        else:
            with os_errors_as(SiteRefused, folder / path):
                if regular_file_digest(folder / path) != listed[path]:
                    problems.append(Problem("已改动", path))
    return problems


def regular_file_digest(path: Path) -> str | None:
    """The SHA-256 of a regular file; None for anything else put in its place (a FIFO would
    otherwise block the reading, a link lead elsewhere)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP:  # a link since the folder was listed
            return None
        raise
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _files_under(folder: Path) -> dict[str, bool]:
    """Every file and symbolic link under `folder` but SHA256SUMS (relative path → is a link)."""
    found = {}

    def unreadable(error: OSError) -> None:
        raise SiteRefused(os_failure(error, folder))

    for top, folders, names in os.walk(folder, onerror=unreadable):
        relative = Path(top).relative_to(folder)
        # links to folders are not walked into: they are reported as they are
        for name in [n for n in folders if os.path.islink(os.path.join(top, n))] + names:
            path = (relative / name).as_posix()
            found[path] = os.path.islink(os.path.join(top, name))
    found.pop(SUMS_NAME, None)
    return found
