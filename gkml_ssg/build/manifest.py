"""The build manifest: what the last build was made from, and which files each part of it wrote.

A site is built in units: one per agency (its page and its entries' pages), one per page that lists
other pages, one for the static files, one per search shard and one for their catalogue. A unit's
key is a hash of everything its files are made from; a build re-renders only units whose key
changed, writes only files whose bytes changed, and deletes files whose unit is gone. The manifest
also keeps each agency's summary (what the site's lists show of it, see `listing`) and each content
file's size and time, so that a build after an edit reads and decodes only the files that changed.

It is an SQLite database inside the output folder (not published: its name starts with a dot), so
a build reads only the rows it needs and rewrites only the rows that changed: at 2,500 agencies the
units list 285,000 files. Every change is a transaction; while files are being swapped the units
being touched have no key, so a build that dies half way is repaired by the next one.
"""

from __future__ import annotations

import json
import pickle
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gkml_ssg.content.history import SourceHistory
from gkml_ssg.content.load import SourceFile
from gkml_ssg.keys import DOWNLOADS_UNIT, EDITS_UNIT, combined_key, gkml_version, is_listing_unit
from gkml_ssg.site.summaries import AgencySummary, SummaryHead

MANIFEST_NAME = ".gkml-manifest.sqlite"
FORMAT = "6"
# A file changed less than this long before its size and time were recorded could change again
# within the same clock tick, unseen: such a file is read again next time (as git does).
_RACY_NS = 2_000_000_000

_TABLES = {
    "meta": "name TEXT PRIMARY KEY, value TEXT NOT NULL",
    "sources": "path TEXT PRIMARY KEY, digest TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL",
    "units": "name TEXT PRIMARY KEY, key TEXT NOT NULL, files INTEGER NOT NULL, outputs TEXT NOT NULL",
    "summaries": "path TEXT PRIMARY KEY, digest TEXT NOT NULL, slug TEXT NOT NULL, pages INTEGER NOT NULL, "
    "listed TEXT NOT NULL, province TEXT NOT NULL, city TEXT NOT NULL, summary BLOB NOT NULL",
}


@dataclass(frozen=True)
class BuildRecord:
    """What a build records besides its units' files (see `build.state.BuildState.record`)."""

    settings: str  # what every page depends on (see `build.options.settings_key`)
    sources: dict[str, SourceFile]  # the content files as read
    summaries: tuple[AgencySummary, ...] = ()  # the summaries made by this build
    every_summary: bool = False  # `summaries` are every agency's: they replace whatever was kept
    history: str | None = None  # the git commit the pages were made from (None: as before)
    region: str = ""  # the region built (`gkml build --only`), "" for the whole site
    dropped: tuple[str, ...] = ()  # files whose summaries go though the files stay (moved out of the region)


@dataclass(frozen=True)
class UnitRecord:
    key: str
    outputs: dict[str, str]  # output path → SHA-256 of its bytes


