"""Stage 1, load: the content folder → the typed model, or every error found in it."""

from __future__ import annotations

import multiprocessing
import os
import stat
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.content.cache import ContentCache
from gkml_ssg.content.characters import describe, find_forbidden, replace_forbidden
from gkml_ssg.content.decode import INVALID, Decoder
from gkml_ssg.content.errors import ContentError, ContentInvalid
from gkml_ssg.content.fields import SLUG_MAX_LENGTH
from gkml_ssg.content.model import Agency, SiteConfig
from gkml_ssg.content.portal import colour_errors
from gkml_ssg.content.yamlnodes import YamlRefused, decode_utf8, parse, refusal_error
from gkml_ssg.keys import digest

SITE_CONFIG_NAME = "site.yml"
CONTENT_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class SourceFile:
    """A content file as a build read it: its SHA-256, and the size and time it had then."""

    digest: str
    size: int = -1
    mtime_ns: int = -1  # -1: unknown, or too recent to be trusted; the file is read again


@dataclass(frozen=True)
class AgencySource:
    """An agency as loaded from its file."""

    path: str  # relative to the content folder, with forward slashes
    agency: Agency
    digest: str  # SHA-256 of the file's bytes

    @property
    def stem(self) -> str:
        return Path(self.path).stem


@dataclass(frozen=True)
class Content:
    config: SiteConfig
    agencies: tuple[AgencySource, ...]  # sorted by path, so the order never depends on the disk
    sources: dict[str, str]  # every file read (site.yml and agencies) → SHA-256 of its bytes


def load_site_config(source: Path) -> SiteConfig:
    """Only the site configuration of `source`. Raise ContentInvalid with its errors."""
    errors: list[ContentError] = []
    read = _read_file(source, source / SITE_CONFIG_NAME, errors, {})
    config = _site_config(read, errors) if read is not None else None
    if errors:
        raise ContentInvalid(errors)
    assert config is not None
    return config


def load_content(
    source: Path, cache: ContentCache | None = None, workers: int = 1, only: set[str] | None = None
) -> Content:
    """Load `source` (the content folder). Raise ContentInvalid with all errors of the run.

    With `only`, just the site configuration and those agency files (paths relative to `source`)
    are read. With a cache, files whose bytes were decoded before are not parsed again; with
    several workers, the other files are parsed in parallel."""
    errors: list[ContentError] = []
    if not source.is_dir():
        raise ContentInvalid([ContentError(str(source), "内容目录不存在", hint="请用 --source 指定内容目录", code="missing-source")])
    sources: dict[str, str] = {}
    config = None
    read = _read_file(source, source / SITE_CONFIG_NAME, errors, sources)
    if read is not None:
        config = _site_config(read, errors)
    found: dict[str, Agency] = {}
    pending: list[tuple[str, bytes]] = []
    # `only` comes from a scan that has already checked the folder (`scan_sources`)
    for relative in _content_files(source, errors) if only is None else sorted(only):
        read = _read_file(source, source / relative, errors, sources)
        if read is None:
            continue
        cached = cache.get(sources[read[0]]) if cache is not None else None
        if isinstance(cached, Agency):
            found[read[0]] = cached
        else:
            pending.append(read)
    for (relative, _), (value, file_errors) in zip(pending, _decode_all(pending, workers), strict=True):
        errors.extend(file_errors)
        if value is not None:
            assert isinstance(value, Agency)  # _decode's default class
            found[relative] = value
            if cache is not None:
                cache.put(sources[relative], value)
    errors += [_long_file_name(relative) for relative, agency in found.items() if agency.slug is None and _too_long(relative)]
    if errors:
        raise ContentInvalid(errors)
    assert config is not None
    agencies = tuple(AgencySource(relative, found[relative], sources[relative]) for relative in sorted(found))
    return Content(config, agencies, sources)


def scan_sources(source: Path, known: dict[str, SourceFile]) -> dict[str, SourceFile] | None:
    """What `load_content` would read, as path → digest, size and time, without parsing anything.
    A file whose size and time are as `known` records is not read again.

    None when the folder has something the loader would reject (it will then say what)."""
    errors: list[ContentError] = []
    if not source.is_dir():
        return None
    found: dict[str, SourceFile] = {}
    relatives = [SITE_CONFIG_NAME, *_content_files(source, errors)]
    if errors:
        return None
    try:
        for relative in relatives:
            path = source / relative
            status = path.stat()
            if not stat.S_ISREG(status.st_mode):
                return None
            before = known.get(relative)
            if before is not None and before.mtime_ns >= 0 and (before.size, before.mtime_ns) == (status.st_size, status.st_mtime_ns):
                found[relative] = before
            else:
                found[relative] = SourceFile(digest(path.read_bytes()), status.st_size, status.st_mtime_ns)
    except OSError:
        return None
    return found


