"""The doubts `gkml check` reports as warnings: content the build accepts but an officer should look at.

Each check reads the typed model of one agency and yields warnings that name the YAML key path
(as the decoder names it), the value's own line where the file's node tree has it, a Chinese
message and, where one is clear, the fix. The checks only read; nothing here changes content.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from enum import Enum

from gkml_ssg.check.diagnostics import Diagnostic
from gkml_ssg.check.index_lint import missing_index_numbers
from gkml_ssg.check.lint_file import LintFile
from gkml_ssg.content.errors import Origin
from gkml_ssg.content.fields import yaml_fields, yaml_key
from gkml_ssg.content.legal import is_well_formed
from gkml_ssg.content.model import (
    Agency,
    Category,
    DeclaredCounts,
    Item,
    Mode,
    NegativeEntry,
    NegativeList,
    OnRequestEntry,
    OnRequestList,
    Overview,
)

_IDEOGRAPH = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# An ASCII or full-width space between two ideographs: Chinese text has none, PDF extraction puts
# them in (`概况 信息`, `形 成 或 者`). Line breaks are left alone: a Markdown field may break lines.
_EXTRACTION_SPACE = re.compile(f"(?<=[{_IDEOGRAPH}])[ \u3000]+(?=[{_IDEOGRAPH}])")

# Remarks are the transcriber's notes and quote the source as it was extracted (“二、 公开 清单”),
# and a file name is not text: neither is checked for extraction spacing.
_SPACING_EXEMPT = frozenset({"remarks", "source_file"})

EXAMPLE_CITATION = "《中华人民共和国政府信息公开条例》（国务院令第711号）"


def lint_agency(path: str, agency: Agency, origins: Mapping[str, Origin]) -> list[Diagnostic]:
    """Every warning about one agency file (`path` relative to the content folder)."""
    file = LintFile(path, origins)
    return [
        *declared_counts(file, agency),
        *extraction_spacing(file, agency),
        *citation_form(file, agency),
        *duplicate_titles(file, agency),
        *negative_matches_item(file, agency),
        *missing_index_numbers(file, agency),
    ]


def declared_counts(file: LintFile, agency: Agency) -> Iterator[Diagnostic]:
    """The counts a catalogue's header declares, against its rows (001 declares 6 and 37)."""
    declared = agency.declared
    if declared is None:
        return
    items = [item for category in agency.catalogue for item in category.items]
    on_request_rows = len(agency.on_request.entries) if agency.on_request else 0
    actual = {
        "proactive_categories": (len(agency.catalogue), "一级事项"),
        "proactive_items": (sum(1 for item in items if item.mode is not Mode.ON_REQUEST), "公开方式不是“依申请”的二级事项"),
        "on_request_items": (
            on_request_rows + sum(1 for item in items if item.mode is Mode.ON_REQUEST),
            "依申请公开清单的条目和目录中公开方式为“依申请”的事项",
        ),
    }
    counts_key = yaml_key(Agency, "declared")
    for attribute, (count, counted) in actual.items():
        stated = getattr(declared, attribute)
        if stated is None or stated == count:
            continue
        key = yaml_key(DeclaredCounts, attribute)
        yield file.warning(
            "declared-count-mismatch",
            f"{counts_key}.{key}",
            f"声明{key} {stated} 项，实有 {count} 项（{counted}）",
            f"请对照原表核对：补录漏掉的行、合并重复的行，或更正“{key}”",
            agency.origin,
        )


