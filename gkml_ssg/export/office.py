"""The export's entry point: an agency → the bytes of its catalogue as an .xlsx or .docx file.

The layout is made once (`agency_layout`) and handed to the writer of the form asked for; the
writer's file is then made deterministic (`archive.fixed_zip`), so that exporting an unchanged
agency gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from gkml_ssg.content.model import Agency
from gkml_ssg.export.archive import fixed_zip
from gkml_ssg.export.catalogue import catalogue_table, paragraphs_after, paragraphs_before
from gkml_ssg.export.excel import write_xlsx
from gkml_ssg.export.layout import Layout
from gkml_ssg.export.lists import attachments, notes_table
from gkml_ssg.export.word import write_docx

WRITERS: dict[str, Callable[[Layout], bytes]] = {"xlsx": write_xlsx, "docx": write_docx}
FORMS = tuple(WRITERS)


def agency_layout(agency: Agency) -> Layout:
    """What the exported file holds, in order, whatever its form."""
    return Layout(
        title=agency.catalogue_title,
        before=tuple(paragraphs_before(agency)),
        catalogue=catalogue_table(agency.catalogue),
        after=tuple(paragraphs_after(agency)),
        attachments=tuple(attachments(agency)),
        notes=notes_table(agency),
    )


def export_agency(agency: Agency, form: str) -> bytes:
    """The agency as the officers' table, `form` "xlsx" (Excel) or "docx" (Word).

    Raises ValueError for any other form, and for a text Excel cannot hold in one cell (over
    32,767 characters) rather than cutting it short."""
    writer = WRITERS.get(form)
    if writer is None:
        raise ValueError(f"不支持导出为“{form}”格式，请选择 {' 或 '.join(FORMS)}")
    return fixed_zip(writer(agency_layout(agency)))
