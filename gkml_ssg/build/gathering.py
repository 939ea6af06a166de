"""The unit of the site's downloads: every agency's lists gathered into one CSV each and one
workbook, the data package that describes every CSV, and the downloads page that links them.

It is made after the agencies' units are staged, from the CSVs those units hold (the files just
rendered, or those an unchanged agency left in the output folder, checked against the manifest),
so that it never needs the agencies that were not loaded. Its key is made of every agency's key:
it is made again when any agency changes, and only then.
"""

from __future__ import annotations

from gkml_ssg.build.state import BuildState
from gkml_ssg.build.write import Unit, WriteTransaction
from gkml_ssg.content.errors import ContentError, ContentInvalid
from gkml_ssg.keys import DOWNLOADS_UNIT, agency_unit, combined_key
from gkml_ssg.render.datapackage import AgencyCsv, CsvFile, data_package, schema_path, table_schema
from gkml_ssg.render.gathered import GatheredTable, HeadersDiffer, csv_rows, gathered_csv, gathered_workbook
from gkml_ssg.render.renderer import Renderer
from gkml_ssg.site.graph import Page
from gkml_ssg.site.kinds import DATA_PACKAGE, DOWNLOADS_FOLDER, GATHERED_LISTS, SITE_WORKBOOK, GatheredList, PageKind
from gkml_ssg.site.nodes import agency_path


def downloads_unit(state: BuildState, transaction: WriteTransaction, renderer: Renderer) -> Unit:
    """The unit, with its files when any agency changed since the previous build."""
    site = state.site
    assert site is not None
    heads = state.heads
    units = [agency_unit(head.slug) for head in heads]
    key = combined_key(state.settings, DOWNLOADS_UNIT, *(state.keys.get(unit) or state.previous.keys[unit] for unit in units))
    if not state.previous.changed(DOWNLOADS_UNIT, key):
        return Unit(DOWNLOADS_UNIT, key, None)

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
        files[schema_path(listed)] = table_schema(listed, csv_rows(data.partition(b"\n")[0])[0])
        gathered.append((listed, CsvFile(path, data)))
        tables.append(GatheredTable(listed.title, data))
    if tables:
        files[DOWNLOADS_FOLDER + SITE_WORKBOOK] = gathered_workbook(tables)
        files[DATA_PACKAGE] = data_package(site.config, site.absolute_url(""), gathered, agency_files)
    page = Page(PageKind.DOWNLOADS, DOWNLOADS_FOLDER, "数据下载")
    files |= renderer.render(site, page, made=files)
    return Unit(DOWNLOADS_UNIT, key, files)


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
    rows = csv_rows(proactive or b"")
    return rows[1][0] if len(rows) > 1 and rows[1] else slug
