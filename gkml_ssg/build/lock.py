"""One build at a time in an output folder: an exclusive lock held for the whole build.

Two builds writing one folder at once would each swap in their files and record their own
manifest: the site would be a mix of both, and later builds would trust a record of neither. The
lock is `flock` on a file inside the folder (not part of the site: its name starts with a dot, and
only files the manifest lists are ever published); the kernel releases it when the holder exits,
however it exits, so a killed build never leaves the folder locked. The file says who holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from pathlib import Path
from types import TracebackType

from gkml_ssg.build.write import OutputRefused, output_error

LOCK_NAME = ".gkml-lock"


class FolderLock:
    def __init__(self, folder: Path):
        self.folder = folder
        self._descriptor: int | None = None
        self._created = False  # the folder did not exist: a build that fails leaves none

    def __enter__(self) -> FolderLock:
        path = self.folder / LOCK_NAME
        try:
            self._created = not self.folder.exists()
            self.folder.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            self._remove_created_folder()
            raise output_error(error, path) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 4096, 0).decode("utf-8", "replace").strip() or "另一个进程"
            os.close(descriptor)
            raise OutputRefused(
                f"输出目录 {self.folder} 正被另一个 gkml 构建使用（{holder}）：请等它结束后再运行，或用 --out 换一个目录"
            ) from None
        holder = f"进程 {os.getpid()}，{time.strftime('%Y-%m-%d %H:%M:%S')} 开始：{' '.join(['gkml', *sys.argv[1:]])}"
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, holder.encode("utf-8"), 0)
        self._descriptor = descriptor
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self._descriptor is not None:
            os.ftruncate(self._descriptor, 0)
            os.close(self._descriptor)  # releases the lock
            self._descriptor = None
        if error is not None:
            self._remove_created_folder()

    def _remove_created_folder(self) -> None:
        """A build that made the output folder and failed leaves none."""
        if self._created:
            with contextlib.suppress(OSError):  # not empty: the build wrote something after all
                (self.folder / LOCK_NAME).unlink(missing_ok=True)
                self.folder.rmdir()
