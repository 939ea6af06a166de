"""What the pages that list other pages (home, legal-basis index, law pages, sitemap) know of each
agency: its summary.

A summary is made from an agency's node when its file is loaded and kept in the build manifest
(`build.state`) between builds. Those pages are made from summaries alone, whether fresh or kept, so
a build after an edit decodes only the edited files and still renders the lists exactly as a fresh
build would.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
from dataclasses import dataclass
from typing import NamedTuple

from gkml_ssg.audit.lines import Audited, ItemLine
from gkml_ssg.content.legal import citation_key, cited_titles
from gkml_ssg.site.kinds import ENTRY_KINDS, PageKind

_ENTRY_POSITION = {entry_kind.kind: position for position, entry_kind in enumerate(ENTRY_KINDS)}
# A law's page lists at most this many citing entries; above it, one page per province.
LAW_PAGE_LIMIT = 2_000

# How a law page shows one citing entry: its address, title, kind (a PageKind value) and the
# wording it cites. Plain tuples, because a province's summaries hold hundreds of thousands.
CitingLine = tuple[str, str, str, str]


class LawRef(NamedTuple):
    """A law or regulation as the legal-basis index lists it."""

    key: str  # the normalised cited title, or the whole citation when it has no 《title》
    titled: bool

    @property
    def path(self) -> str:
        """The law's own page, listing every entry that cites it."""
        return f"legal-basis/{hashlib.sha1(self.key.encode()).hexdigest()[:10]}/"


def law_refs(citation: str) -> list[LawRef]:
    """The index entries a citation belongs to: its 《titles》, or its own text when it has none.

    Decided by the citation alone, so a page linking to the index needs no other page's content."""
    titles = cited_titles(citation)
    return [LawRef(t, True) for t in dict.fromkeys(titles)] or [LawRef(citation_key(citation), False)]


class CitedLaw(NamedTuple):
    """One agency's citations of one law: how many, a hash of them, how often each wording is
    used, and the lines themselves, packed. A build after an edit reads every agency's summary
    but unpacks the lines of only the laws whose pages it renders."""

    key: str  # the law's (see LawRef); flat, so that a summary's laws are plain tuples
    titled: bool
    total: int  # how many times
    digest: str
    wordings: tuple[tuple[str, int], ...]
    packed_lines: bytes

    @property
    def ref(self) -> LawRef:
        return LawRef(self.key, self.titled)

    @property
    def lines(self) -> tuple[CitingLine, ...]:
        return pickle.loads(self.packed_lines)


def cited_law(ref: LawRef, lines: list[CitingLine]) -> CitedLaw:
    text = "\n".join("|".join(line) for line in lines)
    wordings: dict[str, int] = {}
    for line in lines:
        wordings[line[3]] = wordings.get(line[3], 0) + 1
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return CitedLaw(ref.key, ref.titled, len(lines), digest, tuple(wordings.items()), _pack(tuple(lines)))


@dataclass(frozen=True)
class AgencySummary:
    source_path: str  # relative to the content folder
    source_digest: str  # SHA-256 of the file's bytes
    slug: str
    path: str
    name: str
    province: str
    city: str
    county: str
    entry_counts: tuple[int, ...]  # its rows of each entry kind, in the order of ENTRY_KINDS
    page_count: int  # its page and its subpages (its history page and its entries')
    paths_digest: str  # a hash of its subpages' addresses, in order
    packed_paths: bytes  # those addresses (see `subpage_paths`)
    laws: tuple[CitedLaw, ...]  # in the order its entries first cite them
    items_digest: str  # a hash of its catalogue items as the auditors' pages see them
    packed_items: bytes  # those items (see `item_lines`)

    def count(self, kind: PageKind) -> int:
        """Its rows of one entry kind."""
        return self.entry_counts[_ENTRY_POSITION[kind]]

    # for the templates
    @property
    def item_count(self) -> int:
        return self.count(PageKind.ITEM)

    @property
    def on_request_count(self) -> int:
        return self.count(PageKind.ON_REQUEST)

    @property
    def negative_count(self) -> int:
        return self.count(PageKind.NEGATIVE)

    @property
    def subpage_paths(self) -> tuple[str, ...]:
        """Its subpages, in page-graph order."""
        return pickle.loads(self.packed_paths)

    @property
    def item_lines(self) -> tuple[ItemLine, ...]:
        """Its catalogue items as the auditors' pages see them, in page-graph order."""
        return tuple(map(ItemLine._make, pickle.loads(self.packed_items)))

    @property
    def audited(self) -> Audited:
        return Audited(self.name, self.slug, self.path, self.item_lines)

    @functools.cached_property
    def head(self) -> SummaryHead:
        # What the lists show: everything but the file's digest and the packed lines and
        # addresses, which their digests stand for.
        row = self.to_row()
        shown = (row[0], *row[2:11], tuple(law[:5] for law in self.laws), self.items_digest)
        listed = hashlib.sha256(repr(shown).encode("utf-8")).hexdigest()
        return SummaryHead(self.source_path, self.source_digest, self.slug, self.page_count, listed, self.province, self.city)

    def to_row(self) -> tuple:
        """Plain tuples, strings and bytes, for the manifest: quick to pickle and to read back."""
        laws = tuple(tuple(law) for law in self.laws)
        return (
            self.source_path, self.source_digest, self.slug, self.path, self.name, self.province, self.city,
            self.county, self.entry_counts, self.page_count, self.paths_digest, self.packed_paths, laws,
            self.items_digest, self.packed_items,
        )  # fmt: skip

    @classmethod
    def from_row(cls, row: tuple) -> AgencySummary:
        path, source_digest, slug, address, name, province, city, county, counts, pages, paths_digest, paths, laws, items_digest, items = row
        # _make is tuple.__new__: no Python call per law (a province has tens of thousands)
        cited = tuple(map(CitedLaw._make, laws))
        return cls(path, source_digest, slug, address, name, province, city, county, counts, pages, paths_digest, paths, cited, items_digest, items)


