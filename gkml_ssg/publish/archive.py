"""`gkml build --archive FILE`: the built site as one .tar.gz or .zip, for hosts that take an upload.

The archive holds the site's files (those the build manifest records, see `publish.files`) at its
root, with SHA256SUMS beside them, and is byte-identical for identical sources: entries sorted by
path, every time stamp the same (SOURCE_DATE_EPOCH when set, else 2000-01-01 00:00 UTC), owner 0
with no names, modes 0644, a gzip header without time or file name, zip entries deflated at a fixed
level. It is written to a temporary beside FILE and renamed over it, so FILE is always a whole
archive: the previous one or the new.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import tarfile
import time
import zipfile
from pathlib import Path

from gkml_ssg.keys import digest
from gkml_ssg.publish.files import (
    SUMS_NAME,
    SiteRefused,
    changed_since_build,
    format_sums,
    site_files,
)

FORMATS = {".tar.gz": "tar.gz", ".tgz": "tar.gz", ".zip": "zip"}
DEFAULT_EPOCH = 946684800  # 2000-01-01T00:00:00Z
_ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can carry
_COMPRESS_LEVEL = 9
_FILE_MODE = 0o644


def archive_format(file: Path) -> str:
    for suffix, name in FORMATS.items():
        if file.name.endswith(suffix) and len(file.name) > len(suffix):
            return name
    raise SiteRefused(f"不支持的归档文件名“{file.name}”：请以 .tar.gz、.tgz 或 .zip 结尾")


def archive_epoch() -> int:
    """The time every entry carries: SOURCE_DATE_EPOCH (reproducible-builds.org) when set."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return DEFAULT_EPOCH
    if not value.isdigit():
        raise SiteRefused(f"环境变量 SOURCE_DATE_EPOCH 应为非负整数（Unix 时间，秒），现为“{value}”")
    return int(value)


def write_archive(out: Path, file: Path) -> int:
    """Write the site built in `out` to `file` (.tar.gz, .tgz or .zip); returns its file count."""
    kind = archive_format(file)
    epoch = archive_epoch()
    files = site_files(out)
    entries = {}
    for path, recorded in files.items():
        data = Path(out, path).read_bytes()
        if digest(data) != recorded:
            raise changed_since_build(out, path)
        entries[path] = data
    entries[SUMS_NAME] = format_sums(files)
    entries = dict(sorted(entries.items()))
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(f".{file.name}.{os.getpid()}.gkml-tmp")
    try:
        with open(temporary, "wb") as handle:
            (_write_tar_gz if kind == "tar.gz" else _write_zip)(handle, entries, epoch)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, file)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    return len(files)


def _write_tar_gz(handle: io.BufferedWriter, entries: dict[str, bytes], epoch: int) -> None:
    # filename="" and mtime=0: the gzip header names no file and no time
    with (
        gzip.GzipFile(filename="", mode="wb", fileobj=handle, compresslevel=_COMPRESS_LEVEL, mtime=0) as packed,
        tarfile.open(fileobj=packed, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8") as tar,
    ):
        for path, data in entries.items():
            info = tarfile.TarInfo(path)
            info.size, info.mtime, info.mode = len(data), epoch, _FILE_MODE
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))


def _write_zip(handle: io.BufferedWriter, entries: dict[str, bytes], epoch: int) -> None:
    stamp = time.gmtime(max(epoch, _ZIP_EPOCH))[:6]
    with zipfile.ZipFile(handle, "w") as archive:
        for path, data in entries.items():
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.create_system = 3  # Unix, so that the mode below is read
            info.external_attr = (0o100000 | _FILE_MODE) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=_COMPRESS_LEVEL)
