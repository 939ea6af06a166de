"""Spaces and line breaks that Word or PDF put inside Chinese text, and nothing else.

A line break means two things. In a one-line value (a title, a deadline, a body, a citation) it is
the narrow column's wrap, which Word or a PDF made: between two Chinese characters it goes. In
running text (公开内容, 备注, 审核程序: the model's Markdown fields) and between the citations of a
basis cell it is the officer's own line, a list item or the next document: it stays, as
`gkml check` lets it stay. Spaces between two Chinese characters always go.
"""

from __future__ import annotations

import re

# Ideographs, and the CJK punctuation and full-width forms that sit between them in running text:
# a gap between two of these is the program's, never the writer's (Chinese has no word spaces).
_CJK = (
    "\u3000-\u303f"  # CJK symbols and punctuation: 、。〈〉《》「」〔〕
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # ideographs
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"  # full-width punctuation: （），：；
    "\u2018\u2019\u201c\u201d\u2014\u2026"  # ‘’“”—…
)
_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\u3000\u00a0\r\n]+(?=[{_CJK}])")
_SPACES = re.compile(rf"(?<=[{_CJK}])[ \t\u3000\u00a0]+(?=[{_CJK}])")


def close_gaps(text: str, *, lines: bool = False) -> str:
    """The text with every run of spaces and line breaks between two Chinese characters removed
    (`lines`: spaces only, the line breaks kept), and its ends trimmed; every other character, and
    every other space, as written."""
    return (_SPACES if lines else _GAP).sub("", text).strip()


def is_cjk(character: str) -> bool:
    return re.fullmatch(f"[{_CJK}]", character) is not None
