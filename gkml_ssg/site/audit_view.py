"""The auditors' pages of a site: the coverage of each reference catalogue (标准目录) agency by
agency and the deadline wordings, made from every agency's summary like the other lists, with the
addresses of their pages and where a page is split by province.

URL scheme (relative to the site's base path):
    references/                          the auditors' index: each reference catalogue, deadlines, comparison
    references/<catalogue>/              a catalogue's matrix: agencies × its items, by region
    references/<catalogue>/<province>/   one province's matrix, when the site has more agencies than one page shows
    deadlines/                           each distinct 公开时限 wording, normalised where it can be
    deadlines/<wording>/                 the agencies and items that use it (or its provinces, each on a page)
    deadlines/<wording>/<province>/
    compare/                             two to four agencies side by side (chosen in the page or in its URL)
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from gkml_ssg.audit.coverage import Matcher, Matches
from gkml_ssg.audit.deadlines import DeadlineUse, deadline_uses
from gkml_ssg.audit.lines import Audited, ItemLine
from gkml_ssg.content.references import Reference
from gkml_ssg.site.summaries import AgencySummary

AUDIT_FOLDER = "references/"
DEADLINES_FOLDER = "deadlines/"
COMPARE_FOLDER = "compare/"
COMPARE_AGENCIES = "agencies.json"  # the agencies a reader picks from, below COMPARE_FOLDER
# A matrix lists at most this many agencies on one page; above it, one page per province
# (a row is an agency and a cell per reference item: 300 rows of 15 cells are about 150 kB).
MATRIX_PAGE_LIMIT = 300
# A deadline wording's page lists at most this many items (about 190 kB); above it, one page per province.
DEADLINE_PAGE_LIMIT = 1_000


def _hashed(text: str, length: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:length]


def reference_path(reference: Reference) -> str:
    return f"{AUDIT_FOLDER}{_hashed(reference.path, 10)}/"


def deadline_path(wording: str) -> str:
    return f"{DEADLINES_FOLDER}{_hashed(wording, 10)}/"


def province_path(path: str, province: str) -> str:
    """The page of one province below a page split by province."""
    return f"{path}{_hashed(province, 8)}/"


@dataclass(frozen=True)
class AgencyCoverage:
    """One agency's coverage of one reference catalogue: each reference item's covering items."""

    agency: AgencySummary
    found: dict[str, Matches]  # reference item number → its covering items (none: missing)

    @property
    def covered_count(self) -> int:
        return sum(1 for matches in self.found.values() if matches)


@dataclass(frozen=True)
class ProvinceCoverage:
    province: str
    path: str
    agencies: int
    covered: dict[str, int]  # reference item number → how many of the province's agencies cover it


def _covered(reference: Reference, rows: Iterable[AgencyCoverage]) -> dict[str, int]:
    """Reference item number → how many of these agencies cover it."""
    counts = dict.fromkeys((item.number for item in reference.catalogue.items), 0)
    for row in rows:
        for number, matches in row.found.items():
            counts[number] += bool(matches)
    return counts


class AuditView:
    """What the auditors' pages show, made once per build from every agency's summary."""

    def __init__(self, references: tuple[Reference, ...], summaries: tuple[AgencySummary, ...]):
        self.references = references
        self.summaries = summaries

    @functools.cached_property
    def _matchers(self) -> dict[str, Matcher]:
        return {reference.path: Matcher(reference) for reference in self.references}

    @functools.cached_property
    def _audited(self) -> tuple[Audited, ...]:
        return tuple(summary.audited for summary in self.summaries)

    @functools.cached_property
    def _coverages(self) -> dict[str, tuple[AgencyCoverage, ...]]:
        """Every agency's coverage of each reference catalogue, by the catalogue's path."""
        return {
            path: tuple(
                AgencyCoverage(summary, matcher.agency(audited))
                for summary, audited in zip(self.summaries, self._audited, strict=True)
            )
            for path, matcher in self._matchers.items()
        }

    def coverage(self, reference: Reference) -> tuple[AgencyCoverage, ...]:
        """Every agency's coverage of `reference`, in page-graph order (matched once per build)."""
        return self._coverages[reference.path]

    def split(self) -> bool:
        """Whether a matrix is one page per province (more agencies than one page shows)."""
        return len(self.summaries) > MATRIX_PAGE_LIMIT

    @functools.cached_property
    def provinces(self) -> tuple[str, ...]:
        return tuple(sorted({summary.province for summary in self.summaries}))

    def rows(self, reference: Reference, province: str | None = None) -> list[AgencyCoverage]:
        """The matrix's rows: every agency's (or one province's), by region, then name."""
        rows = [row for row in self.coverage(reference) if province is None or row.agency.province == province]
        return sorted(
            rows, key=lambda row: (row.agency.province, row.agency.city, row.agency.county, row.agency.name, row.agency.slug)
        )

    def by_province(self, reference: Reference) -> list[ProvinceCoverage]:
        """Per province, how many agencies cover each reference item (the matrix's summary when split)."""
        grouped: dict[str, list[AgencyCoverage]] = {}
        for row in self.coverage(reference):
            grouped.setdefault(row.agency.province, []).append(row)
        path = reference_path(reference)
        return [
            ProvinceCoverage(province, province_path(path, province), len(rows), _covered(reference, rows))
            for province, rows in sorted(grouped.items())
        ]

    def covered_counts(self, reference: Reference) -> dict[str, int]:
        """Reference item number → how many agencies cover it."""
        return _covered(reference, self.coverage(reference))

    @functools.cached_property
    def deadlines(self) -> tuple[DeadlineUse, ...]:
        return tuple(deadline_uses(self._audited))

    @functools.cached_property
    def _provinces_by_slug(self) -> dict[str, str]:
        return {summary.slug: summary.province for summary in self.summaries}

    def deadline_split(self, use: DeadlineUse) -> bool:
        return len(use.uses) > DEADLINE_PAGE_LIMIT

    def deadline_provinces(self, use: DeadlineUse) -> list[tuple[str, str, int, int]]:
        """(province, its page's path, agencies, items) for each province that uses the wording."""
        agencies: dict[str, set[str]] = {}
        items: dict[str, int] = {}
        for agency, _ in use.uses:
            province = self._provinces_by_slug[agency.slug]
            agencies.setdefault(province, set()).add(agency.slug)
            items[province] = items.get(province, 0) + 1
        path = deadline_path(use.wording)
        return [(province, province_path(path, province), len(agencies[province]), items[province]) for province in sorted(items)]

    def deadline_agencies(self, use: DeadlineUse, province: str | None = None) -> list[tuple[Audited, list[ItemLine]]]:
        """The agencies that use the wording (of one province, if given), each with its items."""
        return [
            (agency, lines)
            for agency, lines in use.by_agency()
            if province is None or self._provinces_by_slug[agency.slug] == province
        ]
