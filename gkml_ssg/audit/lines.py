"""What the auditors' pages (coverage, deadlines) know of an agency and of each of its catalogue
items. The page graph makes them from an agency's node and keeps the lines in its summary, so that
those pages, like the other lists, are made from summaries alone and an edit re-reads only the
edited files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class ItemLine(NamedTuple):
    path: str  # its page
    title: str  # as its page is titled: its 二级事项, or its 一级事项 when it has none
    second_level: str | None  # 二级事项
    category: str | None  # 一级事项
    named: tuple[str, ...]  # the reference items it names (对应标准事项)
    deadline: str | None  # 公开时限, as written (outer whitespace removed)


@dataclass(frozen=True)
class Audited:
    """An agency as the auditors see it: its name, address and catalogue items."""

    name: str
    slug: str
    path: str
    lines: tuple[ItemLine, ...]
