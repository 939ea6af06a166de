"""The text search sees: one token per character, so a query matches exactly where it is a substring.

Pagefind cuts Chinese into words with one segmenter when it indexes and the browser cuts the query
with another (Intl.Segmenter); they disagree, and most phrases are missed. Here every letter, digit
and ideograph is its own token, and the browser searches the query as a quoted phrase of the same
single-character tokens, so a page is found exactly when its text contains the query.

Punctuation follows one rule on both sides. Quotation marks join (“三公”经费 is found by 三公经费);
every other punctuation mark stays as a token of its own, which a phrase cannot jump (预算、决算 is
not 预算决算). A query's own punctuation is ignored, as Pagefind ignores it.

Titles are indexed a second time as "title tokens" (the letter q and the character's code point
written with the letters a–p), which only a title search matches, so that the browser can rank pages
whose title contains the query first. `static/js/search.js` implements the same rules for queries.
"""

from __future__ import annotations

import unicodedata

# Marks that wrap a word rather than separate words; they are dropped, not kept as tokens.
JOINERS = frozenset("“”‘’\"'「」『』﹁﹂﹃﹄`")
FIELD_SEPARATOR = "。"
TITLE_SEPARATOR_TOKEN = "qz"


def _is_word_character(character: str) -> bool:
    return character.isalnum()


def text_tokens(text: str) -> list[str]:
    """The tokens Pagefind indexes for `text`: one per character, spaces and joiners dropped."""
    return [c for c in text if not c.isspace() and c not in JOINERS and unicodedata.category(c) != "Cf"]


def normalised_text(text: str) -> str:
    """The text a query is matched against as a substring (the search's ground truth)."""
    return "".join(text_tokens(text)).lower()


def query_key(query: str) -> str:
    """A query word as Pagefind compares it: letters, digits and ideographs only, lower case."""
    return "".join(c for c in query if _is_word_character(c)).lower()


def query_words(query: str) -> list[str]:
    """The words of a query a reader typed; each must occur in a page for the page to match."""
    return [key for word in query.split() if (key := query_key(word))]


def title_token(character: str) -> str:
    return "q" + "".join(chr(ord("a") + int(digit, 16)) for digit in f"{ord(character.lower()):x}")


def title_tokens(title: str) -> list[str]:
    return [title_token(c) if _is_word_character(c) else TITLE_SEPARATOR_TOKEN for c in text_tokens(title)]


def indexed_content(title: str, fields: list[str]) -> str:
    """What Pagefind indexes for a page: its title and fields as tokens, then the title tokens."""
    tokens: list[str] = []
    for text in [title, *fields]:
        part = text_tokens(text)
        if part:
            if tokens:
                tokens.append(FIELD_SEPARATOR)
            tokens.extend(part)
    return " ".join([*tokens, FIELD_SEPARATOR, *title_tokens(title)])


def page_text(title: str, fields: list[str]) -> str:
    """The normalised text of a page as the ground truth sees it (without the title tokens)."""
    return FIELD_SEPARATOR.join(normalised_text(t) for t in [title, *fields] if text_tokens(t))