@dataclass
class Manifest:
    settings: str = ""  # hash of what every page depends on: code, templates, static, site.yml, options
    sources: dict[str, SourceFile] = field(default_factory=dict)  # content file → what was read
    keys: dict[str, str] = field(default_factory=dict)  # unit → its key ("" while its files are swapped)
    files: dict[str, int] = field(default_factory=dict)  # unit → how many files it wrote
    folder: Path | None = None  # the output folder it was read from; outputs and summaries are read there
    history: str = ""  # the git commit whose history the pages show ("" outside git)
    generator: str = ""  # the gkml that made the site: "gkml 0.1.0"
    region: str = ""  # the region it holds (a part: `gkml build --only`), "" for a whole site
    _reader: sqlite3.Connection | None = field(default=None, repr=False, compare=False)

    def changed(self, name: str, key: str) -> bool:
        """Whether unit `name` was not built from `key` last time (or not built at all)."""
        return self.keys.get(name) != key

    @property
    def digests(self) -> dict[str, str]:
        return {path: source.digest for path, source in self.sources.items()}

    def outputs(self, names: Iterable[str]) -> dict[str, dict[str, str]]:
        """The files each of these units wrote last time (output path → SHA-256)."""
        wanted = [name for name in names if name in self.keys]
        if not wanted or self.folder is None:
            return {}
        if self._reader is None:
            # kept open: a build asks for one unit's outputs at a time, thousands of times
            self._reader = _open(self.folder, create=False)
        found: dict[str, dict[str, str]] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self._reader.execute(f"SELECT name, outputs FROM units WHERE name IN ({','.join('?' * len(chunk))})", chunk)
            found.update((name, json.loads(outputs)) for name, outputs in rows)
        return found

    def summaries(self) -> dict[str, AgencySummary]:
        """Every agency summary kept, by source path; none if any cannot be read back (the build
        then loads every agency)."""
        if self.folder is None:
            return {}
        with _connect(self.folder) as connection:
            rows = connection.execute("SELECT summary FROM summaries").fetchall()
        try:
            found = [AgencySummary.from_row(pickle.loads(row)) for (row,) in rows]
        except (pickle.UnpicklingError, EOFError, TypeError, ValueError, AttributeError, ImportError):
            return {}
        return {summary.source_path: summary for summary in found}

    def summary_heads(self) -> dict[str, SummaryHead]:
        """Every agency summary's head, by source path, without reading the summaries."""
        if self.folder is None:
            return {}
        with _connect(self.folder) as connection:
            rows = connection.execute("SELECT path, digest, slug, pages, listed, province, city FROM summaries").fetchall()
        return {row[0]: SummaryHead(*row) for row in rows}

    def page_count(self) -> int:
        """The pages the build made: every agency's, and one per other page unit."""
        agencies = sum(head.page_count for head in self.summary_heads().values())
        return agencies + sum(1 for name in self.keys if is_listing_unit(name) or name == DOWNLOADS_UNIT)

    @classmethod
    def read(cls, out: Path) -> Manifest:
        """The manifest in `out`, or an empty one (a first build, or one from another version)."""
        if not (out / MANIFEST_NAME).is_file():
            return cls()
        try:
            with _connect(out) as connection:
                meta = dict(connection.execute("SELECT name, value FROM meta"))
                if meta.get("format") != FORMAT:
                    return cls()
                sources = {
                    path: SourceFile(digest, size, mtime_ns)
                    for path, digest, size, mtime_ns in connection.execute("SELECT path, digest, size, mtime_ns FROM sources")
                }
                keys, files = {}, {}
                for name, key, count in connection.execute("SELECT name, key, files FROM units"):
                    keys[name], files[name] = key, count
            return cls(
                meta.get("settings", ""), sources, keys, files, out, meta.get("history", ""), meta.get("generator", ""),
                meta.get("region", ""),
            )
        except sqlite3.Error:
            return cls()

    def mark_pending(self, out: Path, paths: dict[str, set[str]]) -> None:
        """Before files are swapped: these units lose their key and list every path they may
        leave behind, so that a build that dies now is repaired by the next one."""
        with _connect(out, create=True) as connection:
            self._claim(connection)
            connection.executemany(
                "INSERT OR REPLACE INTO units (name, key, files, outputs) VALUES (?, '', ?, ?)",
                [(name, len(found), _outputs_json(dict.fromkeys(found, ""))) for name, found in sorted(paths.items())],
            )
        for name in paths:
            self.keys[name] = ""
        self.folder = out

    def record(self, out: Path, build: BuildRecord, units: dict[str, UnitRecord], removed: Iterable[str]) -> Manifest:
        """After the swap: the units (re)built and removed, and what `build` says, in one
        transaction. Returns the manifest as it now is."""
        settings, sources, summaries, every_summary = build.settings, build.sources, build.summaries, build.every_summary
        history = self.history if build.history is None else build.history
        trusted = _trusted(sources)
        removed = set(removed)
        # Summaries are made by gkml's code, which is part of the settings: when they change, every
        # summary is replaced.
        every_summary = every_summary or settings != self.settings
        kept = {} if every_summary else {path: head.source_digest for path, head in self.summary_heads().items()}
        fresh = [s for s in summaries if kept.get(s.source_path) != s.source_digest]
        gone = [path for path in kept if path not in sources or path in build.dropped]
        with _connect(out, create=True) as connection:
            self._claim(connection)
            connection.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('settings', ?)", (settings,))
            connection.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('history', ?)", (history,))
            connection.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('region', ?)", (build.region,))
            # which gkml made the site, for whoever reads the folder later (`generator`)
            connection.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('generator', ?)", (f"gkml {gkml_version()}",))
            if every_summary:
                connection.execute("DELETE FROM summaries")
            if trusted != self.sources:
                connection.execute("DELETE FROM sources")
                connection.executemany(
                    "INSERT INTO sources (path, digest, size, mtime_ns) VALUES (?, ?, ?, ?)",
                    [(p, s.digest, s.size, s.mtime_ns) for p, s in sorted(trusted.items())],
                )
            connection.executemany(
                "INSERT OR REPLACE INTO units (name, key, files, outputs) VALUES (?, ?, ?, ?)",
                [(name, r.key, len(r.outputs), _outputs_json(r.outputs)) for name, r in sorted(units.items())],
            )
            connection.executemany("DELETE FROM units WHERE name = ?", [(name,) for name in sorted(removed)])
            connection.executemany(
                "INSERT OR REPLACE INTO summaries (path, digest, slug, pages, listed, province, city, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(*s.head, pickle.dumps(s.to_row(), pickle.HIGHEST_PROTOCOL)) for s in fresh],
            )
            connection.executemany("DELETE FROM summaries WHERE path = ?", [(path,) for path in sorted(gone)])
        keys = {name: key for name, key in self.keys.items() if name not in removed}
        keys.update((name, record.key) for name, record in units.items())
        files = {name: count for name, count in self.files.items() if name not in removed}
        files.update((name, len(record.outputs)) for name, record in units.items())
        return Manifest(settings, trusted, keys, files, out, history, f"gkml {gkml_version()}", build.region)

    def refresh_sources(self, out: Path, sources: dict[str, SourceFile]) -> None:
        """Record the sizes and times of files read again but unchanged (touched, or checked out
        anew), so that the next build need not read them."""
        if _trusted(sources) != self.sources:
            self.record(out, BuildRecord(self.settings, sources), {}, ())

    def _claim(self, connection: sqlite3.Connection) -> None:
        """A manifest that was not read from the folder (none, or another version's) replaces
        whatever the database holds, tables and all."""
        if self.folder is None:
            for table, columns in _TABLES.items():
                connection.execute(f"DROP TABLE IF EXISTS {table}")
                connection.execute(f"CREATE TABLE {table} ({columns})")
        connection.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('format', ?)", (FORMAT,))


