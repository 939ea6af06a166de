"""Stage 4, write: put the built files into the output folder as one transaction.

Phase 1 writes every changed file to a temporary in one hidden folder, `.gkml-staging/`; if
anything fails there, the folder is removed and the published folder is untouched (no file, no
new folder). Phase 2 makes the targets' folders and swaps the temporaries in with `os.replace`
(atomic per file). A build that is killed leaves its temporaries in that one folder, which the
next build removes first (`sweep_temporaries`). Files whose bytes did not change are not touched at all, and files
an earlier build wrote that this build no longer produces are deleted. The build manifest
(`manifest.py`) records what gkml wrote, which makes that possible without ever cleaning the folder
first, and leaves files gkml did not write alone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.build.manifest import BuildRecord, Manifest, UnitRecord
from gkml_ssg.keys import digest

STAGING_NAME = ".gkml-staging"
_LEGACY_TEMP_SUFFIX = ".gkml-tmp"  # what earlier versions of gkml wrote beside each target


class OutputRefused(Exception):
    """The output folder or an output path is unsafe, or cannot be written; the message is for the
    user, in Chinese."""


_HINTS = {
    errno.ENOSPC: "磁盘已满：请腾出空间后重新构建",
    errno.EDQUOT: "磁盘配额已用完：请腾出空间后重新构建",
    errno.EROFS: "文件系统是只读的：请用 --out 指定可写的目录",
    errno.EACCES: "没有写入权限：请检查目录权限，或用 --out 指定可写的目录",
    errno.EPERM: "没有写入权限：请检查目录权限，或用 --out 指定可写的目录",
    errno.ENAMETOOLONG: "文件名过长：请缩短网址标识",
}


def output_error(error: OSError, path: str | Path, swapping: bool = False) -> OutputRefused:
    """An OSError met while writing `path`, as a message for the user; `swapping`: some files may
    already be swapped in (they are marked pending in the manifest)."""
    reason = os.strerror(error.errno) if error.errno else str(error)
    hint = _HINTS.get(error.errno or 0, "请检查输出目录后重新构建")
    state = "已换入的文件已记为未完成，下次构建会把网站补全。" if swapping else "输出目录中的网站没有改动。"
    return OutputRefused(f"无法写入 {path}（{reason}）：{hint}。{state}")


def sweep_temporaries(out: Path, legacy: bool = False) -> None:
    """Remove what a killed build left: its staging folder, and with `legacy` (a build that
    starts from no manifest, which walks the folder anyway) the temporaries older versions left
    beside their targets."""
    staging = out / STAGING_NAME
    try:
        if staging.exists():
            shutil.rmtree(staging)
        if legacy and out.is_dir():
            for leftover in out.rglob("*" + _LEGACY_TEMP_SUFFIX):
                leftover.unlink(missing_ok=True)
    except OSError as error:
        raise output_error(error, staging) from None


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    deleted: int


def check_output_folder(out: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is `/`, the home folder, or overlaps a protected folder."""
    target = out.resolve()
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise OutputRefused(f"拒绝把网站写入 {target}：输出目录不能是根目录或主目录")
    for folder in protected:
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target) or target.is_relative_to(folder):
            raise OutputRefused(
                f"拒绝把网站写入 {target}：它与 {folder} 重叠（输出目录不能是内容目录、包含它或位于其中）"
            )
    if target.exists() and not target.is_dir():
        raise OutputRefused(f"拒绝把网站写入 {target}：它已存在且不是目录")


class OutputFolder:
    """Turns output paths into file names inside one folder, refusing any that could land outside.

    A path is checked by its text (no absolute paths, no `..`, no backslashes), and each folder on
    the way is checked once for a symbolic link that could lead elsewhere; the checks and folder
    creations are remembered, because a site has tens of thousands of files in a few folders."""

    def __init__(self, out: Path):
        self.root = os.path.realpath(out)
        self._checked = {self.root}
        self._made: set[str] = set()

    def file(self, relative: str) -> str:
        parts = relative.split("/")
        if not relative or "\\" in relative or "\0" in relative or any(p in ("", ".", "..") for p in parts):
            raise OutputRefused(f"拒绝写入不安全的输出路径“{relative}”")
        target = os.path.join(self.root, *parts)
        self._check_folder(os.path.dirname(target), relative)
        return target

    def make_folder(self, folder: str) -> None:
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)

    def _check_folder(self, folder: str, relative: str) -> None:
        if folder in self._checked:
            return
        self._check_folder(os.path.dirname(folder), relative)
        if os.path.islink(folder):
            raise OutputRefused(f"拒绝写入输出目录之外的路径“{relative}”：{folder} 是符号链接")
        self._checked.add(folder)


def output_path(out: Path, relative: str) -> Path:
    """The file for `relative` inside `out`; anything that could land outside is refused."""
    return Path(OutputFolder(out).file(relative))


@dataclass(frozen=True)
class Unit:
    """A part of the site with the key it was made from; `files` is None when it is unchanged."""

    name: str
    key: str
    files: dict[str, bytes] | None
    # Made again because its files in the output folder were changed by hand: those are compared
    # with the new bytes, not trusted because the manifest records the same digest.
    repair: bool = False


def write_site(out: Path, previous: Manifest, units: list[Unit], build: BuildRecord) -> WriteReport:
    """Write the units' changed files as one transaction and record them in the manifest."""
    with WriteTransaction(out, previous) as transaction:
        for unit in units:
            transaction.stage(unit)
        return transaction.commit(build)


def _holds(target: str, data: bytes, check: bool) -> bool:
    """Whether the output file is there (and, when `check`, holds `data`)."""
    with contextlib.suppress(OSError):
        return Path(target).read_bytes() == data if check else os.path.isfile(target)
    return False


