"""What a reader sees on each indexed page of a built site: the search's ground truth, from the HTML.

The search promises that a query finds exactly the pages whose text contains it. The records the
indexer is given cannot be that truth (a field shown on a page but left out of its record would be
unsearchable and no test would notice), so the tests read the built pages instead.

Indexed pages are the agency pages (`agencies/<slug>/index.html`) and the entry pages
(`agencies/<slug>/items|on-request|negative/<n>/index.html`). A page's content is its `<main>`
element, read as blocks of text (the text of one block-level element; inline elements such as
links, `<code>` and `<br>` do not cut a block), less what is not content:

* what is not shown: elements with the `hidden` attribute or the `visually-hidden` class (text for
  screen readers only), `<script>`, `<style>`, `<template>`;
* what the page marks as not searched, with `data-not-searched` (row numbers,
  counts, dates, the source file name: values whose fields the model declares not searchable, or
  that are not fields at all);
* navigation: `<nav>` elements (breadcrumbs, tables of contents, previous and next);
* rows that summarise another indexed page: a table row with a link to another indexed page (the
  agency page's catalogue rows; their text is that page's content);
* the templates' own wording, found in the templates the indexed pages are rendered from (their
  closure under extends, import and include), not listed by hand. Each run of template text
  between two block-level tags becomes a pattern: its literal text must appear as written, each
  `{{ }}` is a value, `{% if %}` and `{% for %}` make their part optional or repeatable. A block
  that a pattern matches keeps only the values (the pattern matching the most literal text wins);
  a block that no pattern matches is one value. A value that is one of the templates' string
  constants (field labels passed to a macro such as "公开时限", defaults such as "（未填）") or a
  string of the tables the template environment is given (the kind labels) is wording as well.

Texts are normalised as the search normalises them (`gkml_ssg.search.text.normalised_text`:
whitespace, quotation marks and format characters dropped, lower case); a page's text is its values
joined by the search's field separator, so that no query word runs from one value into the next.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import jinja2
from jinja2 import meta, nodes

from gkml_ssg.search.text import FIELD_SEPARATOR, normalised_text

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"

# The templates of the indexed pages: the agency page and the three kinds of entry page.
PAGE_TEMPLATES = ("agency.html", "item.html", "on_request.html", "negative.html")
INDEXED_PAGE = re.compile(r"agencies/[^/]+/(?:(?:items|on-request|negative)/[^/]+/)?index\.html")

# HTML's void elements (no end tag) and the inline elements that do not cut a block of text.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
    "span", "strong", "sub", "sup", "time", "u", "var",
})
NOT_SHOWN = frozenset({"script", "style", "template"})
NAVIGATION = "nav"

# Stand-ins for Jinja's tags in a template's text, from Unicode's private use area.
EXPR, IF, ELSE, ENDIF, FOR, ENDFOR = (chr(0xE000 + i) for i in range(6))
VALUE = "(.*?)"
SPACE = chr(0xE00F)  # white space of a template's literal text, in a pattern being built
MARKERS = EXPR + IF + ELSE + ENDIF + FOR + ENDFOR


@dataclass(frozen=True)
class Block:
    """The text of one block of a page's content: `text` as shown (whitespace collapsed), the
    normalised `values` in it (template wording left out) and, for messages, the `context` (the
    field label or table column it stands under, else its element)."""

    text: str
    values: tuple[str, ...]
    context: str


@dataclass(frozen=True)
class PageContent:
    url: str
    file: str  # relative to the site folder
    title: str  # the page's <h1> as shown
    blocks: tuple[Block, ...]

    @property
    def values(self) -> list[str]:
        return [value for block in self.blocks for value in block.values]

    @property
    def text(self) -> str:
        """The page's normalised content text, values separated so that no query spans two."""
        return FIELD_SEPARATOR.join(self.values)

    def contains(self, words: Iterable[str]) -> bool:
        """Whether every query word (see `query_words`) occurs in the page's content."""
        text = self.text
        return all(word in text for word in words)

    def title_contains(self, word: str) -> bool:
        return word in normalised_text(self.title)


