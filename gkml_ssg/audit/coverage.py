"""Which agencies cover each item of a reference catalogue, and on what evidence.

An agency's catalogue item covers a reference item when it names it (`对应标准事项: 编号`), or,
when it names no item of that reference catalogue, when its 一级事项 or 二级事项 contains one of
the reference item's 关键词. Whitespace and quotation marks are ignored on both sides (“三公”经费
contains 三公经费), as the search ignores them. A named item wins: an item that names an item of a
catalogue is not matched by keywords against that catalogue. Every match keeps its evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gkml_ssg.content.characters import JOINERS
from gkml_ssg.content.errors import ContentError
from gkml_ssg.content.model import Item
from gkml_ssg.content.references import Reference, ReferenceItem
from gkml_ssg.site.kinds import PageKind
from gkml_ssg.site.nodes import AgencyNode, EntryNode

RULE_NAMED = "对应标准事项"
RULE_KEYWORD = "关键词"


@dataclass(frozen=True)
class Evidence:
    """Why one catalogue item covers a reference item: named (`rule` 对应标准事项), or a keyword
    found in its 一级事项 or 二级事项 (`where`)."""

    rule: str
    keyword: str | None = None
    where: str | None = None


@dataclass(frozen=True)
class Covering:
    """An agency that covers a reference item: its entries that do, each with its evidence."""

    agency: str
    slug: str
    entries: tuple[tuple[EntryNode, Evidence], ...]

    @property
    def pages(self) -> tuple[str, ...]:
        return tuple(entry.path for entry, _ in self.entries)


@dataclass(frozen=True)
class ItemCoverage:
    item: ReferenceItem
    covered: tuple[Covering, ...]
    missing: tuple[AgencyNode, ...]


@dataclass(frozen=True)
class CatalogueCoverage:
    reference: Reference
    items: tuple[ItemCoverage, ...]


def folded(text: str) -> str:
    """`text` without spaces and the marks that wrap a word (as the search drops them)."""
    return "".join(c for c in text if not c.isspace() and c not in JOINERS)


@dataclass(frozen=True)
class _Row:
    """A catalogue item as matching sees it: its texts folded once, and what it names."""

    entry: EntryNode
    texts: tuple[tuple[str, str], ...]  # (where, folded text): 二级事项 first, then 一级事项
    named: frozenset[str]


def _rows(agency: AgencyNode) -> list[_Row]:
    rows = []
    for entry in agency.of_kind(PageKind.ITEM):
        assert isinstance(entry.data, Item)
        texts = (("二级事项", entry.title if entry.data.title else None), ("一级事项", entry.category))
        rows.append(_Row(entry, tuple((where, folded(text)) for where, text in texts if text), frozenset(entry.data.standard_items)))
    return rows


def _evidence(row: _Row, item: ReferenceItem, keywords: tuple[tuple[str, str], ...], numbers: set[str]) -> Evidence | None:
    if row.named & numbers:
        return Evidence(RULE_NAMED) if item.number in row.named else None
    for where, text in row.texts:
        for keyword, key in keywords:
            if key in text:
                return Evidence(RULE_KEYWORD, keyword, where)
    return None


def catalogue_coverage(reference: Reference, agencies: Iterable[AgencyNode]) -> CatalogueCoverage:
    """The coverage of one reference catalogue by these agencies (in their order)."""
    items = reference.catalogue.items
    numbers = {item.number for item in items}
    keywords = {item.number: tuple((k, folded(k)) for k in item.keywords if folded(k)) for item in items}
    found: dict[str, list[Covering]] = {item.number: [] for item in items}
    missing: dict[str, list[AgencyNode]] = {item.number: [] for item in items}
    for agency in agencies:
        rows = _rows(agency)
        for item in items:
            matched = [
                (row.entry, evidence) for row in rows if (evidence := _evidence(row, item, keywords[item.number], numbers)) is not None
            ]
            if matched:
                found[item.number].append(Covering(agency.agency.name, agency.slug, tuple(matched)))
            else:
                missing[item.number].append(agency)
    return CatalogueCoverage(reference, tuple(ItemCoverage(item, tuple(found[item.number]), tuple(missing[item.number])) for item in items))


def unknown_numbers(references: list[Reference], agencies: Iterable[AgencyNode]) -> list[ContentError]:
    """An 对应标准事项 that names no item of any reference catalogue: a typing error to report."""
    known = {item.number for reference in references for item in reference.catalogue.items}
    errors = []
    for agency in agencies:
        for entry in agency.of_kind(PageKind.ITEM):
            assert isinstance(entry.data, Item)
            for number in entry.data.standard_items:
                if number not in known:
                    errors.append(ContentError(
                        agency.source.path, f"对应标准事项“{number}”不是任何标准目录中的编号", entry.data.origin, RULE_NAMED,
                        f"请写 references/ 中标准目录事项的编号，如“{min(known)}”" if known else "请先在 references/ 中放入标准目录",
                        code="unknown-reference-number",
                    ))
    return errors
