"""An agency in the page graph: its node, the nodes of its rows that have pages of their own, and
its summary (what the pages that list agencies show of it).

Made from one agency's content alone, so an agency's pages can be built without the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from gkml_ssg.audit.lines import Audited, ItemLine
from gkml_ssg.content.errors import ContentError
from gkml_ssg.content.fields import SLUG_PATTERN, cited_texts, searchable_texts
from gkml_ssg.content.history import NO_HISTORY, Commit, SourceHistory
from gkml_ssg.content.load import AgencySource, Content
from gkml_ssg.content.model import Agency, Category, Item, NegativeEntry, OnRequestEntry
from gkml_ssg.site.kinds import ENTRY_KIND_OF, ENTRY_KINDS, PageKind
from gkml_ssg.site.summaries import (
    AgencySummary,
    CitingLine,
    LawRef,
    cited_law,
    item_lines_fields,
    law_refs,
    subpage_paths_fields,
)


@dataclass(frozen=True)
class CitedBasis:
    """One legal basis an entry cites, as worded, and the legal-basis index entries it belongs to."""

    text: str
    laws: tuple[LawRef, ...]


@dataclass(frozen=True)
class EntryNode:
    """A page-owning row of an agency: catalogue item, on-request entry or negative-list entry."""

    kind: PageKind
    slug: str
    path: str
    title: str
    category: str | None  # 一级事项; for the negative list, 事项类别
    category_index: int | None  # position of the category in the agency's catalogue, for anchors
    stage: str | None
    data: Item | OnRequestEntry | NegativeEntry
    citations: tuple[CitedBasis, ...]  # its 公开依据 (or grounds for not disclosing), in order

    def search_texts(self) -> list[str | None]:
        """What a reader can find the entry's page by, besides its title: what it shows from its
        place, then its searchable fields (see `content.fields.searchable_texts`)."""
        return [*ENTRY_KIND_OF[self.kind].context_texts(self), *searchable_texts(self.data)]


@dataclass(frozen=True)
class AgencyNode:
    source: AgencySource
    slug: str
    path: str
    entries: tuple[EntryNode, ...]  # in the order of ENTRY_KINDS: items, then on-request, then negative entries
    history: tuple[Commit, ...] = ()  # the commits that changed its file, newest first

    @property
    def history_path(self) -> str:
        return self.path + "history/"

    @property
    def updated(self) -> str | None:
        """When its file last changed (YYYY-MM-DD), from git; None outside git or before a commit."""
        return self.history[0].day if self.history else None

    @property
    def agency(self) -> Agency:
        return self.source.agency

    def of_kind(self, kind: PageKind) -> tuple[EntryNode, ...]:
        return tuple(e for e in self.entries if e.kind is kind)

    @property
    def item_count(self) -> int:
        return sum(1 for e in self.entries if e.kind is PageKind.ITEM)

    def search_texts(self) -> list[str]:
        """What a reader can find the agency's page by, besides its name."""
        return list(searchable_texts(self.agency))

    def item_lines(self) -> tuple[ItemLine, ...]:
        """Its catalogue items as the auditors' pages see them (see `item_lines`)."""
        lines = []
        for entry in self.of_kind(PageKind.ITEM):
            item = cast(Item, entry.data)  # an ITEM entry's row (not asserted: tests render through a recording view)
            deadline = item.deadline.strip() if item.deadline else None
            lines.append(ItemLine(entry.path, entry.title, item.title, entry.category, item.standard_items, deadline or None))
        return tuple(lines)

    @property
    def audited(self) -> Audited:
        return Audited(self.agency.name, self.slug, self.path, self.item_lines())

    def stage_groups(self) -> list[tuple[str | None, list[tuple[int, Category, list[EntryNode]]]]]:
        """The catalogue as consecutive runs of categories that share a stage (过程)."""
        items = self.of_kind(PageKind.ITEM)
        groups: list[tuple[str | None, list[tuple[int, Category, list[EntryNode]]]]] = []
        for index, category in enumerate(self.agency.catalogue):
            entries = [e for e in items if e.category_index == index]
            if not groups or groups[-1][0] != category.stage:
                groups.append((category.stage, []))
            groups[-1][1].append((index, category, entries))
        return groups


def agency_nodes(content: Content, history: SourceHistory = NO_HISTORY) -> tuple[tuple[AgencyNode, ...], list[ContentError]]:
    """The nodes of the agencies loaded, and the errors that stop them having pages: a file name
    that cannot be a URL, two entries of one agency with one slug."""
    errors: list[ContentError] = []
    # The same few laws are cited throughout a province's catalogues: each wording is parsed once.
    cited: dict[str, CitedBasis] = {}
    return tuple(_agency_node(source, errors, cited, history.of(source.path)) for source in content.agencies), errors