def _content_files(source: Path, errors: list[ContentError]) -> list[str]:
    """Every agency file under `source`, relative to it, refusing symlinks (they could pull in
    files from anywhere), anything but files and folders (a named pipe would be waited on
    forever), and names with control characters or bytes that are not UTF-8 (they would reach
    the pages' addresses and the feed). Directory entries carry their type, so this needs no call
    per file and opens nothing."""
    found: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            errors.append(
                ContentError(prefix or ".", f"无法读取文件夹：{error.strerror}", hint="请检查文件夹的权限", code="unreadable-file")
            )
            return
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_symlink():
                errors.append(
                    ContentError(
                        replace_forbidden(relative), "内容目录中不允许符号链接", hint="请把文件本身放进 content/，而不是链接",
                        code="symlink",
                    )
                )
            elif entry.name.startswith("."):
                continue
            elif not (entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False)):
                if relative != SITE_CONFIG_NAME:  # reported when it is read
                    errors.append(_not_regular(replace_forbidden(relative), _mode(entry)))
            elif not (entry.is_dir(follow_symlinks=False) or entry.name.endswith(CONTENT_SUFFIXES)):
                continue  # not content: never read
            elif (bad := find_forbidden(entry.name)) is not None:
                errors.append(_bad_name(replace_forbidden(relative), bad[1], entry.is_dir(follow_symlinks=False)))
            elif entry.is_dir(follow_symlinks=False):
                walk(entry.path, relative + "/")
            elif relative != SITE_CONFIG_NAME:
                found.append(relative)

    walk(str(source), "")
    return sorted(found)


def _read_file(source: Path, path: Path, errors: list[ContentError], sources: dict[str, str]) -> tuple[str, bytes] | None:
    relative = path.relative_to(source).as_posix()
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # never opened: a named pipe would wait forever
            errors.append(_not_regular(relative, status.st_mode))
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        errors.append(ContentError(relative, "文件不存在", hint=f"请创建 {relative}", code="missing-file"))
        return None
    except OSError as error:
        errors.append(ContentError(relative, f"无法读取文件：{error.strerror}", code="unreadable-file"))
        return None
    sources[relative] = digest(data)
    return relative, data


def _site_config(read: tuple[str, bytes], errors: list[ContentError]) -> SiteConfig | None:
    """site.yml decoded, and its portal's colours checked for contrast (a check across fields)."""
    config = _decode_file(*read, SiteConfig, errors)
    if isinstance(config, SiteConfig):
        errors.extend(colour_errors(config.portal, read[0]))
    return config


def _decode_file(relative: str, data: bytes, cls: type, errors: list[ContentError]):
    value, file_errors = _decode(relative, data, cls)
    errors.extend(file_errors)
    return value


def decode_agency(relative: str, data: bytes) -> tuple[Agency | None, list[ContentError]]:
    """One agency file's bytes checked as `load_content` checks them: the agency (None when the
    file has errors) and its errors, each naming `relative`."""
    value, errors = _decode(relative, data, Agency)
    return (value if isinstance(value, Agency) else None), errors


def decode_file(relative: str, data: bytes, cls: type) -> tuple[object | None, list[ContentError]]:
    """A YAML file of the model class `cls` (a reference catalogue, say), checked as content is."""
    return _decode(relative, data, cls)


def _decode(relative: str, data: bytes, cls: type = Agency) -> tuple[object | None, list[ContentError]]:
    """Parse and check one file: its value (None when it has errors) and its errors."""
    try:
        root = parse(decode_utf8(data))
    except YamlRefused as refused:
        return None, [refusal_error(relative, refused)]
    decoder = Decoder(relative)
    value = decoder.decode(root, cls)
    return (None if value is INVALID else value), decoder.errors


# Below this many files to parse, starting worker processes costs more than it saves.
_PARALLEL_FILES = 64


def _decode_all(pending: list[tuple[str, bytes]], workers: int) -> list[tuple[object | None, list[ContentError]]]:
    """Each pending file decoded, in order; on several processes when there are enough files."""
    if workers <= 1 or len(pending) < _PARALLEL_FILES or "fork" not in multiprocessing.get_all_start_methods():
        return [_decode(relative, data) for relative, data in pending]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        relatives, contents = zip(*pending, strict=True)
        return list(pool.map(_decode, relatives, contents, chunksize=16))


def _too_long(relative: str) -> bool:
    return len(Path(relative).stem) > SLUG_MAX_LENGTH


def _long_file_name(relative: str) -> ContentError:
    """An agency without 网址标识 takes its file's name as the slug: it is held to the same length."""
    return ContentError(
        relative,
        f"文件名有 {len(Path(relative).stem)} 个字符，用作网址标识超过上限 {SLUG_MAX_LENGTH} 个",
        hint=f"请把文件名缩短到 {SLUG_MAX_LENGTH} 个字符以内，或添加“网址标识: …”",
        code="bad-file-name",
    )


_KINDS = (
    (stat.S_ISFIFO, "命名管道（FIFO）"), (stat.S_ISSOCK, "套接字"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
    (stat.S_ISDIR, "文件夹"),
)


def _not_regular(relative: str, mode: int) -> ContentError:
    kind = next((name for test, name in _KINDS if test(mode)), "特殊文件")
    return ContentError(
        relative, f"不是普通文件，而是{kind}", hint="内容目录中只能有普通文件和文件夹：请删除它，或移到内容目录之外",
        code="not-regular-file",
    )


def _bad_name(relative: str, char: str, folder: bool) -> ContentError:
    name = "文件夹名" if folder else "文件名"
    if 0xDC80 <= ord(char) <= 0xDCFF:  # how Python keeps a byte of a name that is not UTF-8
        message = f"{name}不是 UTF-8 编码（含有字节 0x{ord(char) - 0xDC00:02X}）"
    else:
        message = f"{name}中有不允许的字符 {describe(char)}"
    return ContentError(relative, message, hint="请给它改名，去掉其中的特殊字符", code="bad-file-name")


def _mode(entry: os.DirEntry) -> int:
    try:
        return entry.stat(follow_symlinks=False).st_mode
    except OSError:
        return 0  # gone since it was listed: still not a file to read
