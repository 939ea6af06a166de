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

from gkml_ssg.audit.lines import Audited, ItemLine
from gkml_ssg.content.characters import JOINERS
from gkml_ssg.content.errors import ContentError
from gkml_ssg.content.model import Item
from gkml_ssg.content.references import Reference, ReferenceItem

RULE_NAMED = "对应标准事项"
RULE_KEYWORD = "关键词"


@dataclass(frozen=True)
class Evidence:
    """Why one catalogue item covers a reference item: named (`rule` 对应标准事项), or a keyword
    found in its 一级事项 or 二级事项 (`where`)."""

    rule: str
    keyword: str | None = None
    where: str | None = None


Matches = tuple[tuple[ItemLine, Evidence], ...]


@dataclass(frozen=True)
class Covering:
    """An agency that covers a reference item: its entries that do, each with its evidence."""

    agency: str
    slug: str
    entries: Matches

    @property
    def pages(self) -> tuple[str, ...]:
        return tuple(line.path for line, _ in self.entries)


@dataclass(frozen=True)
class ItemCoverage:
    item: ReferenceItem
    covered: tuple[Covering, ...]
    missing: tuple[Audited, ...]


@dataclass(frozen=True)
class CatalogueCoverage:
    reference: Reference
    items: tuple[ItemCoverage, ...]


def folded(text: str) -> str:
    """`text` without spaces and the marks that wrap a word (as the search drops them)."""
    return "".join(c for c in text if not c.isspace() and c not in JOINERS)


class Matcher:
    """One reference catalogue's rules, its keywords folded once, applied to agency after agency."""

    def __init__(self, reference: Reference):
        self.reference = reference
        self.items = reference.catalogue.items
        self._numbers = {item.number for item in self.items}
        self._keywords = {item.number: tuple((k, folded(k)) for k in item.keywords if folded(k)) for item in self.items}

    def agency(self, agency: Audited) -> dict[str, Matches]:
        """Each reference item's number → the agency's items that cover it, with their evidence."""
        rows = [(line, _texts(line), frozenset(line.named)) for line in agency.lines]
        found: dict[str, Matches] = {}
        for item in self.items:
            found[item.number] = tuple(
                (line, evidence) for line, texts, named in rows if (evidence := self._evidence(texts, named, item)) is not None
            )
        return found

    def _evidence(self, texts: tuple[tuple[str, str], ...], named: frozenset[str], item: ReferenceItem) -> Evidence | None:
        if not named.isdisjoint(self._numbers):
            return Evidence(RULE_NAMED) if item.number in named else None
        for where, text in texts:
            for keyword, key in self._keywords[item.number]:
                if key in text:
                    return Evidence(RULE_KEYWORD, keyword, where)
        return None


def _texts(line: ItemLine) -> tuple[tuple[str, str], ...]:
    """(where, folded text): 二级事项 first, then 一级事项."""
    texts = (("二级事项", line.second_level), ("一级事项", line.category))
    return tuple((where, folded(text)) for where, text in texts if text)


def catalogue_coverage(reference: Reference, agencies: Iterable[Audited]) -> CatalogueCoverage:
    """The coverage of one reference catalogue by these agencies (in their order)."""
    matcher = Matcher(reference)
    found: dict[str, list[Covering]] = {item.number: [] for item in matcher.items}
    missing: dict[str, list[Audited]] = {item.number: [] for item in matcher.items}
    for agency in agencies:
        for number, matches in matcher.agency(agency).items():
            if matches:
                found[number].append(Covering(agency.name, agency.slug, matches))
            else:
                missing[number].append(agency)
    items = tuple(ItemCoverage(item, tuple(found[item.number]), tuple(missing[item.number])) for item in matcher.items)
    return CatalogueCoverage(reference, items)


def unknown_numbers(references: list[Reference], items: Iterable[tuple[str, Item]]) -> list[ContentError]:
    """An 对应标准事项 that names no item of any reference catalogue: a typing error to report.
    `items`: the catalogue items to check, each with its file's path."""
    known = {item.number for reference in references for item in reference.catalogue.items}
    errors = []
    for path, item in items:
        for number in item.standard_items:
            if number not in known:
                errors.append(
                    ContentError(
                        path,
                        f"对应标准事项“{number}”不是任何标准目录中的编号",
                        item.origin,
                        RULE_NAMED,
                        f"请写 references/ 中标准目录事项的编号，如“{min(known)}”"
                        if known
                        else "请先在 references/ 中放入标准目录",
                        code="unknown-reference-number",
                    )
                )
    return errors