def catalogue_items(agencies: Iterable[AgencyNode]) -> Iterator[tuple[str, Item]]:
    """Every catalogue item of these agencies, with its file's path (for checks that name it)."""
    for agency in agencies:
        for entry in agency.of_kind(PageKind.ITEM):
            assert isinstance(entry.data, Item)
            yield agency.source.path, entry.data


def agency_path(slug: str) -> str:
    """The path of an agency's page, below which are its entries' pages and its downloads."""
    return f"agencies/{slug}/"


def _agency_node(
    source: AgencySource, errors: list[ContentError], cited: dict[str, CitedBasis], history: tuple[Commit, ...]
) -> AgencyNode:
    agency = source.agency
    slug = agency.slug or source.stem
    if agency.slug is None and not re.fullmatch(SLUG_PATTERN, slug):
        errors.append(
            ContentError(
                source.path,
                f"文件名“{source.stem}”不能用作网址",
                hint="请把文件改名为小写字母、数字和连字符，或添加“网址标识: …”",
                code="bad-file-name",
            )
        )
    path = agency_path(slug)

    def basis(text: str) -> CitedBasis:
        if text not in cited:
            cited[text] = CitedBasis(text, tuple(law_refs(text)))
        return cited[text]

    entries: list[EntryNode] = []
    for entry_kind in ENTRY_KINDS:
        for position, row in enumerate(entry_kind.rows(agency), start=1):
            entry_slug = row.data.slug or str(position)
            entries.append(
                EntryNode(
                    entry_kind.kind,
                    entry_slug,
                    f"{path}{entry_kind.segment}/{entry_slug}/",
                    row.title,
                    row.category,
                    row.category_index,
                    row.stage,
                    row.data,
                    tuple(basis(text) for text in cited_texts(row.data)),
                )
            )
    _check_unique_entry_slugs(source, entries, errors)
    _check_unique_index_numbers(source, entries, errors)
    return AgencyNode(source, slug, path, tuple(entries), history)


def _check_unique_entry_slugs(source: AgencySource, entries: list[EntryNode], errors: list[ContentError]) -> None:
    """Two entries of one kind with one slug would share a page: an error naming both."""
    seen: dict[tuple[PageKind, str], EntryNode] = {}
    for entry in entries:
        key = (entry.kind, entry.slug)
        if key not in seen:
            seen[key] = entry
            continue
        first = seen[key].data.origin
        errors.append(
            ContentError(
                source.path,
                f"网址标识“{entry.slug}”重复（第 {first.line} 行的“{seen[key].title}”已使用）" if first else f"网址标识“{entry.slug}”重复",
                entry.data.origin,
                "网址标识",
                "每个条目的网址标识必须不同；数字标识会与按顺序自动编号的条目冲突",
                code="slug-conflict",
            )
        )


def _check_unique_index_numbers(source: AgencySource, entries: list[EntryNode], errors: list[ContentError]) -> None:
    """A 索引号 names one record: two rows of an agency with one number is an error naming both."""
    seen: dict[str, EntryNode] = {}
    for entry in entries:
        number = entry.data.index_number
        if number is None:
            continue
        if number not in seen:
            seen[number] = entry
            continue
        first = seen[number]
        where = f"第 {first.data.origin.line} 行的" if first.data.origin else ""
        errors.append(
            ContentError(
                source.path,
                f"索引号“{number}”重复（{where}“{first.title}”已使用）",
                entry.data.origin,
                "索引号",
                "每个条目的索引号必须不同：删去重复的一个，再运行 gkml index-numbers 为它编新号",
                code="index-number-conflict",
            )
        )


def summarise(agency: AgencyNode) -> AgencySummary:
    """What the site's lists show of an agency (see `summaries`)."""
    lines: dict[LawRef, list[CitingLine]] = {}
    for entry in agency.entries:
        for basis in entry.citations:
            for ref in basis.laws:
                lines.setdefault(ref, []).append((entry.path, entry.title, entry.kind.value, basis.text))
    region = agency.agency.region
    counts = {entry_kind.kind: 0 for entry_kind in ENTRY_KINDS}
    for entry in agency.entries:
        counts[entry.kind] += 1
    items_digest, packed_items = item_lines_fields(agency.item_lines())
    page_count, paths_digest, packed_paths = subpage_paths_fields((agency.history_path, *(entry.path for entry in agency.entries)))
    return AgencySummary(
        source_path=agency.source.path,
        source_digest=agency.source.digest,
        slug=agency.slug,
        path=agency.path,
        name=agency.agency.name,
        province=region.province,
        city=region.city,
        county=region.county,
        entry_counts=tuple(counts.values()),
        page_count=page_count,
        paths_digest=paths_digest,
        packed_paths=packed_paths,
        laws=tuple(cited_law(ref, found) for ref, found in lines.items()),
        items_digest=items_digest,
        packed_items=packed_items,
    )
