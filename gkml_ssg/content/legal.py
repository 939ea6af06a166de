"""Which law or regulation a legal-basis citation names, normalised so that one law is one entry.

Catalogues cite the same document with half- or full-width brackets, `<…>`, `〈…〉` or a nested
`《…》` for the inner title, extraction spaces, and different issuing numbers
(`国务院令第711号` / `国务院令 第 711 号修订`). The index key is the cited title alone, with
spacing removed and bracket forms unified; the citation's own wording stays on the page.
"""

from __future__ import annotations

import re

_OPEN = "《〈<‹"
_CLOSE = "》〉>›"

# Half-width and variant forms → the full-width forms used in official documents.
_UNIFY = str.maketrans(
    {
        "(": "（",
        ")": "）",
        "<": "〈",
        ">": "〉",
        "‹": "〈",
        "›": "〉",
        "﹝": "〔",
        "﹞": "〕",
        "[": "〔",
        "]": "〕",
        ",": "，",
        ";": "；",
        ":": "：",
        "\u201c": "“",
        "\u201d": "”",
        '"': "“",
    }
)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_UNIFY)


def cited_titles(citation: str) -> list[str]:
    """The normalised 《titles》 a citation names (usually one), or [] if it names none."""
    text = _compact(citation)
    titles = []
    position = 0
    while (start := text.find("《", position)) != -1:
        end = title_close(text, start)
        if end is None:
            # Unbalanced in the source (a missing 》): the title runs to the last 》 seen.
            last = text.rfind("》", start)
            end = last if last > start else len(text) - 1
        titles.append(_title(text[start : end + 1]))
        position = end + 1
    return titles


def title_close(text: str, start: int) -> int | None:
    """The index of the bracket that closes the title opened at `start` (inner 《》〈〉<> nest), or
    None when the text ends first."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] in _OPEN:
            depth += 1
        elif text[index] in _CLOSE:
            depth -= 1
            if depth == 0:
                return index
    return None


def _title(raw: str) -> str:
    """`《A《B》C》` → `《A〈B〉C》`: inner titles take the inner bracket form; unclosed ones are closed."""
    inner = raw[1:-1] if raw.endswith("》") else raw[1:]
    inner = inner.replace("《", "〈").replace("》", "〉")
    unclosed = inner.count("〈") - inner.count("〉")
    return f"《{inner}{'〉' * max(unclosed, 0)}》"


def is_well_formed(citation: str) -> bool:
    """Whether a citation has the form catalogues are asked to use: it opens with a 《title》 and
    every bracket it opens is closed (the index can then take its title as written)."""
    text = _compact(citation)
    if not text.startswith("《"):
        return False
    depth = 0
    for character in text:
        if character in _OPEN:
            depth += 1
        elif character in _CLOSE:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def citation_key(citation: str) -> str:
    """The text a citation without any 《title》 is grouped by."""
    return _compact(citation)
