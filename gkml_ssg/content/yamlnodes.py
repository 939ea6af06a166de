"""Parse YAML text into a small node tree that remembers where every value starts.

The tree is built from the parser's event stream, never by a constructor, so no YAML tag can
create a Python object. The parts of YAML a catalogue never needs and an attacker likes are
refused here with their position: aliases (the "billion laughs" bomb), explicit tags, complex
keys, duplicate keys, several documents, and nesting deeper than any catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from gkml_ssg.content.characters import HINT, describe, find_forbidden
from gkml_ssg.content.errors import ContentError, Origin

_Loader: type[yaml.CSafeLoader | yaml.SafeLoader]
try:  # the C parser is much faster; both only ever produce events here
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# A real catalogue nests 7 deep (agency > 目录 > category > 事项 > item > 公开渠道 > channel).
MAX_DEPTH = 10


@dataclass
class Scalar:
    value: str
    origin: Origin
    plain: bool  # written without quotes or block style: YAML would read `null`, `~` and '' as empty

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")


@dataclass
class Sequence:
    items: list[Node]
    origin: Origin


@dataclass
class Mapping:
    entries: list[tuple[Scalar, Node]] = field(default_factory=list)
    origin: Origin = Origin(1, 1)


Node = Scalar | Sequence | Mapping


class YamlRefused(Exception):
    def __init__(self, message: str, origin: Origin | None, hint: str | None = None, *, code: str = "yaml-syntax"):
        super().__init__(message)
        self.message = message
        self.origin = origin
        self.hint = hint
        self.code = code  # as ContentError.code


def _origin(mark) -> Origin:
    return Origin(mark.line + 1, mark.column + 1)


def parse(text: str) -> Node:
    """Return the single document of `text` as a node tree, or raise YamlRefused."""
    # Written as they are, these would stop the parser with an English message and no line; the
    # decoder finds those written as escapes ("\x01") in the values.
    if (found := find_forbidden(text)) is not None:
        at, char = found
        line_start = text.rfind("\n", 0, at) + 1
        raise YamlRefused(
            f"文件中有不允许的字符 {describe(char)}", Origin(text.count("\n", 0, at) + 1, at - line_start + 1), HINT,
            code="control-character",
        )
    stack: list[Sequence | Mapping] = []
    pending_key: list[Scalar | None] = []
    root: Node | None = None
    documents = 0

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif pending_key[-1] is None:
            if not isinstance(node, Scalar):
                raise YamlRefused("键必须是简单文本，不能是列表或映射", node.origin, code="complex-key")
            for key, _ in parent.entries:
                if key.value == node.value:
                    raise YamlRefused(
                        f"重复的键“{node.value}”（第 {key.origin.line} 行已出现）",
                        node.origin,
                        "删除或合并其中一个",
                        code="duplicate-key",
                    )
            pending_key[-1] = node
        else:
            parent.entries.append((pending_key[-1], node))
            pending_key[-1] = None

    def open_collection(collection: Sequence | Mapping) -> None:
        if len(stack) >= MAX_DEPTH:
            raise YamlRefused(
                f"嵌套层级超过 {MAX_DEPTH} 层，比任何真实目录都深", collection.origin, "请检查缩进", code="too-deep"
            )
        attach(collection)
        stack.append(collection)
        pending_key.append(None)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                raise YamlRefused(
                    f"不支持 YAML 别名“*{event.anchor}”", _origin(event.start_mark), "请直接写出内容", code="yaml-alias"
                )
            if (
                isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent))
                and event.tag is not None
                and not (isinstance(event, yaml.ScalarEvent) and event.tag == "!")
            ):
                raise YamlRefused(
                    f"不支持 YAML 标签“{event.tag}”", _origin(event.start_mark), "请删除该标签", code="yaml-tag"
                )
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlRefused(
                        "一个文件只能包含一个 YAML 文档", _origin(event.start_mark), "删除多余的“---”", code="several-documents"
                    )
            elif isinstance(event, yaml.ScalarEvent):
                attach(Scalar(event.value, _origin(event.start_mark), plain=not event.style))
            elif isinstance(event, yaml.SequenceStartEvent):
                open_collection(Sequence([], _origin(event.start_mark)))
            elif isinstance(event, yaml.MappingStartEvent):
                open_collection(Mapping([], _origin(event.start_mark)))
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
                pending_key.pop()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "无法解析"
        raise YamlRefused(f"YAML 语法错误：{problem}", _origin(mark) if mark else None, "请检查缩进、冒号和引号") from None
    except yaml.YAMLError as error:
        raise YamlRefused(f"YAML 语法错误：{error}", None) from None
    if root is None:
        raise YamlRefused("文件为空", Origin(1, 1), code="empty-file")
    return root


def decode_utf8(data: bytes) -> str:
    """Decode `data` as UTF-8 (a BOM is allowed) or raise YamlRefused at the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlRefused(
            "文件不是 UTF-8 编码", Origin(line, column), "请用 UTF-8 另存该文件（例如在编辑器中选择“UTF-8 编码”）",
            code="not-utf8",
        ) from None


def refusal_error(path: str, refused: YamlRefused) -> ContentError:
    return ContentError(path=path, message=refused.message, origin=refused.origin, hint=refused.hint, code=refused.code)
