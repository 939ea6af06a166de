"""The text search sees: a page is a sequence of one-character tokens, so a query matches exactly
where it is a substring.

No segmenter cuts Chinese into words the same way twice (the indexer's and the browser's disagree,
and most phrases are missed), so none is used: every letter, digit, ideograph and punctuation mark
is a token, and a page is found exactly when its text contains the query's characters in a row.

Punctuation follows one rule on both sides. Quotation marks join (“三公”经费 is found by 三公经费);
every other punctuation mark stays as a token of its own, which a query cannot jump (预算、决算 is
not 预算决算), because a query keeps its letters, digits and ideographs only. Fields are joined by
`FIELD_SEPARATOR`, so a query cannot run from one field into the next.

A page's tokens are numbered: the title's from 0, the other fields' from `body_start` (the next
multiple of `TITLE_SPAN`), so that a match's position alone says whether it lies in the title.
`static/js/search-core.js` implements the same rules for queries and excerpts.
"""

from __future__ import annotations

import unicodedata

from gkml_ssg.content.characters import JOINERS

FIELD_SEPARATOR = "。"
# Positions below this are in the title (a title longer than this ranks as if it ended here).
TITLE_SPAN = 1024


def is_word_character(character: str) -> bool:
    """Letters, digits and ideographs: what a query keeps (JavaScript: [\\p{L}\\p{N}])."""
    return character.isalnum()


def fold(character: str) -> str:
    """Lower case where that keeps one character (the index and the browser must count alike)."""
    lower = character.lower()
    return lower if len(lower) == 1 else character


def text_tokens(text: str) -> list[str]:
    """The tokens of `text`, in its own case: one per character, spaces and joiners dropped."""
    return [c for c in text if not c.isspace() and c not in JOINERS and unicodedata.category(c) != "Cf"]


def normalised_text(text: str) -> str:
    """The text a query is matched against as a substring (the search's ground truth)."""
    return "".join(fold(c) for c in text_tokens(text))


def query_key(query: str) -> str:
    """A query word as the index compares it: letters, digits and ideographs only, folded."""
    return "".join(fold(c) for c in query if is_word_character(c))


def query_words(query: str) -> list[str]:
    """The words of a query a reader typed; each must occur in a page for the page to match."""
    return [key for word in query.split() if (key := query_key(word))]


def body_start(title_length: int) -> int:
    """The position of a page's first token after its title."""
    return TITLE_SPAN * (title_length // TITLE_SPAN + 1)


def page_tokens(title: str, fields: list[str]) -> tuple[str, str]:
    """A page's title and its other fields as the index numbers them, in their own case: the
    title's tokens, and the fields' tokens joined by `FIELD_SEPARATOR` (the excerpt's text)."""
    body = FIELD_SEPARATOR.join(joined for text in fields if (joined := "".join(text_tokens(text))))
    return "".join(text_tokens(title)), body


def page_text(title: str, fields: list[str]) -> str:
    """The normalised text of a page as the ground truth sees it."""
    return FIELD_SEPARATOR.join(normalised_text(t) for t in [title, *fields] if text_tokens(t))
