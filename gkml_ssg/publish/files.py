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

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.build.manifest import MANIFEST_NAME, Manifest
from gkml_ssg.build.state import build_finished

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
    for outputs in manifest.outputs(manifest.keys).values():
        files.update(outputs)
    for path in files:
        if "\n" in path or "\\" in path or path == SUMS_NAME:
            raise SiteRefused(f"文件名“{path!r}”不能写入 {SUMS_NAME}：请改名后重新构建")
    return dict(sorted(files.items()))


def changed_since_build(out: Path, path: str) -> SiteRefused:
    """The error for a file of `out` that is not what the build wrote. A build trusts its manifest
    and would not rewrite it: a full build, after the manifest is deleted, does."""
    return SiteRefused(
        f"{out}/{path} 与构建清单记录的不同（构建之后被改动？）：请删除 {out / MANIFEST_NAME} 后重新运行 gkml build"
    )


def file_digest(path: str | Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def format_sums(digests: dict[str, str]) -> bytes:
    return "".join(f"{digest}  {path}\n" for path, digest in sorted(digests.items())).encode("utf-8")


def parse_sums(data: bytes) -> dict[str, str]:
    """SHA256SUMS as written by `format_sums` (or by `sha256sum`, binary-mode `*` marks included)."""
    digests: dict[str, str] = {}
    for number, line in enumerate(data.decode("utf-8").splitlines(), 1):
        digest, separator, path = line.partition(" ")
        if not separator or len(digest) != 64 or path[:1] not in (" ", "*") or not path[1:]:
            raise SiteRefused(f"{SUMS_NAME} 第 {number} 行格式不对：应为“<SHA-256>  <路径>”")
        digests[path[1:]] = digest.lower()
    return digests


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
    if not sums_file.is_file():
        raise SiteRefused(f"{folder} 中没有 {SUMS_NAME}：请指定发布目录（含 current）或含 {SUMS_NAME} 的网站目录")
    sums = sums_file.read_bytes()
    listed = parse_sums(sums)
    present = _files_under(folder)
    problems = []
    if sums_digest_prefix is not None and not hashlib.sha256(sums).hexdigest().startswith(sums_digest_prefix):
        problems.append(Problem("已改动", SUMS_NAME))
    for path in sorted(set(listed) | set(present)):
        if path not in present:
            problems.append(Problem("缺失", path))
        elif path not in listed:
            problems.append(Problem("多余", path))
        elif present[path] or file_digest(folder / path) != listed[path]:
            problems.append(Problem("已改动", path))
    return Verification(folder, len(listed), tuple(problems))


def _files_under(folder: Path) -> dict[str, bool]:
    """Every file and symbolic link under `folder` but SHA256SUMS (relative path → is a link)."""
    found = {}
    for top, folders, names in os.walk(folder):
        relative = Path(top).relative_to(folder)
        # links to folders are not walked into: they are reported as they are
        for name in [n for n in folders if os.path.islink(os.path.join(top, n))] + names:
            path = (relative / name).as_posix()
            found[path] = os.path.islink(os.path.join(top, name))
    found.pop(SUMS_NAME, None)
    return found
