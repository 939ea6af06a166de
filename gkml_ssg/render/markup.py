"""Markdown for text fields written by officers: never raw HTML, never a script link."""

from __future__ import annotations

import html
import re

import markdown
import nh3
from markupsafe import Markup

_ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "ul", "ol", "li", "a", "blockquote", "h4", "h5", "h6"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
_URL_SCHEMES = {"http", "https", "mailto"}
# Text Markdown would render as one plain paragraph: one line, none of the characters that start
# inline markup, no block marker at its start. Most catalogue text is like this, and converting it
# directly is many times faster; tests/test_markup.py checks both paths give the same bytes.
_PLAIN_PARAGRAPH = re.compile(r"(?![ \t]*(?:[-+*=>#]|\d+[.)]|[ ]{4}))[^\n\\`*_\[\]<>&#!]*")


class MarkdownRenderer:
    """Owns one Markdown converter; raw HTML in the source is shown as text, then sanitised again."""

    def __init__(self) -> None:
        self._converter = markdown.Markdown(extensions=["nl2br", "sane_lists"], output_format="html")
        # Without these, `<b>` or `<script>` written in a field would pass through as markup.
        self._converter.preprocessors.deregister("html_block")
        self._converter.inlinePatterns.deregister("html")

    def __call__(self, text: str | None) -> Markup:
        if not text:
            return Markup("")
        if _PLAIN_PARAGRAPH.fullmatch(text) and text == text.strip():
            return Markup(f"<p>{html.escape(text, quote=False)}</p>")
        return self._convert(text)

    def _convert(self, text: str) -> Markup:
        rendered = self._converter.reset().convert(text)
        # The sanitiser drops javascript:, data: and every attribute or tag not allowed above,
        # also for links the Markdown syntax itself produced. Relative addresses are dropped too:
        # in a field they would point into this site's own pages by accident, and a mangled
        # scheme (`java   script:`, a tab Markdown widened) would survive as one.
        cleaned = nh3.clean(
            rendered,
            tags=_ALLOWED_TAGS,
            attributes=_ALLOWED_ATTRIBUTES,
            url_schemes=_URL_SCHEMES,
            link_rel="noopener noreferrer",
            url_relative="deny",
        )
        return Markup(cleaned)
