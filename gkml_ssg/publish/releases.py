"""`gkml publish` and `--rollback`: complete releases side by side, switched atomically.

A publish folder DEST holds

    releases/<id>/      one complete copy of the site each, with its SHA256SUMS
    current             a relative symbolic link, "releases/<id>": the live release

and the web server serves DEST/current/ (deploy/nginx/gkml.conf). A release is filled under a
hidden name (`releases/.<time>-<pid>.partial/`), synced to disk and only then renamed to its id;
`current` is then switched by making a new link beside it and renaming it over the old one, which
POSIX makes atomic: every request is answered from one complete release, the old one or the new,
and a publish killed at any point leaves `current` at a complete release. The next publish removes
what a killed one left behind. Old releases are removed the same way round: renamed to a hidden
name first, then deleted, so that a half-deleted release never looks complete.

Files are hard-linked from the output folder when it is on the same file system, and copied
otherwise. A link is safe because gkml never changes an output file in place: the writer
(`build/write.py`) writes a temporary and renames it over the old file, which leaves the old file, and
the release that links it, as they were. Every file is hashed as it lands in the release and must
match what the build manifest recorded, so a release is exactly what one complete build wrote.
The other side of a link: a file changed in place inside a release (by hand, on the server) is
changed in the output folder and in every release that links it too; `gkml verify` reports it,
and `--copy` keeps releases apart at the price of time and space.

A release's id is the UTC time of the publish and the start of the SHA-256 of its SHA256SUMS
(`20250101T120000.000000Z-<12 hex>`): ids sort by time, and name what they hold. The time is not
part of the site, whose bytes depend on its sources alone.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.build.manifest import MANIFEST_NAME
from gkml_ssg.build.write import OutputFolder
from gkml_ssg.publish.files import (
    SUMS_NAME,
    SiteRefused,
    changed_since_build,
    format_sums,
    site_files,
)

RELEASES = "releases"
CURRENT = "current"
DEFAULT_KEEP = 5
_LOCK_NAME = ".gkml-publish.lock"
_PARTIAL_SUFFIX = ".partial"
_REMOVING_SUFFIX = ".removing"
_LINK_TEMP_PREFIX = ".current."
_RELEASE_ID = re.compile(r"\d{8}T\d{6}\.\d{6}Z-([0-9a-f]{12})")
# os.link fails with these where a copy still works: another file system, a file system without
# hard links, or a link the kernel refuses (fs.protected_hardlinks, too many links).
_NO_LINK = {errno.EXDEV, errno.EPERM, errno.EACCES, errno.EMLINK, errno.ENOTSUP, errno.ENOSYS}


class PublishRefused(Exception):
    """Publishing or rolling back cannot go ahead; the message says why and what to do, in Chinese."""


@dataclass(frozen=True)
class PublishReport:
    release: str
    files: int
    linked: int  # hard-linked from the output folder
    copied: int
    removed: tuple[str, ...]  # old releases deleted
    live_after: float  # seconds from the start until `current` was switched
    seconds: float  # …and until the old releases were deleted

    def summary(self) -> str:
        how = "全部为硬链接" if not self.copied else "全部为复制" if not self.linked else f"硬链接 {self.linked} 个，复制 {self.copied} 个"
        return (
            f"已发布版本 {self.release}：{self.files} 个文件（{how}），{self.live_after:.2f} 秒时上线，"
            f"共用时 {self.seconds:.2f} 秒；current → {RELEASES}/{self.release}"
        )


@dataclass(frozen=True)
class RollbackReport:
    previous: str
    current: str

    def summary(self) -> str:
        return f"已回滚：current 从 {self.previous} 切换到 {self.current}"


class PublishFolder:
    """DEST, its releases and its `current` link. Changes are made under an exclusive lock on
    DEST/.gkml-publish.lock, so two publishes into one folder cannot interleave."""

    def __init__(self, dest: Path):
        self.dest = dest
        self.releases_folder = dest / RELEASES
        self.current_link = dest / CURRENT

    def releases(self) -> list[str]:
        """The complete releases, oldest first."""
        if not self.releases_folder.is_dir():
            return []
        return sorted(
            entry.name
            for entry in os.scandir(self.releases_folder)
            if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)
            and os.path.isfile(os.path.join(entry.path, SUMS_NAME))
        )

    def current(self) -> str | None:
        """The id of the live release, or None before the first publish."""
        if not self.current_link.is_symlink():
            if self.current_link.exists():
                raise PublishRefused(
                    f"{self.current_link} 不是符号链接：gkml publish 只管理由它创建的发布目录，请换一个目录或移走它"
                )
            return None
        return Path(os.readlink(self.current_link)).name

    def rollback_target(self, current: str | None) -> str | None:
        """The newest complete release older than `current`."""
        older = [release for release in self.releases() if current is None or release < current]
        return older[-1] if older else None

    def publish(self, out: Path, keep: int = DEFAULT_KEEP, copy: bool = False) -> PublishReport:
        """Put the site built in `out` into a new release, make it current, prune old releases.
        With `copy`, files are copied even where they could be hard-linked: a release then shares
        no file with the output folder or another release, so a file changed in place on the
        server (which `gkml verify` reports) changes that release alone."""
        start = time.perf_counter()
        if self.dest.resolve().is_relative_to(out.resolve()):
            raise PublishRefused(f"发布目录 {self.dest} 不能位于输出目录 {out} 之中")
        with self._locked():
            self.current()  # refuses a `current` that is not ours before anything is written
            self._remove_leftovers()
            files = site_files(out)
            stamp = _utc_stamp()
            partial = self.releases_folder / f".{stamp}-{os.getpid()}{_PARTIAL_SUFFIX}"
            partial.mkdir(parents=True)
            try:
                linked, copied, sums = _fill_release(out, files, partial, link=not copy)
            except BaseException:
                shutil.rmtree(partial, ignore_errors=True)
                raise
            release = f"{stamp}-{hashlib.sha256(sums).hexdigest()[:12]}"
            partial.rename(self.releases_folder / release)
            _sync_folder(self.releases_folder)
            self._switch(release)
            live_after = time.perf_counter() - start
            removed = self._prune(keep)
        return PublishReport(release, len(files), linked, copied, removed, live_after, time.perf_counter() - start)

    def rollback(self) -> RollbackReport:
        """Make the newest complete release older than the current one current."""
        with self._locked():
            current = self.current()
            if current is None:
                raise PublishRefused(f"{self.dest} 中还没有发布过网站，无法回滚")
            target = self.rollback_target(current)
            if target is None:
                raise PublishRefused(f"没有比当前版本 {current} 更早的完整版本，无法回滚")
            self._switch(target)
        return RollbackReport(current, target)

    def _switch(self, release: str) -> None:
        temporary = self.dest / f"{_LINK_TEMP_PREFIX}{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        # relative: DEST can be moved or mounted elsewhere and still work
        os.symlink(f"{RELEASES}/{release}", temporary)
        os.replace(temporary, self.current_link)
        _sync_folder(self.dest)

    def _prune(self, keep: int) -> tuple[str, ...]:
        """Delete all but the newest `keep` releases, never the current one or the one a rollback
        would go to."""
        releases = self.releases()
        current = self.current()
        kept = set(releases[-keep:]) | {current, self.rollback_target(current)}
        removed = tuple(release for release in releases if release not in kept)
        for release in removed:
            hidden = self.releases_folder / f".{release}{_REMOVING_SUFFIX}"
            (self.releases_folder / release).rename(hidden)
            shutil.rmtree(hidden)
        return removed

    def _remove_leftovers(self) -> None:
        """What a killed publish or prune left: a partial release, a half-deleted one, a link."""
        if self.releases_folder.is_dir():
            for entry in os.scandir(self.releases_folder):
                if entry.name.startswith(".") and entry.name.endswith((_PARTIAL_SUFFIX, _REMOVING_SUFFIX)):
                    shutil.rmtree(entry.path)
        for entry in os.scandir(self.dest):
            if entry.name.startswith(_LINK_TEMP_PREFIX) and entry.name.endswith(".tmp") and entry.is_symlink():
                os.unlink(entry.path)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.dest.mkdir(parents=True, exist_ok=True)
        with open(self.dest / _LOCK_NAME, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise PublishRefused(f"另一个 gkml publish 正在使用 {self.dest}：请等它结束后再试") from None
            yield  # the lock goes with the file's closing, and with the process


def live_folder(dest: Path) -> Path:
    """The folder `gkml verify` checks: DEST/current's release, or DEST itself when it is a site
    folder with its own SHA256SUMS (an unpacked archive)."""
    link = dest / CURRENT
    if link.is_symlink() or link.is_dir():
        return link.resolve()
    return dest


def sums_digest_prefix(release_folder: Path) -> str | None:
    """What a release's id says its SHA256SUMS hashes to, or None for a folder not named like one."""
    match = _RELEASE_ID.fullmatch(release_folder.name)
    return match.group(1) if match else None


