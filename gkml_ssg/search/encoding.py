"""The binary files of the search index: lists of numbers as variable-length integers, and files
of named blocks. `static/js/search-core.js` reads both.

A number takes seven bits a byte, low bits first, the high bit set on every byte but the last
(LEB128), so the small gaps between sorted page numbers and positions take one byte each.

A keyed file holds named blocks: the number of blocks; for each, its name's length in UTF-8
bytes, its name, and its block's length; then the blocks, in that order. Names are sorted as
JavaScript compares strings (by UTF-16 code units), so the browser can search them in order.
"""

from __future__ import annotations

from collections.abc import Iterable


def add_number(out: bytearray, number: int) -> None:
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)


def numbers(values: Iterable[int]) -> bytes:
    out = bytearray()
    for value in values:
        add_number(out, value)
    return bytes(out)


def read_numbers(data: bytes) -> list[int]:
    """The numbers of `data` (the browser's reader, in Python, for tests and measurements)."""
    values, number, shift = [], 0, 0
    for byte in data:
        number |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            values.append(number)
            number, shift = 0, 0
    return values


def gaps(sorted_values: Iterable[int]) -> list[int]:
    """The first value, then each value's distance from the one before."""
    result, before = [], 0
    for value in sorted_values:
        result.append(value - before)
        before = value
    return result


def name_order(name: str) -> bytes:
    """The sort key of JavaScript's string comparison."""
    return name.encode("utf-16-be", "surrogatepass")


def keyed_file(blocks: dict[str, bytes]) -> bytes:
    names = sorted(blocks, key=name_order)
    head = bytearray()
    add_number(head, len(names))
    for name in names:
        encoded = name.encode("utf-8")
        add_number(head, len(encoded))
        head += encoded
        add_number(head, len(blocks[name]))
    return bytes(head) + b"".join(blocks[name] for name in names)


def read_keyed_file(data: bytes) -> dict[str, bytes]:
    """The blocks of a keyed file by name (for tests and measurements)."""
    position = 0

    def number() -> int:
        nonlocal position
        value, shift = 0, 0
        while True:
            byte = data[position]
            position += 1
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7

    heads = []
    for _ in range(number()):
        length = number()
        name = data[position : position + length].decode("utf-8")
        position += length
        heads.append((name, number()))
    blocks = {}
    for name, length in heads:
        blocks[name] = data[position : position + length]
        position += length
    return blocks
