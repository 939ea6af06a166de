"""The one owner of a build's state: what the previous build recorded, the sources as they are now,
which agencies are loaded and which are carried over, their nodes and summaries, the units' keys,
the search index's plan, and whether the previous build finished.

The stages are handed what they need from here; none of them loads content or reads the manifest
on its own. `BuildState.load` decides, once, which content files the build reads: the changed
agencies' first (an agency's slug and pages are known only once its file is read), then those of
the search shards they make stale. Every file is read by `_load`. When the edits go into the edit
bundle first, the stale shards' other agencies are read after the site is current
(`agency_nodes`), so that an editor waits only for the edited files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gkml_ssg.audit.coverage import unknown_numbers
from gkml_ssg.build.index_units import IndexPlan, edits_apply, plan_index
from gkml_ssg.build.manifest import BuildRecord, Manifest, agency_key, build_finished, sources_as_read
from gkml_ssg.build.options import BuildOptions, portal_assets, settings_key, static_files
from gkml_ssg.build.region import in_region, own_heads, region_errors, region_paths
from gkml_ssg.content.cache import ContentCache
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.content.history import NO_HISTORY, SourceHistory, git_head, read_history
from gkml_ssg.content.load import SITE_CONFIG_NAME, Content, SourceFile, load_content, scan_sources
from gkml_ssg.content.references import Reference, load_references, references_digest, site_reference_files
from gkml_ssg.keys import (
    CATALOGUE_UNIT,
    agency_unit,
    code_version,
    combined_key,
    is_agency_unit,
    is_listing_unit,
    listing_unit,
)
from gkml_ssg.site.graph import SiteGraph, agency_graph, is_gathered, with_lists
from gkml_ssg.site.list_inputs import listing_inputs
from gkml_ssg.site.nodes import AgencyNode, agency_nodes, catalogue_items, summarise
from gkml_ssg.site.slugs import agency_slug_conflicts
from gkml_ssg.site.summaries import AgencySummary, SummaryHead


@dataclass
class BuildState:
    """One build's knowledge, filled in order: `start` reads the previous build's record and
    scans the sources; `load` decides what to read, reads it, assembles the page graph and plans
    the search index; the stages then take what they need from here, and `record` says what the
    manifest keeps. It is the only holder of this state: no stage keeps any of its own."""

    options: BuildOptions
    previous: Manifest
    assets: dict[str, bytes]  # static/
    scanned: dict[str, SourceFile] | None  # the content files; None when the scan found errors (loading reports them)
    settings: str  # see `settings_key`
    checked_out: str  # the git commit whose history the pages show ("" outside git)
    cache: ContentCache | None
    reference_files: list[tuple[str, Path]]  # the reference catalogues' files (see `content.references`)
    # Made by `load`:
    references: tuple[Reference, ...] = ()
    history: SourceHistory = NO_HISTORY
    site: SiteGraph | None = None
    nodes: dict[str, AgencyNode] = field(default_factory=dict)  # every agency loaded, by slug
    fresh: tuple[AgencySummary, ...] = ()  # the loaded agencies' summaries
    heads: tuple[SummaryHead, ...] = ()  # every agency's, in page-graph order
    kept: dict[str, SummaryHead] = field(default_factory=dict)  # by source path: agencies not loaded, their pages as they were
    kept_lists: dict[str, str] = field(default_factory=dict)  # list pages carried over unrendered, with their keys
    sources: dict[str, SourceFile] = field(default_factory=dict)  # what the manifest will record of the content files
    site_config_digest: str = ""
    keys: dict[str, str] = field(default_factory=dict)  # of every unit this build renders
    index: IndexPlan | None = None  # the search shards, when the build makes a search index
    changed: set[str] = field(default_factory=set)  # slugs of the agencies added, edited or removed
    edits_first: bool = False  # the changed agencies go into the edit bundle before their shards
    dropped: tuple[str, ...] = ()  # files of agencies the previous build held and this one does not

    @classmethod
    def start(cls, options: BuildOptions) -> BuildState:
        previous = Manifest.read(options.out)
        assets = static_files(options.static_folders)
        scanned = scan_sources(options.source, previous.sources)
        digests = {path: source.digest for path, source in (scanned or {}).items()}
        references = site_reference_files(options.source)
        settings = settings_key(options, assets, digests.get(SITE_CONFIG_NAME, ""), references_digest(references))
        cache = ContentCache(options.cache) if options.cache else None
        # The pages show the git history of their files: a new commit is a change even when no file is.
        return cls(options, previous, assets, scanned, settings, git_head(options.source), cache, references)

    @property
    def digests(self) -> dict[str, str]:
        return {path: source.digest for path, source in (self.scanned or {}).items()}

    def unchanged(self) -> bool:
        """Whether the previous build is what this one would write: it finished, with the same
        sources, settings and history, and with a search index when one is asked for."""
        previous = self.previous
        return (
            self.scanned is not None
            and build_finished(previous)
            and (CATALOGUE_UNIT in previous.keys) == self.options.search_index
            and self.digests == previous.digests
            and self.settings == previous.settings
            and self.checked_out == previous.history
            and previous.region == self.region
        )

    @property
    def region(self) -> str:  # the region this build makes (`--only`), "" for the whole site
        return str(self.options.only) if self.options.only is not None else ""

    def load(self) -> SiteGraph:
        """Load what changed and assemble the page graph: agencies whose file and history are as
        the previous build left them are not read, and the lists are the previous build's when no
        edited agency changed what they show. Raises ContentInvalid with every error found."""
        previous = self.previous
        self.history = read_history(self.options.source, self.checked_out)
        references, errors = load_references(self.reference_files, self.cache)
        if errors:
            raise ContentInvalid(errors)
        self.references = tuple(references)
        heads = previous.summary_heads() if self.scanned is not None and self.settings == previous.settings else {}
        heads = own_heads(heads, previous, self.options.only)
        self.kept = self._unchanged_agencies(heads)
        only = self.options.only
        if only is not None and self.scanned is not None:
            content = self._load(region_paths(self.options.source, self.scanned, previous, heads, only) - set(self.kept))
        else:
            content = self._load(set(self.scanned or ()) - set(self.kept) - {SITE_CONFIG_NAME} if self.kept else None)
        if content.sources[SITE_CONFIG_NAME] != self.digests.get(SITE_CONFIG_NAME):
            # the scan failed, or site.yml changed since: every page depends on it
            self.settings = settings_key(
                self.options, self.assets, content.sources[SITE_CONFIG_NAME], references_digest(self.reference_files)
            )
            if self.kept:
                self.kept, content = {}, self._load_every_agency()
        self.assets = portal_assets(self.assets, content.config)
        site = self._agency_graph(content)
        if only is not None:
            # a part of the site: its agencies' pages and shards; the lists are the merge's
            site = dataclasses.replace(site, pages=tuple(page for page in site.pages if page.agency is not None))
        elif self.kept and self._lists_unchanged(heads):
            self.kept_lists = {name: key for name, key in previous.keys.items() if is_listing_unit(name)}
        else:
            kept_summaries = self._kept_summaries()
            if kept_summaries is None:  # unreadable: every agency is loaded instead
                self.kept, content = {}, self._load_every_agency()
                site = self._agency_graph(content)
                kept_summaries = ()
            summaries = tuple(sorted((*self.fresh, *kept_summaries), key=lambda s: s.source_path))
            site = with_lists(site, summaries)
        self.sources = sources_as_read(self.scanned or {}, content.sources)
        # an agency of the region's previous build that is neither kept nor loaded has left it
        self.dropped = tuple(sorted(set(heads) - set(self.kept) - {summary.source_path for summary in self.fresh}))
        self.site = site
        self.keys = self.unit_keys()
        self.changed = self._changed_agencies()
        if self.options.search_index:
            partition = site.config.partition
            self.index = plan_index(self.heads, self.page_count, previous, self._index_settings(), self.options.shard_pages, partition)
            self.edits_first = only is None and edits_apply(self.index, previous, self.changed)
            if not self.edits_first:
                self.load_agencies(self.index.slugs_to_index())
        return site

    def index_nodes(self) -> dict[str, AgencyNode]:
        """The agencies the index stage indexes now: the changed ones for the edit bundle, or
        those of the stale shards (loaded by `load`)."""
        assert self.index is not None
        return self._nodes(self.changed if self.edits_first else self.index.slugs_to_index())

    def agency_nodes(self, slugs: Iterable[str]) -> dict[str, AgencyNode]:
        """The nodes of these agencies, read now if the build had not (to index them)."""
        wanted = set(slugs)
        self.load_agencies(wanted)
        return self._nodes(wanted)

    def index_without_edits(self) -> None:
        """Index the stale shards directly rather than through an edit bundle first."""
        assert self.index is not None
        self.edits_first = False
        self.load_agencies(self.index.slugs_to_index())

    def _nodes(self, slugs: set[str]) -> dict[str, AgencyNode]:
        return {slug: self.nodes[slug] for slug in slugs if slug in self.nodes}

    def record(self) -> BuildRecord:
        """What the manifest keeps of this build besides its units: the settings, the sources as
        read, the summaries made, and the git commit the pages show. Every agency was loaded
        unless some were kept: then their summaries replace all others."""
        return BuildRecord(self.settings, self.sources, self.fresh, not self.kept, self.checked_out, self.region, self.dropped)

    def load_agencies(self, slugs: set[str]) -> None:
        """Load the agencies among these that were carried over unread (to index them)."""
        paths = {head.source_path for head in self.kept.values() if head.slug in slugs and head.slug not in self.nodes}
        if paths:
            content = self._load(paths)
            nodes, errors = agency_nodes(content, self.history)
            if errors:
                raise ContentInvalid(errors)
            self.nodes |= {node.slug: node for node in nodes}

    @property
    def page_count(self) -> int:
        """Every page of the site: every agency's, loaded or not, and the lists."""
        assert self.site is not None
        return len(self.site.list_pages) + sum(head.page_count for head in self.heads) + len(self.kept_lists)

    def unit_keys(self) -> dict[str, str]:
        """The key of every unit this build renders: what its pages are made from (of a merge: its lists)."""
        assert self.site is not None
        site, settings = self.site, self.settings
        keys = {
            agency_unit(node.slug): agency_key(settings, node.source.path, node.source.digest, self.history)
            for node in self.nodes.values()
            if node.source.path not in self.kept
        }
        keys |= {
            listing_unit(page.output): combined_key(settings, *listing_inputs(site, page))
            for page in site.list_pages
            if not is_gathered(page)
        }
        return keys

    def _changed_agencies(self) -> set[str]:
        """The slugs of agencies added, edited or removed since the previous build."""
        previous, keys = self.previous, self.keys
        names = {name for name, key in keys.items() if is_agency_unit(name) and previous.changed(name, key)}
        present = set(keys) | {agency_unit(head.slug) for head in self.kept.values()}
        names |= {name for name in previous.keys if is_agency_unit(name) and name not in present}
        return {name.split(":", 1)[1] for name in names}

    def _index_settings(self) -> str:
        """What every search shard is made from besides its agencies' files."""
        return combined_key(code_version(), self.site_config_digest, self.options.base_url or "")

    def _load(self, only: set[str] | None) -> Content:
        """The one place a build reads content files: these (all, with None) and site.yml; of a
        build of one region, the agencies of that region."""
        content = load_content(self.options.source, self.cache, self.options.workers, only)
        self.site_config_digest = content.sources[SITE_CONFIG_NAME]
        if self.options.only is None:
            return content
        errors = region_errors(content.config, self.options.only)
        if errors:
            raise ContentInvalid(errors)
        return in_region(content, self.options.only)

    def _load_every_agency(self) -> Content:
        """Every agency's file (of the region, for a build of one)."""
        only = self.options.only
        if only is None or self.scanned is None:
            return self._load(None)
        return self._load(region_paths(self.options.source, self.scanned, Manifest(), (), only))

    def _agency_graph(self, content: Content) -> SiteGraph:
        nodes, errors = agency_nodes(content, self.history)
        self.nodes = {node.slug: node for node in nodes}
        self.fresh = tuple(summarise(node) for node in nodes)
        loaded = {summary.source_path for summary in self.fresh}
        kept_heads = (head for head in self.kept.values() if head.source_path not in loaded)
        self.heads = tuple(sorted((*(s.head for s in self.fresh), *kept_heads), key=lambda head: head.source_path))
        errors += agency_slug_conflicts(nodes, self.heads)
        errors += unknown_numbers(list(self.references), catalogue_items(nodes))
        if errors:
            raise ContentInvalid(errors)
        return agency_graph(content.config, self.options.base_url, nodes, self.history, self.references)

    def _unchanged_agencies(self, heads: dict[str, SummaryHead]) -> dict[str, SummaryHead]:
        """The agencies whose file and pages are as the previous build left them, by source path;
        `heads` are those the previous build summarised."""
        kept = {}
        for path, head in heads.items():
            source = (self.scanned or {}).get(path)
            key = agency_key(self.settings, path, head.source_digest, self.history)
            if source is not None and source.digest == head.source_digest and not self.previous.changed(agency_unit(head.slug), key):
                kept[path] = head
        return kept

    def _lists_unchanged(self, heads: dict[str, SummaryHead]) -> bool:
        """Whether every page that lists other pages is as the previous build left it: the same
        agencies, none of them changed in what the lists show, the same git history (the feed
        shows it), and every list built (none left pending)."""
        lists = [key for name, key in self.previous.keys.items() if is_listing_unit(name)]
        return (
            self.previous.history == self.history.head
            and {head.source_path for head in self.heads} == set(heads)
            and all(heads[summary.source_path].listed == summary.head.listed for summary in self.fresh)
            and bool(lists)
            and all(lists)
        )

    def _kept_summaries(self) -> tuple[AgencySummary, ...] | None:
        """The summaries of the agencies kept, or None when any cannot be read back."""
        if not self.kept:
            return ()
        found = self.previous.summaries()
        if any(path not in found or found[path].source_digest != head.source_digest for path, head in self.kept.items()):
            return None
        return tuple(found[path] for path in self.kept)
