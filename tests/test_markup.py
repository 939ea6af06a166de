"""Markdown fields: the plain-paragraph fast path gives exactly the bytes Markdown would."""

from __future__ import annotations

import dataclasses
from enum import Enum

import pytest
from conftest import REPO

from gkml_ssg.content.load import load_content
from gkml_ssg.render.markup import _PLAIN_PARAGRAPH, MarkdownRenderer

TRICKY = [
    "1. 第一项",
    "- 列表",
    "# 标题",
    "> 引用",
    "    缩进代码",
    "a*b*c",
    "a_b_c",
    "见[链接](https://example.gov.cn)",
    "第一行\n第二行",
    "“三公”经费 (2020年) 12345; 第711号: 含冒号",
    "100% 完成 = 目标",
    "2021年8月30日. 结束",
    "(一) 概况",
    "+ 加号开头",
    "=== 等号",
]


def texts_of(value):
    if isinstance(value, Enum):
        yield value.value
    elif isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from texts_of(item)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            yield from texts_of(getattr(value, field.name))


@pytest.fixture(scope="module")
def renderer():
    return MarkdownRenderer()


def test_fast_path_equals_markdown_on_every_seed_text_and_tricky_samples(renderer):
    texts = {t for source in load_content(REPO / "content").agencies for t in texts_of(source.agency)} | set(TRICKY)
    fast = [t for t in texts if _PLAIN_PARAGRAPH.fullmatch(t) and t == t.strip()]
    assert len(fast) > 500
    for text in texts:
        assert renderer(text) == renderer._convert(text), text


@pytest.mark.parametrize("text", ["1. 第一项", "- 列表", "# 标题", "> 引用", "    缩进代码", "a*b*c", "第一行\n第二行"])
def test_markup_is_never_taken_for_plain_text(text):
    assert not _PLAIN_PARAGRAPH.fullmatch(text)
