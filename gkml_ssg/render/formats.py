"""Output formats: how a value a template writes is escaped for the syntax of the file it lands in.

A page kind declares its outputs (`site.kinds.Output`): each names a format and a template. HTML
and XML escape every value (markup-safe values, such as rendered Markdown, pass as they are); plain
text writes values as they are; JSON writes each value as a JSON literal; CSV writes each value as
one quoted cell that a spreadsheet never takes for a formula. Each format gets a template
environment of its own, because the escaping is compiled into the template's code.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gkml_ssg.export.office import export_agency

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell a spreadsheet would evaluate: =, +, - and @ start a formula; tab and carriage return
# are stripped by some readers before one of those.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_GUARDED = (*_FORMULA_STARTS, GUARD)


@dataclass(frozen=True)
class OutputFormat:
    name: str
    media_type: str
    autoescape: bool  # HTML/XML escaping of every value
    finalize: Callable[[Any], Any] | None = None  # how a value is written, when not autoescaped
    # A binary format is made by a producer from the page, not by a template.
    produce: Callable[[Any], bytes] | None = None


def json_value(value: Any) -> str:
    """A value as a JSON literal (enums by their value, tuples as arrays)."""
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} 不能写成 JSON")


def csv_cell(value: Any) -> str:
    """A value as one CSV cell (RFC 4180 quoting); text that starts like a formula gets a leading
    apostrophe, which spreadsheets show as text (OWASP's rule for CSV injection). Text that starts
    with an apostrophe gets one more, so that `csv_text` gives back exactly what was written."""
    text = "" if value is None else str(value.value if isinstance(value, enum.Enum) else value)
    if text.startswith(_GUARDED):
        text = GUARD + text
    return '"' + text.replace('"', '""') + '"'


def csv_text(cell: str) -> str:
    """The text a CSV cell made by `csv_cell` was made from (its quoting already read)."""
    return cell.removeprefix(GUARD)


FORMATS: dict[str, OutputFormat] = {
    spec.name: spec
    for spec in (
        OutputFormat("html", "text/html", autoescape=True),
        OutputFormat("xml", "application/xml", autoescape=True),  # the HTML escapes are XML's five
        OutputFormat("text", "text/plain", autoescape=False),
        OutputFormat("json", "application/json", autoescape=False, finalize=json_value),
        OutputFormat("csv", "text/csv", autoescape=False, finalize=csv_cell),
        # the officers' table form, by the writer of `gkml export`: every cell text, never a formula
        OutputFormat("xlsx", XLSX_MEDIA_TYPE, autoescape=False, produce=lambda page: export_agency(page.agency.agency, "xlsx")),
    )
}