class SummaryHead(NamedTuple):
    """What a build needs of an agency it does not load when the site's lists stay as they are:
    its file, slug, page count and region (for the search shards), and a hash of its summary as
    the lists show it (to see that they do)."""

    source_path: str
    source_digest: str
    slug: str
    page_count: int
    listed: str
    province: str  # its region, for a site built region by region (see `search.shards`)
    city: str


def subpage_paths_fields(paths: tuple[str, ...]) -> tuple[int, str, bytes]:
    """`page_count`, `paths_digest` and `packed_paths` of an agency whose subpages are these."""
    return 1 + len(paths), hashlib.sha256("\n".join(paths).encode("utf-8")).hexdigest(), _pack(paths)


def item_lines_fields(lines: tuple[ItemLine, ...]) -> tuple[str, bytes]:
    """`items_digest` and `packed_items` of an agency whose catalogue items are these."""
    packed = _pack(tuple(tuple(line) for line in lines))
    return hashlib.sha256(packed).hexdigest(), packed


def _pack(value: tuple) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class CitingEntry(NamedTuple):
    path: str
    title: str
    kind: str  # a PageKind value
    text: str  # the wording it cites


@dataclass(frozen=True)
class LawNode:
    """A law and, agency by agency in page-graph order, the entries that cite it."""

    ref: LawRef
    citing: tuple[tuple[AgencySummary, CitedLaw], ...]

    @property
    def key(self) -> str:
        return self.ref.key

    @property
    def titled(self) -> bool:
        return self.ref.titled

    @property
    def path(self) -> str:
        return self.ref.path

    @property
    def agency_count(self) -> int:
        return len(self.citing)

    @functools.cached_property
    def citation_count(self) -> int:
        return sum(cited.total for _, cited in self.citing)

    @property
    def citations(self) -> list[CitingEntry]:
        return [CitingEntry(*line) for _, cited in self.citing for line in cited.lines]

    @property
    def split_by_province(self) -> bool:
        """A law cited more often than this lists its entries on one page per province."""
        return self.citation_count > LAW_PAGE_LIMIT

    @functools.cached_property
    def _by_province(self) -> dict[str, list[tuple[AgencySummary, CitedLaw]]]:
        grouped: dict[str, list[tuple[AgencySummary, CitedLaw]]] = {}
        for agency, cited in self.citing:
            grouped.setdefault(agency.province, []).append((agency, cited))
        return grouped

    def _citing_in(self, province: str | None) -> list[tuple[AgencySummary, CitedLaw]] | tuple:
        return self.citing if province is None else self._by_province.get(province, [])

    def by_agency(self, province: str | None = None) -> list[tuple[AgencySummary, list[CitingEntry]]]:
        """The citing entries grouped by agency (of one province, if given), in page-graph order."""
        return [(agency, [CitingEntry(*line) for line in cited.lines]) for agency, cited in self._citing_in(province)]

    def provinces(self) -> list[tuple[str, str, int, int]]:
        """(province, its page's path, agencies, entries) for each province with citing entries."""
        return self._provinces

    @functools.cached_property
    def _provinces(self) -> list[tuple[str, str, int, int]]:
        return [
            (province, self.province_path(province), len(found), sum(cited.total for _, cited in found))
            for province, found in sorted(self._by_province.items())
        ]

    def province_path(self, province: str) -> str:
        return f"{self.path}{hashlib.sha1(province.encode()).hexdigest()[:8]}/"

    def citing_inputs(self, province: str | None = None) -> list[str]:
        """What its page (or one province's page) shows of the citing entries, agency by agency:
        each agency's address and name and a hash of its citing lines."""
        return [f"{agency.path}|{agency.name}|{cited.digest}" for agency, cited in self._citing_in(province)]

    def wordings(self) -> list[tuple[str, int]]:
        """Each distinct wording of the citation in the catalogues, with how often it is used."""
        counts: dict[str, int] = {}
        for _, cited in self.citing:
            for text, count in cited.wordings:
                counts[text] = counts.get(text, 0) + count
        return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def laws_of(summaries: tuple[AgencySummary, ...]) -> tuple[LawNode, ...]:
    """Every cited law, most-cited first; untitled references (no 《》) after every titled law."""
    citing: dict[tuple[str, bool], list[tuple[AgencySummary, CitedLaw]]] = {}
    for summary in summaries:
        for cited in summary.laws:
            citing.setdefault(cited[:2], []).append((summary, cited))
    laws = [LawNode(LawRef(*ref), tuple(pairs)) for ref, pairs in citing.items()]
    return tuple(sorted(laws, key=lambda law: (not law.titled, -law.citation_count, law.key)))
