"""The unit of the site's downloads: every agency's lists gathered into one CSV each and one
workbook, the data package that describes every CSV, and the downloads page that links them.

It is made after the agencies' units are staged, from the CSVs those units hold (the files just
rendered, or those an unchanged agency left in the output folder, checked against the manifest),
so that it never needs the agencies that were not loaded. Its key is made of every agency's key:
it is made again when any agency changes, and only then.
"""

from __future__ import annotations

import itertools
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

from gkml_ssg.build.state import BuildState
from gkml_ssg.build.write import Unit, WriteTransaction
from gkml_ssg.content.errors import ContentError, ContentInvalid
from gkml_ssg.keys import DOWNLOADS_UNIT, agency_unit, combined_key
from gkml_ssg.render.datapackage import AgencyCsv, CsvFile, data_package, schema_path, table_schema
from gkml_ssg.render.gathered import GatheredTable, HeadersDiffer, csv_rows, gathered_csv, gathered_workbook
from gkml_ssg.render.renderer import Renderer
from gkml_ssg.site.graph import Page, SiteGraph
from gkml_ssg.site.kinds import DATA_PACKAGE, DOWNLOADS_FOLDER, GATHERED_LISTS, SITE_WORKBOOK, GatheredList, PageKind
from gkml_ssg.site.nodes import agency_path


class Gathering:
    """The site's downloads being made. The workbook, the one slow part, is written in a child
    process when `background` asks for it, while the build indexes the site on the other core;
    `unit` waits for it and renders the downloads page with the files' sizes. Use it in a `with`
    block: leaving it stops the child."""

    def __init__(self, key: str, files: dict[str, bytes] | None, tables: list[GatheredTable], background: bool):
        self.key, self._files, self._tables = key, files, tables
        self._pool: ProcessPoolExecutor | None = None
        self._workbook: Future[bytes] | None = None
        if files is not None and tables and background and "fork" in multiprocessing.get_all_start_methods():
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            self._workbook = self._pool.submit(gathered_workbook, tables)

    def __enter__(self) -> Gathering:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def unit(self, site: SiteGraph, renderer: Renderer) -> Unit:
        if self._files is None:
            return Unit(DOWNLOADS_UNIT, self.key, None)
        files = dict(self._files)
        if self._tables:
            files[DOWNLOADS_FOLDER + SITE_WORKBOOK] = self._workbook.result() if self._workbook else gathered_workbook(self._tables)
        page = Page(PageKind.DOWNLOADS, DOWNLOADS_FOLDER, "数据下载")
        files |= renderer.render(site, page, made=files)
        return Unit(DOWNLOADS_UNIT, self.key, files)


def start_gathering(state: BuildState, transaction: WriteTransaction, renderer: Renderer, background: bool) -> Gathering:
    """The site's downloads, gathered when any agency changed since the previous build (else the
    unit is kept as it is)."""
    site, previous = state.site, transaction.previous
    assert site is not None
    heads = state.heads
    units = [agency_unit(head.slug) for head in heads]
    key = combined_key(state.settings, DOWNLOADS_UNIT, *(state.keys.get(unit) or previous.keys[unit] for unit in units))
    if not previous.changed(DOWNLOADS_UNIT, key):
        return Gathering(key, None, [], background)

    parts: dict[str, list[bytes]] = {listed.file: [] for listed in GATHERED_LISTS}
    agency_files: list[AgencyCsv] = []
    for head, unit in zip(heads, units, strict=True):
        found = {listed.file: transaction.read(unit, agency_path(head.slug) + listed.file) for listed in GATHERED_LISTS}
        if any(data is None for data in found.values()):
            found = _render_again(state, renderer, head.slug)
        for listed in GATHERED_LISTS:
            data = found[listed.file]
            assert data is not None
            parts[listed.file].append(data)
        name = _agency_name(state, head.slug, found[GATHERED_LISTS[0].file])
        agency_files += [AgencyCsv(listed, head.slug, name, agency_path(head.slug) + listed.file) for listed in GATHERED_LISTS]

    files: dict[str, bytes] = {}
    gathered: list[tuple[GatheredList, CsvFile]] = []
    tables = []
    for listed in GATHERED_LISTS:
        if not parts[listed.file]:
            continue  # a site without agencies has no lists to gather
        try:
            data = gathered_csv(parts[listed.file])
        except HeadersDiffer as error:
            raise ContentInvalid([ContentError(f"templates/{listed.file}", f"各机构的 {listed.file} 表头不一致：{error}")]) from None
        path = DOWNLOADS_FOLDER + listed.file
        files[path] = data
        files[schema_path(listed)] = table_schema(listed, next(csv_rows(data.partition(b"\n")[0])))
        gathered.append((listed, CsvFile(path, data)))
        tables.append(GatheredTable(listed.title, data))
    if tables:
        files[DATA_PACKAGE] = data_package(site.config, site.absolute_url(""), gathered, agency_files)
    return Gathering(key, files, tables, background)


def _render_again(state: BuildState, renderer: Renderer, slug: str) -> dict[str, bytes | None]:
    """An agency's CSVs made again, when the output folder no longer holds the ones its unit
    recorded (removed or edited by hand): its file is read if it was not."""
    state.load_agencies({slug})
    node = state.nodes[slug]
    assert state.site is not None
    files = renderer.render(state.site, Page(PageKind.AGENCY, node.path, node.agency.name, node))
    return {listed.file: files[node.path + listed.file] for listed in GATHERED_LISTS}


def _agency_name(state: BuildState, slug: str, proactive: bytes | None) -> str:
    """The agency's name: from its node when it was loaded, else from its CSV's first row."""
    if slug in state.nodes:
        return state.nodes[slug].agency.name
    first = next(itertools.islice(csv_rows(proactive or b""), 1, 2), None)  # under the header
    return first[0] if first else slug
