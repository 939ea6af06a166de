"""A legal-basis cell split into one entry per cited document, never dropping source text.

The rule, applied to every basis and grounds cell alike:

1. Each 《title》 cited (with the words written right before it, such as its issuer, 国务院办公厅
   or 新修订的, and the bracketed number right after it, （国办发〔2018〕10号）) is one entry, as
   written. Text that cites no 《title》 is an entry of its own where a separator sets it apart
   (…》及国家、自治区…工作要点要求).
2. Entries are set apart at the separators between citations: punctuation (、，；), the joining
   words 和、及、以及、与, and list numbers (1. 2、 （3）); the verbs that open a citation
   (根据、依据、按照、依照) and such separators are not part of an entry.
3. When what was set aside holds words that join the citations into a sentence (根据…、…和…,
   …及…, a comma), the cell's text is quoted in the row's 备注 (`basis_remark`): the joining
   words survive there, one rule for all. Marks that only end one document and start the next
   (list numbers, ；, 。, spaces and line breaks) say nothing an entry per line does not, and
   need no quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gkml_ssg.content.legal import title_close
from gkml_ssg.form.text import close_gaps

_BRACKETS = {"（": "）", "(": ")", "〔": "〕", "[": "]"}
_NUMBER = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})[.．、)）]|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]"
_JOINER = rf"(?:[、，,；;。：:\s]|以及|和|及|与|并|{_NUMBER})"
_OPENER = r"(?:根据|依据|按照|依照|参照|遵照)"
_LEADING = re.compile(rf"^(?:{_JOINER}|{_OPENER})+")
_TRAILING = re.compile(r"[、，,；;。\s]+$")
_STARTS_WITH_JOINER = re.compile(rf"^\s*{_JOINER}")
# Separators strong enough to end a text that cites nothing.
# What only ends one document and starts the next.
_MARKS = re.compile(rf"{_NUMBER}|[；;。.]")
_NEXT_LINE = re.compile(rf"\n\s*(?:《|{_NUMBER})")
_STRONG = re.compile(rf"[；;。\n]+\s*(?:{_NUMBER})?|(?:^|\s){_NUMBER}")


@dataclass(frozen=True)
class Citations:
    """The entries of one cell, and the cell as written when they are not all of it."""

    entries: tuple[str, ...]
    original: str | None  # the cell's text when joining words were set aside; else None


def split_citations(text: str) -> Citations:
    # A line break between citations is the officer's (one document per line); one inside a
    # document's title or number is the column's wrap, closed with the entry's other gaps.
    text = close_gaps(text, lines=True)
    if not text:
        return Citations((), None)
    spans = _citation_spans(text)
    pieces = _pieces(text, spans) if spans else _STRONG.split(text)
    entries = tuple(entry for piece in pieces if (entry := close_gaps(_trim(piece))))
    return Citations(entries, text if _joined(text, entries) else None)


def _joined(text: str, entries: tuple[str, ...]) -> bool:
    """Whether the text set aside between and around the entries holds joining words."""
    rest = re.sub(r"\s+", "", text)
    aside = []
    for entry in entries:
        compact = re.sub(r"\s+", "", entry)
        at = rest.find(compact)
        aside.append(rest[:at])
        rest = rest[at + len(compact) :]
    aside.append(rest)
    return bool(_MARKS.sub("", "".join(aside)))


def basis_remark(field: str, citations: Citations) -> str | None:
    """The 备注 sentence that keeps a cell's joining words, or None when nothing was set aside."""
    if citations.original is None:
        return None
    return f"原表{field}原文为“{citations.original}”，拆分为各条时略去了其中的连接文字。"


def _citation_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level 《…》 with the bracket right after it."""
    spans: list[tuple[int, int]] = []
    index = 0
    while (start := text.find("《", index)) != -1:
        close = title_close(text, start)
        end = close + 1 if close is not None else None
        if end is None:
            # An unclosed title (《A《B》) runs to its last 》, but not past a line that opens the
            # next document.
            following = _NEXT_LINE.search(text, start + 1)
            limit = following.start() if following else len(text)
            last = text.rfind("》", start, limit)
            end = last + 1 if last != -1 else limit
        end = _after_bracket(text, end)
        spans.append((start, end))
        index = end
    return spans


def _after_bracket(text: str, end: int) -> int:
    """The end of a bracketed number written right after a title: 》（国务院令第711号）."""
    probe = end
    while probe < len(text) and text[probe] in " \t":
        probe += 1
    if probe < len(text) and text[probe] in _BRACKETS:
        close = text.find(_BRACKETS[text[probe]], probe + 1)
        if close != -1 and "《" not in text[probe:close]:
            return close + 1
    return end


def _pieces(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The cell cut into entries: each citation with the words before it back to the separator."""
    pieces: list[str] = []
    head = text[: spans[0][0]]
    parts = _STRONG.split(head)
    pieces.extend(parts[:-1])
    carry = parts[-1]
    for number, (start, end) in enumerate(spans):
        following = spans[number + 1][0] if number + 1 < len(spans) else len(text)
        gap = text[end:following]
        if number + 1 == len(spans):
            if _STARTS_WITH_JOINER.match(gap) or not gap.strip():
                pieces.append(carry + text[start:end])
                pieces.extend(_STRONG.split(gap))
            else:
                pieces.append(carry + text[start:end] + gap)
            break
        # The gap: the end of this entry up to its first separator, texts that cite nothing set
        # apart by strong separators, and the words that open the next citation.
        first, *others = _STRONG.split(gap)
        cut = _first_separator(first)
        pieces.append(carry + text[start:end] + first[:cut])
        if others:
            pieces.append(first[cut:])
            pieces.extend(others[:-1])
            carry = others[-1]
        else:
            carry = first[cut:]
    return pieces


def _first_separator(gap: str) -> int:
    match = re.search(_JOINER, gap)
    return match.start() if match else 0


def _trim(piece: str) -> str:
    previous = None
    while previous != piece:
        previous = piece
        piece = _TRAILING.sub("", _LEADING.sub("", piece.strip()))
    return piece