def indexed_pages(site: Path, base_path: str = "/", templates: Path = TEMPLATES) -> dict[str, PageContent]:
    """The content of every indexed page of the built site in `site`, keyed by its URL (the site's
    `base_path` followed by the page's folder), in URL order."""
    wording = template_wording(templates)
    files = sorted(p.relative_to(site).as_posix() for p in site.glob("agencies/**/index.html"))
    files = [f for f in files if INDEXED_PAGE.fullmatch(f)]
    urls = {f: base_path + f.removesuffix("index.html") for f in files}
    pages = {}
    for file in files:
        blocks = read_blocks((site / file).read_text(encoding="utf-8"), set(urls.values()) - {urls[file]})
        title = next((text for text, key, _context in blocks if key.startswith("h1.")), "")
        pages[urls[file]] = PageContent(urls[file], file, title, tuple(wording.block(*b) for b in blocks))
    return pages


# Reading blocks of text out of HTML (built pages) and out of template source (stand-in text).


class _BlockReader(HTMLParser):
    """Blocks of text: (text, key, context), where key is the innermost block element's tag and
    class (the place a template run can match) and context says where the block stands."""

    def __init__(self, whole_document: bool, other_pages: set[str]):
        super().__init__(convert_charrefs=True)
        self.inside = whole_document  # a template is read whole; a page from its <main> on
        self.whole_document = whole_document
        self.other_pages = other_pages
        self.stack: list[tuple[str, dict[str, str], bool]] = []  # open elements; True: not content
        self.skipping = 0  # open elements whose text is not content
        self.buffer: list[str] = []
        self.blocks: list[tuple[str, str, str]] = []
        self.row: list[tuple[str, str, str]] | None = None  # blocks of the table row being read
        self.row_links_elsewhere = False
        self.field_label = ""

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "br":
            self.buffer.append("\n")  # a line break is whitespace to the search
            return
        if tag not in INLINE:
            self._flush()
        if tag == "main":
            self.inside = True
        if tag in VOID:
            return
        if tag == "a" and attributes.get("href", "").split("#")[0] in self.other_pages:
            self.row_links_elsewhere = True
        if tag == "tr":
            self.row, self.row_links_elsewhere = [], False
        hidden = "hidden" in attributes or "visually-hidden" in attributes.get("class", "").split()
        hidden = hidden or "data-not-searched" in attributes  # shown, but marked as not searched
        skipped = hidden or tag in NOT_SHOWN or tag == NAVIGATION
        self.stack.append((tag, attributes, skipped))
        self.skipping += skipped

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID or not any(t == tag for t, _, _ in self.stack):
            return
        if tag not in INLINE:
            self._flush()
        while self.stack:
            open_tag, _, skipped = self.stack.pop()
            self.skipping -= skipped
            if open_tag == tag:
                break
        if tag == "tr" and self.row is not None:
            if not self.row_links_elsewhere:
                self.blocks.extend(self.row)
            self.row = None
        if tag == "main" and not self.whole_document:
            self.inside = False

    def handle_data(self, data):
        if self.inside and not self.skipping:
            self.buffer.append(data)

    def close(self):
        super().close()
        self._flush()

    def _flush(self):
        text = " ".join("".join(self.buffer).split())
        self.buffer = []
        if not text or not self.inside or self.skipping:
            return
        blocks = self.row if self.row is not None else self.blocks
        blocks.append((text, self._key(), self._context(text)))

    def _key(self) -> str:
        for tag, attributes, _ in reversed(self.stack):
            if tag not in INLINE:
                return f"{tag}.{'.'.join(attributes.get('class', '').split())}"
        return ""

    def _context(self, text: str) -> str:
        for tag, attributes, _ in reversed(self.stack):
            if attributes.get("data-label"):
                return attributes["data-label"]
            if tag == "dt":
                self.field_label = text
                return "dt"
            if tag == "dd":
                return self.field_label
        tag, attributes = next(((t, a) for t, a, _ in reversed(self.stack) if t not in INLINE), ("", {}))
        return ".".join([tag, *attributes.get("class", "").split()])


def read_blocks(html: str, other_pages: AbstractSet[str] = frozenset(), whole_document: bool = False) -> list[tuple[str, str, str]]:
    reader = _BlockReader(whole_document, set(other_pages))
    reader.feed(html)
    reader.close()
    return reader.blocks


# The templates' wording.


@dataclass(frozen=True)
class Run:
    """A run of template text between two block-level tags, as a pattern over a block's text."""

    key: re.Pattern[str]  # the block element (tag and class) it stands in
    patterns: tuple[re.Pattern[str], ...]
    source: str


