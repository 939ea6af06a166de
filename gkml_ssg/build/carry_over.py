"""What a build takes over from the previous one without reading it again: the agencies whose
file and history are unchanged, and the pages that list other pages when no edited agency changed
what they show. Each decision compares keys, digests and summary heads the manifest recorded."""

from __future__ import annotations

from gkml_ssg.content.history import SourceHistory
from gkml_ssg.site.summaries import AgencySummary, SummaryHead
from gkml_ssg.build.manifest import Manifest, SourceFile, combined_key
from gkml_ssg.render.parallel import AGENCY_UNIT_PREFIX, agency_unit, is_listing_unit
from gkml_ssg.site.graph import SiteGraph


def agency_key(settings: str, source_path: str, source_digest: str, history: SourceHistory) -> str:
    """An agency's pages are made from its file, its file's git history and the settings alone
    (and whether the site has a history at all: every page links to the feed then)."""
    return combined_key(settings, source_path, source_digest, history.key(source_path), str(bool(history.commits)))


def unchanged_agencies(
    previous: Manifest, heads: dict[str, SummaryHead], scanned: dict[str, SourceFile], settings: str, history: SourceHistory
) -> dict[str, SummaryHead]:
    """The agencies whose file and pages are as the previous build left them (their files need not
    be read), by source path; `heads` are those the previous build summarised."""
    kept = {}
    for path, head in heads.items():
        source = scanned.get(path)
        key = agency_key(settings, path, head.source_digest, history)
        if source is not None and source.digest == head.source_digest and not previous.changed(agency_unit(head.slug), key):
            kept[path] = head
    return kept


def lists_unchanged(previous: Manifest, heads: dict[str, SummaryHead], site: SiteGraph) -> bool:
    """Whether every page that lists other pages is as the previous build left it: the same agencies,
    none of them changed in what the lists show, the same git history (the feed shows it), and
    every list built (none left pending)."""
    lists = [key for name, key in previous.keys.items() if is_listing_unit(name)]
    return (
        previous.history == site.history.head
        and {head.source_path for head in site.heads} == set(heads)
        and all(heads[summary.source_path].listed == summary.head.listed for summary in site.fresh)
        and bool(lists)
        and all(lists)
    )


def kept_summaries(previous: Manifest, kept: dict[str, SummaryHead]) -> tuple[AgencySummary, ...] | None:
    """The summaries of the agencies kept, or None when any cannot be read back."""
    if not kept:
        return ()
    found = previous.summaries()
    if any(path not in found or found[path].source_digest != head.source_digest for path, head in kept.items()):
        return None
    return tuple(found[path] for path in kept)


def sources_read(scanned: dict[str, SourceFile], read: dict[str, str]) -> dict[str, SourceFile]:
    """The files as scanned, except those whose bytes changed between the scan and the reading:
    their digest is of what was read, and their size and time are unknown, so the next build reads
    them again."""
    sources = dict(scanned)
    for path, found in read.items():
        if path not in sources or sources[path].digest != found:
            sources[path] = SourceFile(found)
    return {path: sources[path] for path in sorted(sources) if path in scanned or path in read}


def changed_agencies(previous: Manifest, keys: dict[str, str], kept: set[str]) -> set[str]:
    """The slugs of agencies added, edited or removed since the previous build (`kept` ones did not)."""
    names = {name for name, key in keys.items() if name.startswith(AGENCY_UNIT_PREFIX) and previous.changed(name, key)}
    present = set(keys) | {agency_unit(slug) for slug in kept}
    names |= {name for name in previous.keys if name.startswith(AGENCY_UNIT_PREFIX) and name not in present}
    return {name.removeprefix(AGENCY_UNIT_PREFIX) for name in names}
