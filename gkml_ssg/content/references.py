"""Reference catalogues (标准目录): lists of the items an agency is expected to disclose, against
which each agency's catalogue is checked (`gkml coverage`, the auditors' pages).

A reference catalogue is a YAML file in a site's `references/` folder (beside `content/`), read
with the content's own decoder, so its errors name file, line, column and field in Chinese. gkml
ships one: the kinds of information the Regulations (《中华人民共和国政府信息公开条例》 第二十条)
require every agency to disclose proactively (`theme.folder("references")`). A site's file of the
same name replaces the shipped one, as a site's template replaces the theme's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from gkml_ssg.content.cache import ContentCache
from gkml_ssg.content.errors import ContentError, Origin
from gkml_ssg.content.fields import yaml_field
from gkml_ssg.content.load import decode_file
from gkml_ssg.theme import folder as theme_folder

REFERENCES_FOLDER = "references"
REFERENCE_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class ReferenceItem:
    """One item of a reference catalogue."""

    number: str = yaml_field("编号", "事项的编号，在本标准目录中唯一，如“条例20-7”；目录事项的“对应标准事项”写这个编号。")
    name: str = yaml_field("名称", "事项的名称，用标准原文的说法，如“财政预算、决算信息”。")
    note: str | None = yaml_field("说明", "事项的说明：出处原文，或认定时要注意的地方。", default=None)
    keywords: tuple[str, ...] = yaml_field(
        "关键词", "识别该事项的词：机构目录中一级事项或二级事项含其中任一词（不计空白）即视为覆盖。", default=()
    )
    origin: Origin | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ReferenceCatalogue:
    """A reference catalogue: the items an agency's catalogue is checked against."""

    name: str = yaml_field("名称", "标准目录的名称，如“政府信息公开条例第二十条主动公开事项”。")
    source: str = yaml_field("来源", "出处：文件名称、文号和条款，如“《中华人民共和国政府信息公开条例》（国务院令第711号）第二十条”。")
    version: str = yaml_field("版本", "所依据文件的版本或施行日期，如“2019年5月15日起施行”。")
    items: tuple[ReferenceItem, ...] = yaml_field("事项", "标准目录的事项。", non_empty=True)


@dataclass(frozen=True)
class Reference:
    """A reference catalogue and the file it came from (for messages: `references/x.yml`)."""

    path: str
    catalogue: ReferenceCatalogue


def reference_files(folders: list[Path]) -> list[tuple[str, Path]]:
    """The reference files of these folders, each with the name messages give it
    (`references/<name>`); a later folder's file replaces an earlier one of the same name (the
    site's, listed after the shipped folder, wins)."""
    found: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in REFERENCE_SUFFIXES and path.is_file() and not path.name.startswith("."):
                    found[path.name] = path
    return [(f"{REFERENCES_FOLDER}/{name}", path) for name, path in sorted(found.items())]


def check_reference(reference: Reference) -> list[ContentError]:
    """What a decoder cannot see: an 编号 used twice, a keyword that is only spaces."""
    errors = []
    seen: dict[str, int] = {}
    for index, item in enumerate(reference.catalogue.items, start=1):
        where = f"事项[{index}]"
        if item.number in seen:
            errors.append(ContentError(
                reference.path, f"编号“{item.number}”与第 {seen[item.number]} 项重复", item.origin, f"{where}.编号",
                "每个事项的编号在本标准目录中必须唯一", code="duplicate-reference-number",
            ))
        seen.setdefault(item.number, index)
        for number, keyword in enumerate(item.keywords, start=1):
            if not "".join(keyword.split()):
                errors.append(ContentError(
                    reference.path, "关键词不能为空", item.origin, f"{where}.关键词[{number}]", "请删去这一项，或写上词语",
                    code="empty-keyword",
                ))
    return errors


def load_references(
    files: list[tuple[str, Path]], cache: ContentCache | None = None
) -> tuple[list[Reference], list[ContentError]]:
    """The reference catalogues of these files (each with the name messages give it), each
    checked; a file with errors is left out and its errors returned. With a cache, a file whose
    bytes were decoded before is not parsed again (as the content's files)."""
    references, errors = [], []
    for relative, path in files:
        try:
            data = path.read_bytes()
        except OSError as error:
            errors.append(ContentError(relative, f"无法读取文件：{error.strerror}", hint="请检查文件的权限", code="unreadable-file"))
            continue
        key = hashlib.sha256(data).hexdigest()
        cached = cache.get(key) if cache is not None else None
        if isinstance(cached, ReferenceCatalogue):
            references.append(Reference(relative, cached))
            continue
        value, file_errors = decode_file(relative, data, ReferenceCatalogue)
        errors.extend(file_errors)
        if isinstance(value, ReferenceCatalogue):
            reference = Reference(relative, value)
            found = check_reference(reference)
            errors.extend(found)
            if not found:
                references.append(reference)
                if cache is not None and not file_errors:
                    cache.put(key, value)
    return references, errors


def reference_folders(source: Path) -> list[Path]:
    """Where the reference catalogues of the site whose content folder is `source` are: gkml's
    shipped folder, then the site's `references/` beside `source` (whose files replace shipped
    ones of the same name)."""
    return [theme_folder(REFERENCES_FOLDER), source.resolve().parent / REFERENCES_FOLDER]


def site_reference_files(source: Path) -> list[tuple[str, Path]]:
    """The reference files of the site whose content folder is `source` (see `reference_folders`)."""
    return reference_files(reference_folders(source))


def references_digest(files: list[tuple[str, Path]]) -> str:
    """A hash of these files' names and bytes (an unreadable file counts as changed)."""
    digest = hashlib.sha256()
    for relative, path in files:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0unreadable"
        digest.update(f"{relative}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def site_references(source: Path) -> tuple[list[Reference], list[ContentError]]:
    """The reference catalogues of the site whose content folder is `source` (see
    `site_reference_files`)."""
    return load_references(site_reference_files(source))
