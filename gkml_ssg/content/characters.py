"""Characters no text of the site may hold, and how an error names them.

Control characters (C0 but tab, line feed and carriage return; DEL; C1), lone surrogates and
Unicode noncharacters (U+FDD0–U+FDEF, U+FFFE, U+FFFF and the last two of every plane) are not
allowed in XML 1.0 (the feed and the sitemaps would not be well-formed) or are parse errors in
HTML, and officers never mean them: they come with text copied from PDF or Word, invisible in an
editor. Content refuses them where they are written (the decoder names file, line, column and the
character as U+XXXX); text gkml takes from elsewhere (git commit messages) has them replaced.
"""

from __future__ import annotations

import re

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
# What is not plainly allowed: the forbidden characters of the Basic Multilingual Plane, and every
# character beyond it (rare, sorted out one by one). Ten times faster than FORBIDDEN: decoding
# checks each of a province's million values with it.
_SUSPECT = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd]")
# A quick first look (None: nothing forbidden), for the decoder's hot path; `find_forbidden` decides.
suspect = _SUSPECT.search

# Marks that wrap a word rather than separate words: the search drops them (“三公”经费 is found by
# 三公经费), and so does the auditors' keyword matching.
JOINERS = frozenset("“”‘’\"'「」『』﹁﹂﹃﹄`")

HINT = "请删除该字符：它常随从 PDF、Word 或网页复制的文字混入，在编辑器中往往看不见"


def describe(char: str) -> str:
    """`U+000B（控制字符）`: the character as an officer can look it up."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "单独的代理码位，不是有效字符"
    elif code <= 0x9F:
        kind = "控制字符"
    else:
        kind = "Unicode 非字符"
    return f"U+{code:04X}（{kind}）"


def find_forbidden(text: str) -> tuple[int, str] | None:
    """The first forbidden character of `text` and its index, or None."""
    for found in _SUSPECT.finditer(text):
        char = found.group()
        if ord(char) < 0x10000 or ord(char) & 0xFFFE == 0xFFFE:
            return found.start(), char
    return None


def replace_forbidden(text: str, replacement: str = "\ufffd") -> str:
    """`text` with every forbidden character replaced (by U+FFFD, the replacement character)."""
    return FORBIDDEN.sub(replacement, text)
