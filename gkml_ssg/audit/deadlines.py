"""Each distinct 公开时限 wording of the catalogues, normalised to working or calendar days where
it can be, with the agencies and items that use it (for the auditors' deadlines page).

Catalogues word one rule many ways (形成或者变更之日起20个工作日内, 形成或变更之日起20个工作日内
公开, …) and some give no number of days at all (及时公开, 每年1月31日前, 按季度发布): a wording
is normalised when it names exactly one period of days, in digits or in Chinese numerals; any other
wording stays as written, unnormalised, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from gkml_ssg.audit.lines import Audited, ItemLine

WORKING = "工作日"
CALENDAR = "日"
_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# A number of days: digits (half or full width) or Chinese numerals up to 九十九, then 个 (optional)
# and 工作日, 日 or 天; not a date's day (1月31日) and not part of a longer number.
_PERIOD = re.compile(r"(?<![0-9０-９月])([0-9０-９]+|[一二两三四五六七八九十]+)\s*个?\s*(工作日|日|天)")


@dataclass(frozen=True, order=True)
class Period:
    days: int
    kind: str  # WORKING or CALENDAR

    @property
    def label(self) -> str:
        return f"{self.days} 个工作日" if self.kind == WORKING else f"{self.days} 日"


@dataclass(frozen=True)
class DeadlineUse:
    """One wording and where it is used."""

    wording: str
    period: Period | None
    uses: tuple[tuple[Audited, ItemLine], ...]

    @property
    def agency_count(self) -> int:
        return len({agency.slug for agency, _ in self.uses})

    def by_agency(self) -> list[tuple[Audited, list[ItemLine]]]:
        """The items that use it, agency by agency (in the agencies' order)."""
        grouped: dict[str, tuple[Audited, list[ItemLine]]] = {}
        for agency, line in self.uses:
            grouped.setdefault(agency.slug, (agency, []))[1].append(line)
        return list(grouped.values())


def _number(text: str) -> int | None:
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return _NUMERALS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        return None
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[units] if units else 0)


def period(wording: str) -> Period | None:
    """The one period of days `wording` names, or None (none, or several that differ)."""
    found = set()
    for digits, unit in _PERIOD.findall(wording):
        days = _number(digits)
        if days is None:
            return None
        found.add(Period(days, WORKING if unit == WORKING else CALENDAR))
    return found.pop() if len(found) == 1 else None


def deadline_uses(agencies: Iterable[Audited]) -> list[DeadlineUse]:
    """Every 公开时限 wording of the agencies' catalogue items, shortest period first (unnormalised
    wordings last), then by how many items use it."""
    uses: dict[str, list[tuple[Audited, ItemLine]]] = {}
    for agency in agencies:
        for line in agency.lines:
            if line.deadline:
                uses.setdefault(line.deadline, []).append((agency, line))
    found = [DeadlineUse(wording, period(wording), tuple(where)) for wording, where in uses.items()]
    return sorted(found, key=lambda use: (use.period is None, use.period or Period(0, ""), -len(use.uses), use.wording))