class _connect:
    """A connection to the manifest in `out` whose `with` block is one transaction, closed after."""

    def __init__(self, out: Path, create: bool = False):
        self.connection = _open(out, create)
        self.created = create

    def __enter__(self) -> sqlite3.Connection:
        self.connection.execute("BEGIN IMMEDIATE" if self.created else "BEGIN")
        if self.created:
            for table, columns in _TABLES.items():
                self.connection.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        return self.connection

    def __exit__(self, error_type, *rest) -> None:
        try:
            self.connection.execute("ROLLBACK" if error_type else "COMMIT")
        finally:
            self.connection.close()


def _trusted(sources: dict[str, SourceFile]) -> dict[str, SourceFile]:
    """The sources with the size and time of those changed too recently to rely on them dropped."""
    now = time.time_ns()
    return {path: source if source.mtime_ns < now - _RACY_NS else SourceFile(source.digest) for path, source in sources.items()}


def _open(out: Path, create: bool) -> sqlite3.Connection:
    uri = f"{(out / MANIFEST_NAME).resolve().as_uri()}?mode={'rwc' if create else 'ro'}"
    return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)


def _outputs_json(outputs: dict[str, str]) -> str:
    return json.dumps(dict(sorted(outputs.items())), ensure_ascii=False, separators=(",", ":"))


def build_finished(manifest: Manifest) -> bool:
    """Whether the build that wrote `manifest` finished: it recorded units, none is left pending
    (a build that died while swapping files leaves their keys empty), and no edit bundle is
    waiting for its shards to be re-indexed."""
    return bool(manifest.keys) and all(manifest.keys.values()) and EDITS_UNIT not in manifest.keys


def agency_key(settings: str, source_path: str, source_digest: str, history: SourceHistory) -> str:
    """An agency's pages are made from its file, its file's git history and the settings alone
    (and whether the site has a history at all: every page links to the feed then)."""
    return combined_key(settings, source_path, source_digest, history.key(source_path), str(bool(history.commits)))


def sources_as_read(scanned: dict[str, SourceFile], read: dict[str, str]) -> dict[str, SourceFile]:
    """The files as scanned, except those whose bytes changed between the scan and the reading:
    their digest is of what was read, and their size and time are unknown, so the next build reads
    them again."""
    sources = dict(scanned)
    for path, found in read.items():
        if path not in sources or sources[path].digest != found:
            sources[path] = SourceFile(found)
    return {path: sources[path] for path in sorted(sources) if path in scanned or path in read}
