"""Filling a new release: every file its own copy, checked against the SHA-256 it must have.

A release shares no writable file with the build's output folder or with another release, so a
file changed in place on the server (a defacement appended to `current/index.html`) changes that
release alone: the output folder, which repairs it, and the other releases, which a rollback goes
to, stay as they were. Where the file system can (Btrfs, XFS with reflink, bcachefs, OCFS2), a
file is cloned (`FICLONE`): a copy-on-write copy that takes no time and no space until one side is
written, and is then as separate as a copy. Elsewhere (ext4, tmpfs, another file system) its bytes
are read, hashed and written in one pass. A file whose bytes do not hash to the digest it must
have is not used: the release is abandoned.

Release files are made read-only (their mode without write bits): a program that is not root
cannot change one by mistake; root can, which `gkml verify` reports and `--repair` undoes. Their
modification time is the source's, so the web server's ETag of an unchanged file stays the same
from release to release.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.build.write import OutputFolder
from gkml_ssg.publish.files import SUMS_NAME, format_sums

# FICLONE = _IOW(0x94, 9, int): in the fcntl module from Python 3.12 on.
_FICLONE = getattr(fcntl, "FICLONE", 0x40049409)
# A clone fails with these where a copy works: no reflinks on this file system, two file systems,
# an ioctl the platform does not know.
_NO_CLONE = {errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EINVAL, errno.ENOTTY, errno.ENOSYS, errno.EPERM, errno.EBADF}
_CHUNK = 1 << 20
# O_NONBLOCK: a FIFO put in a file's place opens at once (and is refused as no regular file)
_OPEN_SOURCE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_OPEN_TARGET = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass(frozen=True)
class Filled:
    cloned: int  # copy-on-write clones
    copied: int  # copied byte for byte
    sums: bytes  # the release's SHA256SUMS


# What is wrong with a source file: "缺失" (missing), "符号链接" (a link, not a file gkml wrote) or
# "已改动" (its bytes do not hash to the digest). The callback turns it into the refusal to raise.
Refusal = Callable[[str, Path, str], Exception]


def fill_release(release: Path, plan: dict[str, tuple[Path, str]], refused: Refusal) -> Filled:
    """Put every path of `plan` (relative path → (folder to take it from, its SHA-256)) into the
    empty folder `release`, write SHA256SUMS and sync it all to disk. A source that is missing, a
    link or not the bytes of its digest raises `refused(kind, folder, path)`."""
    target_folder = OutputFolder(release)
    sources: dict[Path, OutputFolder] = {}
    copier = _Copier()
    for path, (folder, digest) in plan.items():
        if folder not in sources:
            sources[folder] = OutputFolder(folder)
        source_folder = sources[folder]
        source, target = source_folder.file(path), target_folder.file(path)
        target_folder.make_folder(os.path.dirname(target))
        problem = copier.copy(source, target, digest)
        if problem is not None:
            raise refused(problem, folder, path)
    sums = format_sums({path: digest for path, (_, digest) in plan.items()})
    sums_file = release / SUMS_NAME
    sums_file.write_bytes(sums)
    sums_file.chmod(0o444)
    # Before the release gets its name, its files and folders must be on disk. One sync of every
    # file system does that in half a second at 29,000 files, where an fsync of each took seconds.
    os.sync()
    return Filled(copier.cloned, copier.copied, sums)


class _Copier:
    def __init__(self) -> None:
        self.cloning = True  # until the file system says it cannot
        self.cloned = self.copied = 0

    def copy(self, source: str, target: str, digest: str) -> str | None:
        """Copy `source` to the new file `target`; what is wrong with the source, or None."""
        try:
            source_fd = os.open(source, _OPEN_SOURCE)
        except FileNotFoundError:
            return "缺失"
        except OSError as error:
            if error.errno == errno.ELOOP:
                return "符号链接"
            raise
        try:
            status = os.fstat(source_fd)
            if not stat.S_ISREG(status.st_mode):
                return "已改动"
            # created read-only (the source's mode without write bits), and still open for writing
            target_fd = os.open(target, _OPEN_TARGET, stat.S_IMODE(status.st_mode) & ~0o7222)
            try:
                found = self._fill(source_fd, target_fd)
                os.utime(target_fd, ns=(status.st_atime_ns, status.st_mtime_ns))
            except OSError as error:
                # a write's error names no file: name the one being written
                raise error if error.filename is not None else OSError(error.errno, error.strerror, target) from None
            finally:
                os.close(target_fd)
        finally:
            os.close(source_fd)
        return None if found == digest else "已改动"

    def _fill(self, source_fd: int, target_fd: int) -> str:
        """Clone or copy; the SHA-256 of what the target now holds."""
        if self.cloning:
            try:
                fcntl.ioctl(target_fd, _FICLONE, source_fd)
            except OSError as error:
                if error.errno not in _NO_CLONE:
                    raise
                self.cloning = False
            else:
                self.cloned += 1
                hashed = hashlib.sha256()
                while chunk := os.read(target_fd, _CHUNK):
                    hashed.update(chunk)
                return hashed.hexdigest()
        self.copied += 1
        hashed = hashlib.sha256()
        while chunk := os.read(source_fd, _CHUNK):
            hashed.update(chunk)
            view = memoryview(chunk)
            while view:
                view = view[os.write(target_fd, view):]
        return hashed.hexdigest()
