"""The document's own lines around its tables: the title (and the agency named in it), 单位,
the declared counts, the overview, 注, the sign-off line, and the labels of attachments."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gkml_ssg.content.model import COUNT_MAXIMUM, DeclaredCounts, FormInfo, Overview
from gkml_ssg.form.citations import split_citations
from gkml_ssg.form.text import close_gaps

SIGN_OFF = {"责任单位": "unit", "填表人": "filled_by", "复核人": "reviewed_by", "审签人": "approved_by", "填表时间": "filled_on"}
OVERVIEW = {"公开依据": "basis", "责任主体": "responsible", "联系方式": "contact", "公开渠道": "channels", "监督渠道": "supervision"}
_SIGN_OFF_KEY = re.compile(rf"({'|'.join(SIGN_OFF)})\s*[：:]")
_OVERVIEW_KEY = re.compile(rf"^\s*(?:[一二三四五六七八九十\d]+[、.．]\s*)?({'|'.join(OVERVIEW)})\s*[：:]\s*(.*)$", re.S)
_LABEL = re.compile(r"^\s*附\s*件\s*(\d+)\s*[：:]?\s*(.*)$", re.S)
_NOTE = re.compile(r"^\s*注\s*[：:]\s*(.*)$", re.S)
_UNIT = re.compile(r"^\s*单位\s*[：:]\s*(.*)$", re.S)
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十\d]+[、.．]\s*)?(?:概述|基本目录|目录|说明)\s*$")
# An agency's name ends in the word for its kind of body; the title goes on with what it is.
_AGENCY = re.compile(r"^(?P<name>.+?(?:局|委员会|委|办公室|办|中心|院|厅|署|人民政府|政府|所|站|队|处|会|馆))(?=(?:\d{4}年度?)?(?:政务公开|政府信息|信息公开|主动公开|公开|目录|清单))")


@dataclass
class Parts:
    """What the lines say; `title` is the catalogue's name as written."""

    title: str | None = None
    unit: str | None = None
    declared: DeclaredCounts | None = None
    overview: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sign_off: dict[str, str] = field(default_factory=dict)
    others: list[str] = field(default_factory=list)  # lines none of these, for the report
    label_heading: str | None = None  # the words after the last attachment label read

    def read(self, text: str) -> str | None:
        """Take one line; returns the attachment label it is (`附件2`), else None."""
        written, text = text, close_gaps(text)
        if not text or _HEADING.match(text):
            return None
        if label := _LABEL.match(text):
            # `附件2：依申请公开清单`: the words after the label name the list when no line of its own does
            self.label_heading = label[2].strip() or None
            return f"附件{label[1]}"
        if note := _NOTE.match(written):
            self.notes.append(close_gaps(note[1], lines=True))  # running text: its lines are the officer's
        elif unit := _UNIT.match(text):
            self.unit = unit[1].strip() or None
        elif _SIGN_OFF_KEY.search(text):
            self.sign_off.update(_sign_off(text))
        elif (counts := declared_counts(text)) is not None:
            self.declared = counts
        elif overview := _OVERVIEW_KEY.match(text):
            key = OVERVIEW[overview[1]]
            value = overview[2].strip()
            if key == "basis":  # its line breaks part the documents
                raw = _OVERVIEW_KEY.match(written)
                self.overview[key] = split_citations(raw[2] if raw else value).entries
            else:
                self.overview[key] = value or None
        elif self.title is None:
            self.title = text
        else:
            self.others.append(text)
        return None

    def form(self) -> FormInfo | None:
        return FormInfo(**self.sign_off) if self.sign_off else None

    def overview_value(self) -> Overview | None:
        return Overview(**self.overview) if self.overview else None  # type: ignore[arg-type]


def declared_counts(text: str) -> DeclaredCounts | None:
    """`主动公开一级事项6项，二级事项37项；依申请公开二级事项0项` (a blank number stays unknown)."""
    compact = re.sub(r"\s+", "", text)
    request = re.search(r"依申请公开(?:的)?二级事项(\d*)项", compact)
    rest = compact.replace(request[0], "") if request else compact
    categories = re.search(r"主动公开(?:的)?一级事项(\d*)项", rest)
    items = re.search(r"(?:主动公开(?:的)?)?二级事项(\d*)项", rest)
    if not (categories or request or (items and "主动公开" in compact)):
        return None

    def number(match: re.Match[str] | None) -> int | None:
        # A count past any real catalogue's is not a count (gkml check would refuse it): left out.
        return int(match[1]) if match and match[1] and int(match[1]) <= COUNT_MAXIMUM else None

    return DeclaredCounts(number(categories), number(items), number(request))


def _sign_off(text: str) -> dict[str, str]:
    keys = list(_SIGN_OFF_KEY.finditer(text))
    found = {}
    for number, key in enumerate(keys):
        end = keys[number + 1].start() if number + 1 < len(keys) else len(text)
        value = text[key.end() : end].strip(" \t\u3000\n，,；;")
        if value:
            found[SIGN_OFF[key[1]]] = value
    return found


def agency_in_title(title: str) -> str | None:
    """The agency a catalogue's title names: `海原县医疗保障局政务公开清单目录` → 海原县医疗保障局."""
    match = _AGENCY.match(re.sub(r"\s+", "", title))
    return match["name"] if match else None