def extraction_spacing(file: LintFile, agency: Agency) -> Iterator[Diagnostic]:
    for field, text, near in _texts(agency, "", agency.origin):
        found = list(_EXTRACTION_SPACE.finditer(text))
        if not found:
            continue
        # The excerpt: the first spaced run (`形 成 或 者`, one match per space) with a little context
        first = found[0]
        end = first.end() + 4
        for match in found[1:]:
            if match.start() <= end:
                end = match.end() + 4
        line_start = text.rfind("\n", 0, first.start()) + 1
        line_end = text.find("\n", first.end())
        start = max(line_start, first.start() - 4)
        excerpt = text[start : min(line_end if line_end != -1 else len(text), end)].strip()
        more = f"（共 {len(found)} 处）" if len(found) > 1 else ""
        yield file.warning(
            "pdf-spacing",
            field,
            f"“{excerpt}”中汉字之间有空格{more}，像是从 PDF 提取文字时留下的",
            f"删除汉字之间的空格，写作“{_EXTRACTION_SPACE.sub('', excerpt)}”",
            near,
        )


def _texts(value: object, field: str, near: Origin | None) -> Iterator[tuple[str, str, Origin | None]]:
    """Every text of the model below `value`, with its key path and its row's origin."""
    if isinstance(value, Enum):
        return  # an allowed value of a closed list, never typed freely
    if isinstance(value, str):
        yield field, value, near
    elif isinstance(value, tuple):
        for index, element in enumerate(value, start=1):
            yield from _texts(element, f"{field}[{index}]", near)
    elif dataclasses.is_dataclass(value):
        near = getattr(value, "origin", None) or near
        for f, info in yaml_fields(type(value)):
            if f.name not in _SPACING_EXEMPT:
                yield from _texts(getattr(value, f.name), f"{field}.{info.key}" if field else info.key, near)


def citation_form(file: LintFile, agency: Agency) -> Iterator[Diagnostic]:
    """Each legal basis should open with the 《title》 it cites: the legal-basis index groups by it."""
    for field, citation, near in _citations(agency):
        if is_well_formed(citation):
            continue
        text = citation.strip()
        opening = text.find("《")
        if opening == -1:
            message = f"依据“{text}”没有用书名号《》标出所依据的法律法规或文件"
            hint = f"请写作“《名称》（文号）”，如“{EXAMPLE_CITATION}”"
        elif opening > 0:
            message = f"依据“{text}”没有以书名号《开头"
            hint = f"请以名称开头，写作“{text[opening:]}”；书名号前的文字（“{text[:opening]}”）如需保留，可写入备注"
        else:
            message = f"依据“{text}”中的书名号《》不成对"
            hint = "请补全缺少的“《”或“》”"
        yield file.warning("citation-form", field, message, hint, near)


def _citations(agency: Agency) -> Iterator[tuple[str, str, Origin | None]]:
    """Every citation an agency makes: 公开依据, 不予（主动）公开的依据, and its overview's 公开依据."""
    catalogue = yaml_key(Agency, "catalogue")
    for c, category in enumerate(agency.catalogue, start=1):
        for i, item in enumerate(category.items, start=1):
            row = f"{catalogue}[{c}].{yaml_key(Category, 'items')}[{i}]"
            for n, text in enumerate(item.basis, start=1):
                yield f"{row}.{yaml_key(Item, 'basis')}[{n}]", text, item.origin
    for list_key, entries, grounds_key in _lists(agency):
        for e, entry in enumerate(entries, start=1):
            for n, text in enumerate(entry.grounds, start=1):
                yield f"{list_key}[{e}].{grounds_key}[{n}]", text, entry.origin
    if agency.overview is not None:
        overview = yaml_key(Agency, "overview")
        for n, text in enumerate(agency.overview.basis, start=1):
            yield f"{overview}.{yaml_key(Overview, 'basis')}[{n}]", text, agency.origin


def _lists(agency: Agency) -> Iterator[tuple[str, tuple[OnRequestEntry | NegativeEntry, ...], str]]:
    """The on-request and negative lists: key path of their entries, the entries, their grounds' key."""
    if agency.on_request is not None:
        yield (
            f"{yaml_key(Agency, 'on_request')}.{yaml_key(OnRequestList, 'entries')}",
            agency.on_request.entries,
            yaml_key(OnRequestEntry, "grounds"),
        )
    if agency.negative is not None:
        yield (
            f"{yaml_key(Agency, 'negative')}.{yaml_key(NegativeList, 'entries')}",
            agency.negative.entries,
            yaml_key(NegativeEntry, "grounds"),
        )