def _fill_release(out: Path, files: dict[str, str], release: Path, link: bool) -> tuple[int, int, bytes]:
    """Link or copy the site's files into `release`, check each against the build manifest, write
    SHA256SUMS and sync it all to disk. Returns (linked, copied, the SHA256SUMS bytes)."""
    source_folder, release_folder = OutputFolder(out), OutputFolder(release)
    linking = link
    linked = copied = 0
    for path, recorded in files.items():
        source, target = source_folder.file(path), release_folder.file(path)
        release_folder.make_folder(os.path.dirname(target))
        try:
            if linking:
                try:
                    os.link(source, target, follow_symlinks=False)
                    linked += 1
                except OSError as error:
                    if error.errno not in _NO_LINK:
                        raise
                    linking = False
            if not linking:
                shutil.copy2(source, target, follow_symlinks=False)  # its time too: the same ETag
                copied += 1
        except FileNotFoundError:
            raise SiteRefused(
                f"{out}/{path} 缺失（构建之后被删除？）：请删除 {out / MANIFEST_NAME} 后重新运行 gkml build"
            ) from None
        if os.path.islink(target):
            raise SiteRefused(f"{out}/{path} 是符号链接，不是构建写入的文件：请删除 {out / MANIFEST_NAME} 后重新运行 gkml build")
        with open(target, "rb") as handle:
            found = hashlib.file_digest(handle, "sha256").hexdigest()
        if found != recorded:
            raise changed_since_build(out, path)
    sums = format_sums(files)  # each file was just found to have the digest recorded
    (release / SUMS_NAME).write_bytes(sums)
    # Before the release gets its name, its files and folders must be on disk: a linked file's
    # data may not be there yet either (the build does not sync what it writes). One sync of every
    # file system does that in 0.2 s at 29,000 files, where an fsync of each took 8 s more.
    os.sync()
    return linked, copied, sums


def _sync_folder(folder: Path) -> None:
    """Make a folder's entries (files created, renamed, removed in it) durable."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _utc_stamp() -> str:
    now = time.time_ns()
    seconds, nanoseconds = divmod(now, 1_000_000_000)
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(seconds)) + f".{nanoseconds // 1000:06d}Z"
