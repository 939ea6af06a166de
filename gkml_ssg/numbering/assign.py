"""Numbering one agency file: each row without a 索引号 gets the next one, written into the file's
text as one new line at the row's own indentation, and the agency's 索引号已编至 records the last.

The officer's file is edited, not rewritten: its comments, order, quoting and line endings stay as
they are. Rows are numbered in page-graph order (the catalogue's items, then the on-request list,
then the negative list); the serial continues from the higher of the recorded mark and every
number of the agency's code and the year already in the file, so that no number is ever given
twice, even for a row deleted since. The new text is decoded again and must give the same
agency with the new numbers, or nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gkml_ssg.content.dump import model_tree
from gkml_ssg.content.fields import yaml_key
from gkml_ssg.content.index_numbers import index_number, mark_of, parse_mark, year_and_serial
from gkml_ssg.content.load import decode_agency
from gkml_ssg.content.model import Agency, Category, Item, NegativeEntry, NegativeList, OnRequestEntry, OnRequestList

Row = Item | OnRequestEntry | NegativeEntry


class CannotNumber(Exception):
    """The file cannot be numbered as it is: the reason, in Chinese, with the fix."""


@dataclass(frozen=True)
class Numbered:
    text: str  # the file's new text
    numbers: tuple[tuple[str, str], ...]  # (the row's title, its new number), in order
    mark: str  # the new 索引号已编至


INDEX_NUMBER_KEY = yaml_key(Item, "index_number")
MARK_KEY = yaml_key(Agency, "index_mark")
CODE_KEY = yaml_key(Agency, "code")


def number_agency(relative: str, text: str, agency: Agency, year: int) -> Numbered | None:
    """The file's text with every row numbered; None when every row has its number."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        raise CannotNumber(f"{relative}：文件是空的")
    rows = list(_rows(agency, root))
    unnumbered = [(row, node) for row, node in rows if row.index_number is None]
    if not unnumbered:
        return None
    code = agency.code
    if code is None:
        raise CannotNumber(f"{relative}：没有“{CODE_KEY}”，不能编索引号（请先填写本机构的统一社会信用代码或组织机构代码）")
    year, serial = _next(agency, code, year)
    newline = "\r\n" if "\r\n" in text else "\n"
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the text
    numbers = []
    for row, node in unnumbered:
        if node.flow_style:
            raise CannotNumber(f"{relative} 第 {node.start_mark.line + 1} 行：写在花括号 {{…}} 里的条目不能自动编号，请改为逐行书写")
        serial += 1
        number = index_number(code, year, serial)
        first_key = node.value[0][0]
        # The new key goes before the row's first key, at its column: `- 索引号: …` then the rest.
        position = first_key.start_mark.index
        edits.append((position, position, f"{INDEX_NUMBER_KEY}: {number}{newline}{' ' * first_key.start_mark.column}"))
        numbers.append((_title(row), number))
    mark = mark_of(year, serial)
    edits.append(_mark_edit(text, root, mark, newline))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    numbered = Numbered(text, tuple(numbers), mark)
    _verify(relative, numbered, agency)
    return numbered


def _next(agency: Agency, code: str, year: int) -> tuple[int, int]:
    """The year to number in and the last serial used in it."""
    recorded = parse_mark(agency.index_mark)
    if recorded is not None:
        year = max(year, recorded[0])
    used = [recorded[1]] if recorded is not None and recorded[0] == year else []
    for row in model_rows(agency):
        found = year_and_serial(row.index_number, code) if row.index_number else None
        if found is not None and found[0] == year:
            used.append(found[1])
    return year, max(used, default=0)


def _mark_edit(text: str, root: Node, mark: str, newline: str) -> tuple[int, int, str]:
    """The recorded mark replaced, or added on the line after the agency's code."""
    assert isinstance(root, MappingNode)
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == MARK_KEY:
            return value.start_mark.index, value.end_mark.index, f'"{mark}"'
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == CODE_KEY:
            line_end = text.find(newline, value.end_mark.index)
            position = len(text) if line_end < 0 else line_end
            return position, position, f'{newline}{" " * key.start_mark.column}{MARK_KEY}: "{mark}"'
    raise CannotNumber(f"没有“{CODE_KEY}”")


def _rows(agency: Agency, root: Node) -> Iterator[tuple[Row, MappingNode]]:
    """Each row of the model with its mapping in the file, in page-graph order."""
    catalogue = _child(root, yaml_key(Agency, "catalogue"))
    for category, category_node in zip(agency.catalogue, _items_of(catalogue), strict=True):
        yield from zip(category.items, _items_of(_child(category_node, yaml_key(Category, "items"))), strict=True)
    for listed, attribute, cls in ((agency.on_request, "on_request", OnRequestList), (agency.negative, "negative", NegativeList)):
        if listed is not None:
            entries = _child(_child(root, yaml_key(Agency, attribute)), yaml_key(cls, "entries"))
            yield from zip(listed.entries, _items_of(entries), strict=True)


def model_rows(agency: Agency) -> Iterator[Row]:
    """Every row that has a 索引号, in page-graph order."""
    for category in agency.catalogue:
        yield from category.items
    yield from agency.on_request.entries if agency.on_request else ()
    yield from agency.negative.entries if agency.negative else ()


def _child(node: Node, key: str) -> Node:
    assert isinstance(node, MappingNode)
    return next(value for name, value in node.value if isinstance(name, ScalarNode) and name.value == key)


def _items_of(node: Node) -> list[MappingNode]:
    assert isinstance(node, SequenceNode)
    return [item for item in node.value if isinstance(item, MappingNode)]


def _title(row: Row) -> str:
    return row.title or ""


def _verify(relative: str, numbered: Numbered, before: Agency) -> None:
    """The new text decodes to the same agency, with the new numbers and mark."""
    after, errors = decode_agency(relative, numbered.text.encode("utf-8"))
    if after is None or errors:
        raise CannotNumber(f"{relative}：编号后的文件不能通过检查，未写入（{errors[0].message if errors else '?'}）")
    new = iter(number for _, number in numbered.numbers)
    expected = [row.index_number or next(new) for row in model_rows(before)]
    if [row.index_number for row in model_rows(after)] != expected or after.index_mark != numbered.mark:
        raise CannotNumber(f"{relative}：编号后的文件与预期不符，未写入")
    if _without_numbers(model_tree(after)) != _without_numbers(model_tree(before)):
        raise CannotNumber(f"{relative}：编号改变了文件的其他内容，未写入")


def _without_numbers(tree: object) -> object:
    """A model tree (`content.dump.model_tree`) without its 索引号 and 索引号已编至."""
    if isinstance(tree, dict):
        return {key: _without_numbers(value) for key, value in tree.items() if key not in (INDEX_NUMBER_KEY, MARK_KEY)}
    if isinstance(tree, list):
        return [_without_numbers(value) for value in tree]
    return tree
