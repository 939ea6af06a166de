"""索引号: the identifier the national guide for disclosure catalogues gives every record
(政府信息公开目录系统实施指引: the organisation's code, the year, a serial; unique, never changed).

The rule here: `<机构代码>/<年份>-<序号>`, the serial five digits or more, counted per agency and
year from 1. An agency's code is its 统一社会信用代码 (18 characters, GB 32100-2015) or its older
组织机构代码 (9, GB 11714-1997), each with its check character verified. The numbers are written
into the content files by `gkml index-numbers` (`numbering`), never computed by a build, so that
they stay as they are whatever is edited; the agency file records the last number given
(索引号已编至), so that a deleted row's number is never given again.
"""

from __future__ import annotations

import re
from typing import Any

from gkml_ssg.content.fields import yaml_field

# A pinned number may come from an earlier platform: any code, the year, and serial parts.
INDEX_NUMBER_PATTERN = r"^[0-9A-Z]{8,18}(?:-[0-9X])?/\d{4}(?:-\d+)+$"
INDEX_NUMBER_HINT = "请写“机构代码/年份-序号”，如“11640205MB1234567X/2026-00001”"
AGENCY_CODE_PATTERN = r"^(?:[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}|[0-9A-Z]{8}-?[0-9X])$"
AGENCY_CODE_HINT = "请写 18 位统一社会信用代码（如“11640205MB1234567X”）或 9 位组织机构代码（如“01234567-8”）"
INDEX_MARK_PATTERN = r"^\d{4}-\d{5,}$"
SERIAL_DIGITS = 5

_CREDIT_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_NUMBER = re.compile(r"^(?P<code>[^/]+)/(?P<year>\d{4})-(?P<serial>\d+)$")


def credit_code_check(code: str) -> str:
    """The check character of an 18-character 统一社会信用代码 (its first 17 given)."""
    total = sum(_CREDIT_CHARACTERS.index(char) * weight for char, weight in zip(code[:17], _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARACTERS[(31 - total % 31) % 31]


def organisation_code_check(code: str) -> str:
    """The check character of a 9-character 组织机构代码 (its first 8 given)."""
    total = sum(int(char, 36) * weight for char, weight in zip(code[:8], _ORGANISATION_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def agency_code_problem(code: str) -> str | None:
    """Why a code of the right form is not a valid one (its check character), in Chinese."""
    if len(code) == 18:
        expected = credit_code_check(code)
        if code[17] != expected:
            return f"统一社会信用代码的校验位应为“{expected}”，不是“{code[17]}”：请核对代码是否抄错"
        return None
    body = code.replace("-", "")
    expected = organisation_code_check(body)
    if body[8] != expected:
        return f"组织机构代码的校验位应为“{expected}”，不是“{body[8]}”：请核对代码是否抄错"
    return None


def index_number(code: str, year: int, serial: int) -> str:
    return f"{code}/{year}-{serial:0{SERIAL_DIGITS}d}"


def mark_of(year: int, serial: int) -> str:
    """What 索引号已编至 records: the year and serial of the last number given."""
    return f"{year}-{serial:0{SERIAL_DIGITS}d}"


def parse_mark(mark: str | None) -> tuple[int, int] | None:
    if mark is None:
        return None
    year, _, serial = mark.partition("-")
    return int(year), int(serial)


def year_and_serial(number: str, code: str) -> tuple[int, int] | None:
    """The year and serial of a number of this rule made with `code`; None for another code's
    or another form's."""
    match = _NUMBER.match(number)
    if match is None or match["code"] != code:
        return None
    return int(match["year"]), int(match["serial"])


# The model's fields, declared here with the rule they follow.
def agency_code_field() -> Any:
    return yaml_field(
        "机构代码",
        "机构的统一社会信用代码（18 位）或组织机构代码（9 位）：索引号的前一段。",
        default=None, pattern=AGENCY_CODE_PATTERN, pattern_hint=AGENCY_CODE_HINT, check=agency_code_problem, searchable=False,
    )


def index_mark_field() -> Any:
    return yaml_field(
        "索引号已编至",
        "gkml index-numbers 记下的本机构最后编出的索引号的年份和序号，如“2026-00057”：删去的条目的序号不再重用。请勿手改。",
        default=None, pattern=INDEX_MARK_PATTERN, pattern_hint="请写“年份-序号”，如“2026-00057”", searchable=False,
    )


def index_number_field() -> Any:
    return yaml_field(
        "索引号",
        "索引号：机构代码/年份-序号，由 gkml index-numbers 编写，此后不再改变；原平台已有的索引号可照录。",
        default=None, pattern=INDEX_NUMBER_PATTERN, pattern_hint=INDEX_NUMBER_HINT, searchable=False,
    )
