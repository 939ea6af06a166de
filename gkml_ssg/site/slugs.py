"""Slugs that two pages would share: two entries of one agency, or two agencies. Either is an
error in Chinese naming both, before anything is written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gkml_ssg.content.errors import ContentError

if TYPE_CHECKING:  # site.py imports this module: its types are for the signatures only
    from gkml_ssg.site.summaries import SummaryHead
    from gkml_ssg.content.load import AgencySource
    from gkml_ssg.site.graph import AgencyNode, EntryNode, PageKind


def check_unique_entry_slugs(source: AgencySource, entries: list[EntryNode], errors: list[ContentError]) -> None:
    seen: dict[tuple[PageKind, str], EntryNode] = {}
    for entry in entries:
        key = (entry.kind, entry.slug)
        if key in seen:
            first = seen[key].data.origin
            errors.append(
                ContentError(
                    source.path,
                    f"网址标识“{entry.slug}”重复（第 {first.line} 行的“{seen[key].title}”已使用）"
                    if first
                    else f"网址标识“{entry.slug}”重复",
                    entry.data.origin,
                    "网址标识",
                    "每个条目的网址标识必须不同；数字标识会与按顺序自动编号的条目冲突",
                    code="slug-conflict",
                )
            )
        else:
            seen[key] = entry


def check_unique_agency_slugs(
    agencies: tuple[AgencyNode, ...], summaries: tuple[SummaryHead, ...], errors: list[ContentError]
) -> None:
    """Two agencies with one slug: the error goes to a loaded file (the one just edited, when the
    other was not loaded), or to the later of two loaded files."""
    loaded = {agency.source.path: agency for agency in agencies}
    first: dict[str, SummaryHead] = {}
    for summary in summaries:
        other = first.setdefault(summary.slug, summary)
        if other is summary:
            continue
        blamed, named = (summary, other) if summary.source_path in loaded else (other, summary)
        agency = loaded.get(blamed.source_path)
        errors.append(
            ContentError(
                blamed.source_path,
                f"网址标识“{summary.slug}”与 {named.source_path} 重复",
                agency.agency.origin if agency else None,
                "网址标识",
                "请为其中一个机构填写不同的“网址标识”",
                code="slug-conflict",
            )
        )