class WriteTransaction:
    """Staging writes each changed file of a unit to a temporary beside its target and keeps only
    its digest, so a build holds one unit's bytes at a time, not the site's. Committing swaps the
    temporaries in and deletes what is no longer produced; leaving the `with` block without
    committing (an error in a later stage) removes the temporaries and leaves the folder as it was.

    A unit staged without files is kept as the previous build left it; its files are not looked at."""

    def __init__(self, out: Path, previous: Manifest):
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise output_error(error, out) from None
        self.out = out
        self._staging = out / STAGING_NAME
        self.previous = previous
        self._folder = OutputFolder(out)
        self._records: dict[str, UnitRecord] = {}  # the units staged with files
        self._kept: set[str] = set()  # the units staged without
        self._previous_outputs: dict[str, dict[str, str]] = {}  # of the units staged with files
        self._produced_by: dict[str, str] = {}
        self._temporaries: list[tuple[str, str, str]] = []  # temporary, target, output path
        self._staged: dict[str, str] = {}  # output path → its temporary
        self._committed = False
        self.manifest = previous  # after commit: the manifest it wrote

    def __enter__(self) -> WriteTransaction:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self._committed:
            with contextlib.suppress(OSError):  # what is left is swept by the next build
                shutil.rmtree(self._staging)

    def stage(self, unit: Unit) -> None:
        if unit.files is None:
            if unit.name not in self.previous.keys:
                raise ValueError(f"unit {unit.name} has no files and none from an earlier build")
            self._kept.add(unit.name)
            return
        record = UnitRecord(unit.key, {path: digest(data) for path, data in unit.files.items()})
        self._records[unit.name] = record
        before = self.previous.outputs([unit.name]).get(unit.name, {})
        self._previous_outputs[unit.name] = before
        for path in record.outputs:
            if path in self._produced_by:
                raise OutputRefused(f"“{path}”同时由 {self._produced_by[path]} 和 {unit.name} 生成")
            self._produced_by[path] = unit.name
        for path, data in sorted(unit.files.items()):
            target = self._folder.file(path)
            if before.get(path) == record.outputs[path] and _holds(target, data, unit.repair):
                continue
            temporary = os.path.join(self._staging, str(len(self._temporaries)))
            self._temporaries.append((temporary, target, path))
            self._staged[path] = temporary
            try:
                if len(self._temporaries) == 1:
                    os.makedirs(self._staging, exist_ok=True)
                with open(temporary, "wb") as handle:
                    handle.write(data)
            except OSError as error:
                raise output_error(error, temporary) from None

    def read(self, unit: str, path: str) -> bytes | None:
        """The bytes file `path` of `unit` holds: the temporary's of a unit staged with files, else
        the output folder's as the previous build left it (for a unit kept, or not staged yet),
        checked against the digest recorded for it. None when the unit has no such file or the
        folder's is not the one recorded (edited or removed by hand since)."""
        if unit in self._records:
            expected = self._records[unit].outputs.get(path)
        else:
            expected = self.previous.outputs([unit]).get(unit, {}).get(path)
        if expected is None:
            return None
        try:
            data = Path(self._staged.get(path) or self._folder.file(path)).read_bytes()
        except (OSError, OutputRefused):
            return None
        return data if digest(data) == expected else None

    def commit(self, build: BuildRecord) -> WriteReport:
        """Swap the staged files in, delete what is no longer produced, and record the units with
        `build` (what the build's state says of itself; the writer does not look inside)."""
        previous, out = self.previous, self.out
        removed = sorted(set(previous.keys) - set(self._records) - self._kept)
        before = {**self._previous_outputs, **previous.outputs(removed)}
        rewritten = {path for _, _, path in self._temporaries}
        stale = sorted({path for outputs in before.values() for path in outputs} - set(self._produced_by))
        stale_set = set(stale)
        touched = {self._produced_by[path] for path in rewritten} | {
            name for name, outputs in before.items() if stale_set.intersection(outputs)
        }
        try:
            if touched:
                # While files are swapped, the units being touched have no key and list every path
                # they may leave behind: if this build dies now, the next one renders them again,
                # rewrites their files and deletes what it no longer produces.
                previous.mark_pending(
                    out,
                    {
                        name: set(before.get(name, {})) | set(self._records[name].outputs if name in self._records else {})
                        for name in touched
                    },
                )
            self._swap()
            self._committed = True
            for path in stale:
                try:
                    stale_file = Path(self._folder.file(path))
                except OutputRefused:
                    continue  # a tampered manifest must not delete anything outside the folder
                stale_file.unlink(missing_ok=True)
                _remove_empty_parents(stale_file.parent, out)
            changed = {
                name: record
                for name, record in self._records.items()
                if previous.keys.get(name) != record.key or before.get(name) != record.outputs
            }
            self.manifest = previous.record(out, build, changed, removed)
        except OSError as error:
            raise output_error(error, error.filename or out, swapping=True) from None
        except sqlite3.Error as error:
            raise output_error(OSError(errno.EIO, str(error)), out / ".gkml-manifest.sqlite", swapping=True) from None
        return WriteReport(
            written=len(rewritten), unchanged=len(self._produced_by) - len(rewritten), deleted=len(stale)
        )


    def _swap(self) -> None:
        for temporary, target, _ in self._temporaries:
            self._folder.make_folder(os.path.dirname(target))
            os.replace(temporary, target)
        with contextlib.suppress(OSError):  # none staged, or swept by the next build
            os.rmdir(self._staging)


def _remove_empty_parents(folder: Path, out: Path) -> None:
    out = out.resolve()
    while folder.resolve() != out and folder.resolve().is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