@dataclass(frozen=True)
class Wording:
    runs: tuple[Run, ...]
    constants: frozenset[str]  # normalised

    def values(self, text: str, key: str) -> list[str]:
        """The values in a block of text: what the best-matching run's `{{ }}` wrote, or the whole
        block when no run matches; less template constants."""
        best: list[str] = [text]
        best_literal = 0
        length = _visible_length(text)
        for run in self.runs:
            if not run.key.fullmatch(key):
                continue
            for pattern in run.patterns:
                match = pattern.fullmatch(text)
                if match is None:
                    continue
                captured = [g for g in match.groups() if g]
                literal = length - sum(map(_visible_length, captured))
                if literal > best_literal:
                    best, best_literal = captured, literal
        values = (normalised_text(v) for v in best)
        return [v for v in values if v and v not in self.constants]

    def block(self, text: str, key: str, context: str) -> Block:
        return Block(text, tuple(self.values(text, key)), context)


def _visible_length(text: str) -> int:
    return len(normalised_text(text))


@functools.cache
def template_wording(templates: Path = TEMPLATES) -> Wording:
    loader = jinja2.FileSystemLoader(templates)
    environment = jinja2.Environment(loader=loader, trim_blocks=True, lstrip_blocks=True)
    trees = {name: environment.parse(loader.get_source(environment, name)[0]) for name in _template_closure(environment, loader)}
    constants = {c.value for tree in trees.values() for c in tree.find_all(nodes.Const) if isinstance(c.value, str)}
    constants.update(_environment_tables(templates))
    macros = {macro.name: macro for tree in trees.values() for macro in tree.find_all(nodes.Macro)}
    runs: dict[tuple[str, str], Run] = {}
    for name in PAGE_TEMPLATES:
        stand_in = _StandIn(_blocks(trees, name), macros).text(_root(trees, name))
        for text, key, _context in read_blocks(stand_in, whole_document=True):
            if (key, text) not in runs and (patterns := _run_patterns(text)):
                runs[key, text] = Run(_key_pattern(key), patterns, text)
    normalised = {normalised_text(c) for c in constants}
    return Wording(tuple(runs.values()), frozenset(c for c in normalised if c))


def _template_closure(environment: jinja2.Environment, loader: jinja2.BaseLoader) -> list[str]:
    """The page templates and the templates they extend, import or include."""
    seen: list[str] = []
    pending = list(PAGE_TEMPLATES)
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.append(name)
        source = loader.get_source(environment, name)[0]
        pending.extend(n for n in meta.find_referenced_templates(environment.parse(source)) if n)
    return seen


def _extends(tree: nodes.Template) -> str | None:
    extends = next(tree.find_all(nodes.Extends), None)
    return extends.template.value if extends is not None and isinstance(extends.template, nodes.Const) else None


def _root(trees: dict[str, nodes.Template], name: str) -> nodes.Template:
    while (parent := _extends(trees[name])) is not None:
        name = parent
    return trees[name]


def _blocks(trees: dict[str, nodes.Template], name: str) -> dict[str, nodes.Block]:
    """The blocks a template renders with: its own, else those of the templates it extends."""
    chain = [name]
    while (parent := _extends(trees[chain[-1]])) is not None:
        chain.append(parent)
    blocks: dict[str, nodes.Block] = {}
    for template in reversed(chain):
        blocks.update({block.name: block for block in trees[template].find_all(nodes.Block)})
    return blocks


def _environment_tables(templates: Path) -> Iterator[str]:
    """The strings of the tables (mappings to text) the site's template environment is given, such
    as the kind labels: constants of the templates kept in Python."""
    from gkml_ssg.render.renderer import Renderer

    environment = Renderer((templates,), {}).environment("html")
    for value in environment.globals.values():
        if isinstance(value, Mapping):
            yield from (v for v in value.values() if isinstance(v, str))