def title_key(title: str) -> str:
    """What two titles must share to be the same title: spacing and the width of brackets do not count."""
    return re.sub(r"\s+", "", title).replace("(", "（").replace(")", "）")


def duplicate_titles(file: LintFile, agency: Agency) -> Iterator[Diagnostic]:
    catalogue = yaml_key(Agency, "catalogue")
    title = yaml_key(Item, "title")
    for c, category in enumerate(agency.catalogue, start=1):
        first: dict[str, tuple[str, str]] = {}  # title key → the first such item's title field and title
        for i, item in enumerate(category.items, start=1):
            if item.title is None:
                continue
            field = f"{catalogue}[{c}].{yaml_key(Category, 'items')}[{i}].{title}"
            earlier, earlier_title = first.setdefault(title_key(item.title), (field, item.title))
            if earlier == field:
                continue
            line = file.line_of(earlier)
            where = f"第 {line} 行" if line else earlier
            yield file.warning(
                "duplicate-title",
                field,
                f"一级事项“{category.name}”中{title}“{item.title}”与{where}的“{earlier_title}”重复",
                "同一事项请合并为一行；不同事项请写出原表中区分二者的名称",
                item.origin,
            )


# A remark explains why a title is both disclosed and listed as not disclosed when it points at
# the other list: on the negative entry, at the proactive catalogue; on the item, at the negative
# list. A remark about something else (a transcription note) does not.
_NEGATIVE_REMARK_NAMES = ("主动公开", "目录")
_ITEM_REMARK_NAMES = ("负面清单", "不予公开")


def negative_matches_item(file: LintFile, agency: Agency) -> Iterator[Diagnostic]:
    """A negative-list entry titled like a proactively disclosed item needs a remark saying what is
    disclosed and what is not (seed 000: the result of an inspection is disclosed, its case file is not)."""
    if agency.negative is None:
        return
    catalogue = yaml_key(Agency, "catalogue")
    items: dict[str, tuple[str, Item]] = {}
    for c, category in enumerate(agency.catalogue, start=1):
        for i, item in enumerate(category.items, start=1):
            if item.title is not None and item.mode is not Mode.ON_REQUEST:
                items.setdefault(title_key(item.title), (f"{catalogue}[{c}].{yaml_key(Category, 'items')}[{i}]", item))
    item_names = (*_ITEM_REMARK_NAMES, *((agency.negative.label,) if agency.negative.label else ()))
    entries = f"{yaml_key(Agency, 'negative')}.{yaml_key(NegativeList, 'entries')}"
    remarks = yaml_key(NegativeEntry, "remarks")
    for e, entry in enumerate(agency.negative.entries, start=1):
        match = items.get(title_key(entry.title))
        if match is None:
            continue
        row, item = match
        if _mentions(entry.remarks, _NEGATIVE_REMARK_NAMES) or _mentions(item.remarks, item_names):
            continue
        line = file.line_of(f"{row}.{yaml_key(Item, 'title')}")
        yield file.warning(
            "negative-matches-item",
            f"{entries}[{e}].{yaml_key(NegativeEntry, 'title')}",
            f"负面清单条目“{entry.title}”与主动公开事项同名（{row}" + (f"，第 {line} 行" if line else "") + "），"
            "但没有备注说明哪些公开、哪些不公开",
            f"请在此条目的“{remarks}”中说明它与主动公开事项的区别（如“检查结果主动公开，检查案卷不予公开”），"
            "或在该主动公开事项的备注中提到负面清单",
            entry.origin,
        )


def _mentions(remark: str | None, names: tuple[str, ...]) -> bool:
    return remark is not None and any(name in remark for name in names)
