"""`gkml publish` and `--rollback`: complete releases side by side, switched atomically.

A publish folder DEST holds

    releases/<id>/      one complete copy of the site each, with its SHA256SUMS
    current             a relative symbolic link, "releases/<id>": the live release
    .gkml-history       the releases that were live, in order (publish/history.py)

and the web server serves DEST/current/ (deploy/nginx/gkml.conf). A release is filled under a
hidden name (`releases/.<time>-<pid>.partial/`), synced to disk and only then renamed to its id;
`current` is then switched by making a new link beside it and renaming it over the old one, which
POSIX makes atomic: every request is answered from one complete release, the old one or the new,
and a publish killed at any point leaves `current` at a complete release. The next publish removes
what a killed one left behind. Old releases are removed the same way round: renamed to a hidden
name first, then deleted, so that a half-deleted release never looks complete.

Every release is a copy of its own (publish/fill.py): it shares no writable file with the output
folder or with another release, so a file changed in place on the server changes that release
alone, `--rollback` goes to an untouched release and `gkml verify --repair` (publish/repair.py)
restores the live one from the output folder. Every file is hashed as it lands in the release and
must match what the build manifest recorded, so a release is exactly what one complete build wrote.

A release's id is the UTC time it was made and the start of the SHA-256 of its SHA256SUMS
(`20250101T120000.000000Z-<12 hex>`): ids sort by time, and name what they hold. The time is not
part of the site, whose bytes depend on its sources alone.

`current` must lead to a release folder directly in releases/: anything else (a link to a folder
elsewhere, to a release that is gone) is not a release gkml made, and is refused by `--rollback`
and `gkml verify`; a publish replaces it, and `gkml verify --repair` points it back at the release
last made live.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.publish.failures import os_errors_as
from gkml_ssg.publish.files import SiteRefused, build_file_refused, site_files
from gkml_ssg.publish.fill import Filled, Refusal, fill_release
from gkml_ssg.publish.history import HISTORY_NAME, live_history, retention_order, write_history
from gkml_ssg.publish.history import rollback_target as target_of

RELEASES = "releases"
CURRENT = "current"
DEFAULT_KEEP = 5
_LOCK_NAME = ".gkml-publish.lock"
_PARTIAL_SUFFIX = ".partial"
_REMOVING_SUFFIX = ".removing"
_LINK_TEMP_PREFIX = ".current."
_RELEASE_ID = re.compile(r"\d{8}T\d{6}\.\d{6}Z-([0-9a-f]{12})")
UNCHANGED = "线上网站没有改动。"


class PublishRefused(Exception):
    """Publishing or rolling back cannot go ahead; the message says why and what to do, in Chinese."""


@dataclass(frozen=True)
class PublishReport:
    release: str
    files: int
    cloned: int  # copy-on-write clones (reflinks) of the output folder's files
    copied: int
    removed: tuple[str, ...]  # old releases deleted
    live_after: float  # seconds from the start until `current` was switched
    seconds: float  # …and until the old releases were deleted

    def summary(self) -> str:
        how = "全部为复制" if not self.cloned else "全部为写时复制（reflink）" if not self.copied else f"reflink {self.cloned} 个，复制 {self.copied} 个"
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
        """The complete releases, oldest first (one being filled or deleted has a hidden name)."""
        if not self.releases_folder.is_dir():
            return []
        return sorted(
            entry.name
            for entry in os.scandir(self.releases_folder)
            if _RELEASE_ID.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
        )

    def current(self) -> str | None:
        """The id of the live release, or None before the first publish. A `current` that is not
        a link, or leads anywhere but to a release folder in releases/, is refused."""
        target = self._current_target()
        if target is None:
            return None
        resolved = os.path.realpath(self.current_link)
        name = os.path.basename(resolved)
        inside = os.path.dirname(resolved) == os.path.realpath(self.releases_folder) and _RELEASE_ID.fullmatch(name)
        if not inside:
            shown = target if target == resolved else f"{target}（即 {resolved}）"
            raise PublishRefused(
                f"{self.current_link} 指向 {shown}，不在 {self.releases_folder}/ 之中："
                f"它不是 gkml publish 发布的版本。{self._current_advice()}"
            )
        if not os.path.isdir(resolved):
            raise PublishRefused(f"{self.current_link} 指向的版本 {RELEASES}/{name} 不存在。{self._current_advice()}")
        return name

    def live(self) -> str | None:
        """The live release's id, or None when there is none or `current` is not one of ours."""
        try:
            return self.current()
        except PublishRefused:
            if not self.current_link.is_symlink():
                raise
            return None

    def history(self) -> list[str]:
        """The live history (publish/history.py), oldest first."""
        return live_history(self.dest, self.releases(), self.live())

    def rollback_target(self) -> str | None:
        """The release that was live before the live one, rollbacks from releases not counting."""
        return target_of(self.history())

    def publish(self, out: Path, keep: int = DEFAULT_KEEP) -> PublishReport:
        """Copy the site built in `out` into a new release, make it current, prune old releases."""
        start = time.perf_counter()
        if self.dest.resolve().is_relative_to(out.resolve()):
            raise PublishRefused(f"发布目录 {self.dest} 不能位于输出目录 {out} 之中")
        files = site_files(out)  # a folder without a complete build is refused before DEST is made
        with self.locked():
            with os_errors_as(PublishRefused, self.dest, UNCHANGED):
                self.live()  # refuses a `current` that is not a link before anything is written
                self._remove_leftovers()
                plan = {path: (out, digest) for path, digest in files.items()}
                release, filled = self.make_release(plan, lambda problem, _, path: build_file_refused(out, problem, path))
                history = self.history()
                self.switch(release)
                live_after = time.perf_counter() - start
            with os_errors_as(PublishRefused, self.dest, "新版本已经上线；没删完的旧版本下次发布时会再删除。"):
                write_history(self.dest, [*history, release])
                removed = self._prune(keep)
        return PublishReport(release, len(files), filled.cloned, filled.copied, removed, live_after, time.perf_counter() - start)

    def rollback(self) -> RollbackReport:
        """Make the rollback target (the release live before the live one) current."""
        with self.locked(), os_errors_as(PublishRefused, self.dest, UNCHANGED):
            current = self.current()
            if current is None:
                raise PublishRefused(f"{self.dest} 中还没有发布过网站，无法回滚")
            history = self.history()
            target = target_of(history)
            if target is None:
                raise PublishRefused(f"当前版本 {current} 之前没有上线过、仍然保留的版本，无法回滚")
            self.switch(target)
        with contextlib.suppress(OSError):  # reading the history cuts it at `current` anyway
            write_history(self.dest, history[:-1])
        return RollbackReport(current, target)

    def make_release(self, plan: dict[str, tuple[Path, str]], refused: Refusal) -> tuple[str, Filled]:
        """A new complete release of `plan` (see fill_release), named by its id; not yet live."""
        stamp = _utc_stamp()
        partial = self.releases_folder / f".{stamp}-{os.getpid()}{_PARTIAL_SUFFIX}"
        partial.mkdir(parents=True)
        try:
            filled = fill_release(partial, plan, refused)
            release = f"{stamp}-{hashlib.sha256(filled.sums).hexdigest()[:12]}"
            partial.rename(self.releases_folder / release)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        _sync_folder(self.releases_folder)
        return release, filled

    def switch(self, release: str) -> None:
        """Point `current` at `release` in one atomic step."""
        temporary = self.dest / f"{_LINK_TEMP_PREFIX}{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        # relative: DEST can be moved or mounted elsewhere and still work
        os.symlink(f"{RELEASES}/{release}", temporary)
        os.replace(temporary, self.current_link)
        _sync_folder(self.dest)

    def remove(self, release: str) -> None:
        """Delete a release: hidden first, so that a half-deleted one never looks complete."""
        hidden = self.releases_folder / f".{release}{_REMOVING_SUFFIX}"
        (self.releases_folder / release).rename(hidden)
        shutil.rmtree(hidden)

    def _prune(self, keep: int) -> tuple[str, ...]:
        """Delete all but `keep` releases, never the live one or its rollback target, in the order
        of publish/history.py: the releases most recently live are kept first."""
        releases, history = self.releases(), self.history()
        kept = set(retention_order(history, releases)[:keep]) | set(history[-2:])
        removed = tuple(release for release in releases if release not in kept)
        for release in removed:
            self.remove(release)
        return removed

    def _current_target(self) -> str | None:
        if not self.current_link.is_symlink():
            if self.current_link.exists():
                raise PublishRefused(
                    f"{self.current_link} 不是符号链接：gkml publish 只管理由它创建的发布目录，请换一个目录或移走它"
                )
            return None
        return os.readlink(self.current_link)

    def _current_advice(self) -> str:
        return (
            f"运行 gkml verify {self.dest} --repair 可把 current 指回最近一次上线的版本（并修复它），"
            f"或运行 gkml publish {self.dest} 发布新版本。"
        )

    def _remove_leftovers(self) -> None:
        """What a killed publish or prune left: a partial release, a half-deleted one, a link."""
        if self.releases_folder.is_dir():
            for entry in os.scandir(self.releases_folder):
                if entry.name.startswith(".") and entry.name.endswith((_PARTIAL_SUFFIX, _REMOVING_SUFFIX)):
                    shutil.rmtree(entry.path)
        for entry in os.scandir(self.dest):
            temporary = entry.name.endswith(".tmp") and entry.name.startswith((_LINK_TEMP_PREFIX, HISTORY_NAME + "."))
            if temporary and not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        with os_errors_as(PublishRefused, self.dest, UNCHANGED):
            self.dest.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.dest / _LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise PublishRefused(f"另一个 gkml publish 正在使用 {self.dest}：请等它结束后再试") from None
            yield  # the lock goes with the descriptor's closing, and with the process
        finally:
            os.close(descriptor)


def live_folder(dest: Path) -> Path:
    """The folder `gkml verify` checks: DEST/current's release, or DEST itself when it is a site
    folder with its own SHA256SUMS (an unpacked archive, a release folder)."""
    folder = PublishFolder(dest)
    if not (folder.current_link.is_symlink() or folder.current_link.exists()):
        return dest
    try:
        release = folder.current()
    except PublishRefused as refused:
        raise SiteRefused(str(refused)) from None
    return folder.releases_folder.resolve() / str(release)


def sums_digest_prefix(release_folder: Path) -> str | None:
    """What a release's id says its SHA256SUMS hashes to, or None for a folder not named like one."""
    match = _RELEASE_ID.fullmatch(release_folder.name)
    return match.group(1) if match else None


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
