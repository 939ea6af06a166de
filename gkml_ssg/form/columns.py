"""The columns of the catalogue form, and the words officers head them with.

A header cell is matched after `header_key` (spaces, brackets' width, quotes and a trailing colon
do not count). Words seen in real catalogues, typos included, are listed; any other header within
a small edit distance of a listed word is taken as that word by `closest_column`, which says so
so that the importer can report it.
"""

from __future__ import annotations

import difflib
import re
from enum import Enum


class Column(str, Enum):
    """What a column holds. The value is the header the exporter writes."""

    NUMBER = "序号"
    STAGE = "过程"
    ITEM = "公开事项"  # a group header over 一级事项 and 二级事项 (or, in a negative list, the title)
    CATEGORY = "一级事项"
    TITLE = "二级事项"
    CONTENT = "公开内容（要素）"
    BASIS = "公开依据"
    DEADLINE = "公开时限"
    BODY = "公开主体"
    CHANNELS = "公开渠道和载体"
    AUDIENCE = "公开对象"
    PUBLIC = "全社会"
    GROUP = "特定群体"
    MODE = "公开方式"
    PROACTIVE = "主动"
    ON_REQUEST = "依申请"
    FIVE_TYPES = "所属“五公开”类型"
    DECISION = "决策"
    EXECUTION = "执行"
    MANAGEMENT = "管理"
    SERVICE = "服务"
    RESULT = "结果"
    LEVEL = "公开层级"
    SECTION = "网站所属栏目"
    SUBJECT = "主题分类"
    VALIDITY = "有效性"
    SLUG = "网址标识"
    INDEX_NUMBER = "索引号"
    REMARKS = "备注"
    WITHHELD_CONTENT = "不予主动公开的内容"
    WITHHELD_GROUNDS = "不予主动公开的依据"
    OFFICE = "责任科室"
    UPDATE_CYCLE = "信息产生时间或更新周期"
    REVIEW = "依申请公开审核程序"
    NEGATIVE_KIND = "事项类别"
    NEGATIVE_CONTENT = "内容"
    NEGATIVE_GROUNDS = "不予公开的依据"
    CHANNEL_TICK = "（渠道）"  # one channel's own tick column under 公开渠道和载体; never a header word


# Columns that hold a tick (√, ☑) rather than text, and the group header above them.
TICK_GROUPS: dict[Column, tuple[Column, ...]] = {
    Column.AUDIENCE: (Column.PUBLIC, Column.GROUP),
    Column.MODE: (Column.PROACTIVE, Column.ON_REQUEST),
    Column.FIVE_TYPES: (Column.DECISION, Column.EXECUTION, Column.MANAGEMENT, Column.SERVICE, Column.RESULT),
}
TICK_COLUMNS = frozenset(column for group in TICK_GROUPS.values() for column in group) | {Column.CHANNEL_TICK}

# The columns of running text (the model's Markdown fields): their line breaks are the officer's.
RUNNING_TEXT = frozenset({Column.CONTENT, Column.REMARKS, Column.WITHHELD_CONTENT, Column.NEGATIVE_CONTENT, Column.REVIEW})

# The 五公开 type a tick column stands for, as the model writes a category's 过程.
FIVE_TYPE_NAMES = {
    Column.DECISION: "决策", Column.EXECUTION: "执行", Column.MANAGEMENT: "管理",
    Column.SERVICE: "服务", Column.RESULT: "结果",
}  # fmt: skip