@dataclass(frozen=True)
class _StandIn:
    """A template's text with each Jinja tag replaced by its stand-in character, as the page is
    rendered: `blocks` are the definitions its {% block %} tags render (the most derived template's),
    and a macro called in a `{{ }}` is written out in place (its wording lands where it is called)."""

    blocks: dict[str, nodes.Block]
    macros: dict[str, nodes.Macro]
    expanding: tuple[str, ...] = ()

    def text(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.TemplateData):
            return node.data
        if isinstance(node, nodes.Output):
            return "".join(self._output(child) for child in node.nodes)
        if isinstance(node, nodes.If):
            parts = [IF, self._body(node.body)]
            for branch in node.elif_:
                parts += [ELSE, self._body(branch.body)]
            if node.else_:
                parts += [ELSE, self._body(node.else_)]
            return "".join([*parts, ENDIF])
        if isinstance(node, nodes.For):
            return FOR + self._body(node.body) + ENDFOR
        if isinstance(node, nodes.Block):
            return self._body(self.blocks.get(node.name, node).body)
        if isinstance(node, (nodes.Template, nodes.Scope, nodes.FilterBlock, nodes.With, nodes.ScopedEvalContextModifier)):
            return self._body(node.body)
        return ""  # set, extends, import, macro definitions (written where called): nothing

    def _body(self, children: list[nodes.Node]) -> str:
        return "".join(self.text(child) for child in children)

    def _output(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.TemplateData):
            return node.data
        callee = node.node if isinstance(node, nodes.Call) else None
        name = callee.attr if isinstance(callee, nodes.Getattr) else callee.name if isinstance(callee, nodes.Name) else None
        if name in self.macros and name not in self.expanding:
            expanded = _StandIn(self.blocks, self.macros, (*self.expanding, name))
            return expanded._body(self.macros[name].body)
        return EXPR


def _run_patterns(text: str) -> tuple[re.Pattern[str], ...]:
    """A run of stand-in text as regular expressions over the text of a block, one for each way
    its `{% if %}` and `{% for %}` tags can go (so that the one matching the most literal text can
    be chosen); none that would match a block without literal text."""
    position = 0

    def sequence(stops: str) -> list[tuple[str, int]]:
        """The run from `position` to the next of `stops`: (pattern, literal characters) each way."""
        nonlocal position
        ways: list[tuple[str, int]] = [("", 0)]
        while position < len(text):
            character = text[position]
            if character in stops:
                break
            position += 1
            if character == EXPR:
                part = [(VALUE, 0)]
            elif character == IF:
                part = [("", 0), *sequence(ELSE + ENDIF)]
                while position < len(text) and text[position] == ELSE:
                    position += 1
                    part += sequence(ELSE + ENDIF)
                position += 1  # the ENDIF (or the run's end: the if closes after a tag)
            elif character == FOR:
                part = [("", 0), *((f"(?:{body})+", literal) for body, literal in sequence(ENDFOR))]
                position += 1
            elif character in (ELSE, ENDIF, ENDFOR):
                # a branch that began before this run: what came before it may be missing
                ways, part = [*ways, ("", 0)], [("", 0)]
            else:
                end = position
                while end < len(text) and text[end] not in MARKERS:
                    end += 1
                literal = text[position - 1:end]
                position = end
                part = [(_literal_pattern(literal), len(normalised_text(literal)))]
            ways = list(dict.fromkeys((a + b, m + n) for a, m in ways for b, n in part))
        return ways

    return tuple(re.compile(_spaces(pattern), re.DOTALL) for pattern, literal in sequence("") if literal)


def _literal_pattern(literal: str) -> str:
    """Literal text, its white space marked (see `_spaces`)."""
    return SPACE.join(re.escape(part) for part in re.split(r"\s+", literal))


def _spaces(pattern: str) -> str:
    """The white space of a run's literal text is in the page too (the templates are read as they
    are rendered: blocks trimmed), except at the ends of a block, which are stripped."""
    pattern = re.sub(f"{SPACE}+", SPACE, pattern)
    pattern = pattern.removeprefix(SPACE).removesuffix(SPACE)
    return pattern.replace(SPACE, r"\s+")


def _key_pattern(key: str) -> re.Pattern[str]:
    """A run's block element as a pattern over a page block's key (a Jinja tag in the element's
    name or class matches any name or class)."""
    return re.compile("[^.]*".join(re.escape(part) for part in re.split(f"[{MARKERS}]+", key)))


def word_runs(text: str) -> list[str]:
    """The stretches of a normalised text a query word can match: its runs of letters, digits and
    ideographs (a query keeps only those, and any other character of a text separates). A query
    word occurs in a text exactly when it occurs in one of these runs."""
    return [run for run in re.split(r"[\W_]+", text) if run]
