"""One officer's file → one agency: the tables and lines placed, the model built, the YAML
written, and everything judged on the way reported."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from gkml_ssg.content.dump import dump_yaml
from gkml_ssg.content.load import decode_agency
from gkml_ssg.content.model import Agency, Category, Region
from gkml_ssg.form.columns import Column
from gkml_ssg.importing.attachments import negative_list, on_request_list
from gkml_ssg.importing.catalogue import catalogue
from gkml_ssg.importing.clean import without_forbidden
from gkml_ssg.importing.facts import apply_facts
from gkml_ssg.importing.mapping import MappingInvalid, load_mapping
from gkml_ssg.importing.options import ImportOptions
from gkml_ssg.importing.parts import Parts, agency_in_title
from gkml_ssg.importing.report import Report
from gkml_ssg.importing.summary import summarise
from gkml_ssg.importing.tables_read import Layout, TableKind, lay_out
from gkml_ssg.tables.grid import TableError
from gkml_ssg.tables.read import read_document


class ImportFailed(Exception):
    """Nothing useful could be read; the message is Chinese and names the file."""


@dataclass
class Imported:
    agency: Agency  # its region is empty when neither the table nor the options give one
    yaml: str
    report: Report


def import_file(path: Path | str, options: ImportOptions) -> Imported:
    """The agency an officer's table file holds, its YAML and the report; ImportFailed (Chinese,
    naming the file) when the file cannot be read or holds no catalogue table with rows."""
    path = Path(path)
    report = Report(path.name)
    try:
        mapping: dict[str, Column] = load_mapping(options.mapping) if options.mapping else {}
        document = read_document(path)
    except (TableError, MappingInvalid) as error:
        raise ImportFailed(str(error)) from error
    report.notes += [note.removeprefix(f"{path}：") for note in document.notes]
    document = without_forbidden(document, report)
    layout = lay_out(document, mapping, report)
    main = [placed for placed in layout.tables if placed.kind is TableKind.MAIN]
    if not main:
        found = "".join(f"\n  {note}" for note in report.notes)
        raise ImportFailed(f"{path}：没有找到主动公开目录表格（表头应有“二级事项”“公开内容”“公开依据”等列）{found}")
    parts, labels = _read_lines(layout)
    categories = catalogue([row for placed in main for row in placed.rows], report)
    if not categories:
        raise ImportFailed(f"{path}：目录表格中没有读到任何事项行")
    on_request = negative = None
    for index, placed in enumerate(layout.tables):
        label, title = labels[index]
        if placed.kind is TableKind.ON_REQUEST and on_request is None:
            on_request = on_request_list(placed.rows, label, title, report)
        elif placed.kind is TableKind.NEGATIVE and negative is None:
            negative = negative_list(placed.rows, label, title, report)
        elif placed.kind is not TableKind.MAIN:
            report.note(placed.grids[0].name, f"又一个{placed.kind.value}", "未导入；一个机构只有一份，请拆分文件")
    agency = _agency(path, options, parts, layout.facts, categories, report)
    agency = apply_facts(agency, layout.facts, options, report)
    agency = replace(agency, on_request=on_request, negative=negative)
    if report.table_remarks:
        remarks = [agency.remarks] if agency.remarks else []
        agency = replace(agency, remarks="".join(remarks + report.table_remarks))
    summarise(report, layout, agency, parts)
    comments = list(options.comments) + [f"请补填：{line}" for line in report.missing]
    text = dump_yaml(agency, comments)
    _, errors = decode_agency(path.with_suffix(".yml").name, text.encode())
    # The fields the report asks the officer to fill in are missing on purpose.
    asked = {line.split("：", 1)[0] for line in report.missing}
    report.errors += [error.format() for error in errors if not (error.code == "missing-field" and error.field in asked)]
    return Imported(agency, text, report)


def _read_lines(layout: Layout) -> tuple[Parts, list[tuple[str | None, str | None]]]:
    """The document's lines read; for each table, the label and title written right above it."""
    parts = Parts()
    labels: list[tuple[str | None, str | None]] = []
    for index, lines in enumerate(layout.lines):
        label = None
        parts.label_heading = None
        before_title = parts.title
        for line in lines:
            label = parts.read(line.text) or label
        title = None
        if index > 0 and index < len(layout.tables) and layout.tables[index].kind is not TableKind.MAIN:
            # An attachment's own heading: the line the title slot took, or the first other line.
            if parts.title is not before_title:
                title, parts.title = parts.title, before_title
            elif parts.others:
                title = parts.others.pop()
            else:
                title = parts.label_heading
        if index < len(layout.tables):
            labels.append((label, title))
    return parts, labels


def _agency(
    path: Path, options: ImportOptions, parts: Parts, facts: dict[str, str], categories: tuple[Category, ...], report: Report
) -> Agency:
    name = options.name or facts.get("机构名称") or None
    if name is None and parts.title is not None and (found := agency_in_title(parts.title)) is not None:
        name = found
        report.note("标题", f"机构名称取自标题“{parts.title}”", f"录入为“{found}”；如不对，请用 --name 指定")
        report.table_remarks.append("机构名称取自原表标题。")
    region = Region(*options.region) if options.region else Region("", "", "")
    return Agency(
        name=name or "",
        region=region,
        source_file=path.name,
        catalogue=categories,
        slug=options.slug,
        catalogue_title=parts.title,
        unit=parts.unit,
        form=parts.form(),
        declared=parts.declared,
        overview=parts.overview_value(),
        note="\n".join(parts.notes) or None,
    )