_WORDS: dict[Column, tuple[str, ...]] = {
    Column.NUMBER: ("序号", "编号", "序"),
    Column.STAGE: ("过程", "所属过程", "环节", "工作环节"),
    Column.ITEM: ("公开事项", "事项"),
    Column.CATEGORY: ("一级事项", "一级", "一级目录", "公开事项一级事项", "事项一级"),
    Column.TITLE: ("二级事项", "二级", "二级目录", "公开事项二级事项", "事项名称", "公开事项名称"),
    Column.CONTENT: ("公开内容(要素)", "公开内容", "公开要素", "内容(要素)", "公开内容要素"),
    Column.BASIS: ("公开依据", "法律依据", "依据"),
    Column.DEADLINE: ("公开时限", "时限", "公开时间"),
    Column.BODY: ("公开主体", "主体", "公开单位"),
    Column.CHANNELS: ("公开渠道和载体", "公开渠道及载体", "公开渠道", "公开载体", "渠道和载体", "公开途径", "公开渠道与载体"),
    Column.AUDIENCE: ("公开对象", "对象"),
    Column.PUBLIC: ("全社会", "社会公众", "公众"),
    Column.GROUP: ("特定群体", "特定全体", "特定对象", "特定人群"),
    Column.MODE: ("公开方式", "方式"),
    Column.PROACTIVE: ("主动", "主动公开"),
    Column.ON_REQUEST: ("依申请", "依申请公开"),
    Column.FIVE_TYPES: ("所属“五公开”类型", "“五公开”类型", "五公开类型", "所属五公开类型", "五公开", "所属五公开"),
    Column.DECISION: ("决策", "决策公开"),
    Column.EXECUTION: ("执行", "执行公开"),
    Column.MANAGEMENT: ("管理", "管理公开"),
    Column.SERVICE: ("服务", "服务公开"),
    Column.RESULT: ("结果", "结果公开"),
    Column.LEVEL: ("公开层级", "层级"),
    Column.SECTION: ("网站所属栏目", "所属栏目", "网站栏目", "发布栏目", "公开栏目"),
    Column.SUBJECT: ("主题分类", "主题", "主题类别"),
    Column.VALIDITY: ("有效性", "是否有效", "效力状态"),
    Column.SLUG: ("网址标识",),
    Column.INDEX_NUMBER: ("索引号", "信息索引号"),
    Column.REMARKS: ("备注", "说明"),
    Column.WITHHELD_CONTENT: ("不予主动公开的内容", "不予主动公开内容"),
    Column.WITHHELD_GROUNDS: ("不予主动公开的依据", "不予主动公开依据"),
    Column.OFFICE: ("责任科室", "责任部门", "承办科室", "责任股室"),
    Column.UPDATE_CYCLE: ("信息产生时间或更新周期", "更新周期", "信息产生时间", "产生时间或更新周期"),
    Column.REVIEW: ("依申请公开审核程序", "审核程序", "依申请公开程序"),
    Column.NEGATIVE_KIND: ("事项类别", "类别"),
    Column.NEGATIVE_CONTENT: ("内容", "不予公开的内容", "不予公开内容"),
    Column.NEGATIVE_GROUNDS: ("不予公开的依据", "不予公开依据"),
}
_QUOTES = str.maketrans({"（": "(", "）": ")", "“": "", "”": "", '"': "", "‘": "", "’": "", "：": "", ":": ""})


def header_key(text: str) -> str:
    """A header's text as it is compared: no spaces or line breaks, half-width brackets, no quotes
    or colons. `所属“五公开” 类型` and `所属"五公开"类型` are the same key."""
    return re.sub(r"\s+", "", text).translate(_QUOTES)


_KNOWN: dict[str, Column] = {header_key(word): column for column, words in _WORDS.items() for word in words}


def known_column(text: str) -> Column | None:
    """The column a header names with a listed word (or a word of the user's mapping), else None."""
    return _KNOWN.get(header_key(text))


def closest_column(text: str) -> tuple[Column, str] | None:
    """For a header no listed word names: the column whose word it differs from by a typo or two
    (one best match, similar enough), with that word; else None."""
    key = header_key(text)
    if len(key) < 3:
        return None
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, word).ratio(), word) for word in _KNOWN if len(word) >= 3),
        reverse=True,
    )
    if not scored or scored[0][0] < 0.75:
        return None
    best, word = scored[0]
    if len(scored) > 1 and scored[1][0] == best and _KNOWN[scored[1][1]] != _KNOWN[word]:
        return None
    return _KNOWN[word], word


def column_named(name: str) -> Column | None:
    """The column a mapping file names: by its listed words or the exporter's header."""
    for column in Column:
        if header_key(column.value) == header_key(name):
            return column
    return known_column(name)
