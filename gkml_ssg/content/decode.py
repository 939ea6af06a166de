"""Turn a YAML node tree into the model's dataclasses, collecting every error with its position.

One general mechanism driven by the `yaml_field` declarations: mappings become dataclasses,
sequences become tuples, scalars become text, integers or enum members. Nothing is coerced
silently: a list where text belongs, an unknown key or an unknown enum value is an error that
names the key path (`目录[2].事项[3].公开方式`), the line and the column.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from enum import Enum
from functools import cache
from typing import Any

from gkml_ssg.content.characters import HINT, describe, find_forbidden, replace_forbidden, suspect
from gkml_ssg.content.errors import ContentError
from gkml_ssg.content.fields import FieldInfo, yaml_fields
from gkml_ssg.content.yamlnodes import Mapping, Node, Scalar, Sequence

INVALID = object()  # returned for a value that produced an error; the error is already recorded

_KIND_NAMES = {Mapping: "映射（键: 值）", Sequence: "列表", Scalar: "文本"}


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _split_optional(tp: Any) -> tuple[Any, bool]:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


@cache
def _shape(tp: Any) -> tuple[str, Any]:
    """What a declared type asks of a node, worked out once per type (decoding is a hot path)."""
    tp, _ = _split_optional(tp)
    if dataclasses.is_dataclass(tp):
        return "dataclass", tp
    if typing.get_origin(tp) is tuple:
        return "sequence", typing.get_args(tp)[0]
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "enum", tp
    if tp is int:
        return "int", tp
    return "text", tp


@dataclasses.dataclass(frozen=True)
class _ClassPlan:
    declared: list
    by_key: dict
    hints: dict
    scalar_field: str | None
    has_origin: bool
    required: list


@cache
def _plan(cls: type) -> _ClassPlan:
    declared = yaml_fields(cls)
    return _ClassPlan(
        declared=declared,
        by_key={info.key: (f, info) for f, info in declared},
        hints=_hints(cls),
        scalar_field=getattr(cls, "__scalar_field__", None),
        has_origin="origin" in {f.name for f in dataclasses.fields(cls)},
        required=[
            (f, info) for f, info in declared
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ],
    )


@cache
def _enum_values(tp: type[Enum]) -> tuple[str, ...]:
    return tuple(member.value for member in tp)


@dataclasses.dataclass
class Decoder:
    path: str  # the file, relative to the content folder, for error messages
    errors: list[ContentError] = dataclasses.field(default_factory=list)

    def error(self, node: Node, field: str, message: str, hint: str | None = None, *, code: str) -> object:
        self.errors.append(ContentError(self.path, message, node.origin, field or None, hint, code))
        return INVALID

    def decode(self, node: Node, tp: Any, field: str = "", info: FieldInfo | None = None) -> Any:
        shape, tp = _shape(tp)
        if shape == "dataclass":
            return self._dataclass(node, tp, field)
        if shape == "sequence":
            return self._sequence(node, tp, field, info)
        if not isinstance(node, Scalar):
            return self._wrong_kind(node, field, Scalar)
        if suspect(node.value) and self._forbidden_character(node, field):
            return INVALID
        try:
            if shape == "enum":
                return self._enum(node, tp, field)
            if shape == "int":
                return self._int(node, field, info)
            return self._text(node, field, info)
        except ValueError:  # a value Python cannot take, whatever the reason: never a traceback
            return self.error(node, field, f"取值“{_shortened(node.value)}”无法读取", code="bad-value")

    def _forbidden_character(self, node: Scalar, field: str) -> bool:
        """Whether the text holds a character no page may hold (see `characters`); if so, say which."""
        found = find_forbidden(node.value)
        if found is None:
            return False
        self.error(
            node, replace_forbidden(field), f"第 {found[0] + 1} 个字符是不允许的字符 {describe(found[1])}", HINT,
            code="control-character",
        )
        return True

    def _int(self, node: Scalar, field: str, info: FieldInfo | None) -> Any:
        digits = node.value
        if not (node.plain and re.fullmatch(r"[0-9]+", digits)):
            return self.error(node, field, f"应为整数，实际为“{_shortened(digits)}”", "请只写阿拉伯数字，如 37", code="wrong-type")
        maximum = info.maximum if info is not None else None
        # Compared by length first: Python refuses to read an integer of more than 4,300 digits.
        if maximum is not None and (len(digits.lstrip("0")) > len(str(maximum)) or int(digits) > maximum):
            return self.error(
                node, field, f"数量“{_shortened(digits)}”超过上限 {maximum}", "请填写原表表头声明的数量", code="out-of-range"
            )
        return int(digits)

    def _wrong_kind(self, node: Node, field: str, expected: type) -> object:
        return self.error(
            node, field, f"应为{_KIND_NAMES[expected]}，实际为{_KIND_NAMES[type(node)]}", _KIND_HINTS.get(expected),
            code="wrong-type",
        )

    def _text(self, node: Scalar, field: str, info: FieldInfo | None) -> Any:
        value = node.value.strip()
        if info is None:
            return value
        if info.max_length is not None and len(value) > info.max_length:
            return self.error(
                node, field, f"长度为 {len(value)} 个字符，超过上限 {info.max_length} 个",
                f"请缩短到 {info.max_length} 个字符以内；{info.pattern_hint}" if info.pattern_hint else None, code="too-long",
            )
        if info.pattern and not re.fullmatch(info.pattern, value):
            message = (info.explain(value) if info.explain else None) or f"“{value}”的格式不对"
            return self.error(node, field, message, info.pattern_hint, code="bad-format")
        problem = info.check(value) if info.check else None
        if problem is not None:
            return self.error(node, field, problem, None, code="bad-value")
        return value

    def _enum(self, node: Scalar, tp: type[Enum], field: str) -> Any:
        allowed = _enum_values(tp)
        value = node.value.strip()
        if value in allowed:
            return tp(value)
        close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.3)
        hint = f"是否为“{close[0]}”？" if close else None
        return self.error(node, field, f"未知的取值“{value}”，可选值：{'、'.join(allowed)}", hint, code="unknown-value")

    def _sequence(self, node: Node, item_tp: Any, field: str, info: FieldInfo | None) -> Any:
        if isinstance(node, Scalar) and info is not None and info.one_or_more and not node.is_null:
            value = self.decode(node, item_tp, field)
            return INVALID if value is INVALID else (value,)
        if not isinstance(node, Sequence):
            return self._wrong_kind(node, field, Sequence)
        if info is not None and info.non_empty and not node.items:
            return self.error(node, field, "列表不能为空", "至少写一项", code="empty-list")
        values = [self.decode(item, item_tp, f"{field}[{i}]") for i, item in enumerate(node.items, start=1)]
        return INVALID if any(v is INVALID for v in values) else tuple(values)

    def _dataclass(self, node: Node, cls: type, field: str) -> Any:
        plan = _plan(cls)
        scalar_field = plan.scalar_field
        if isinstance(node, Scalar) and scalar_field and not node.is_null:
            attr = next(f for f, _ in plan.declared if f.name == scalar_field)
            value = self.decode(node, plan.hints[attr.name], field, attr.metadata["yaml"])
            return INVALID if value is INVALID else cls(**{scalar_field: value})
        if not isinstance(node, Mapping):
            return self._wrong_kind(node, field, Mapping)
        by_key = plan.by_key
        values: dict[str, Any] = {}
        failed = False
        for key_node, value_node in node.entries:
            key = key_node.value
            sub = f"{field}.{key}" if field else key
            if suspect(key) and self._forbidden_character(key_node, sub):
                failed = True
                continue
            if key not in by_key:
                self._unknown_key(key_node, sub, plan.declared)
                failed = True
                continue
            f, info = by_key[key]
            if isinstance(value_node, Scalar) and value_node.is_null:
                continue  # an empty value is the same as leaving the key out
            value = self.decode(value_node, plan.hints[f.name], sub, info)
            if value is INVALID:
                failed = True
            else:
                values[f.name] = value
        for f, info in plan.required:
            if f.name not in values and not _has_value(node, info.key):
                sub = f"{field}.{info.key}" if field else info.key
                self.error(node, sub, "缺少必填字段", f"请添加“{info.key}: …”——{info.doc}", code="missing-field")
                failed = True
        if failed:
            return INVALID
        if plan.has_origin:
            values["origin"] = node.origin
        return cls(**values)

    def _unknown_key(self, key_node: Scalar, field: str, declared: list) -> None:
        # Officers may type an English attribute name or a near miss of the Chinese key.
        by_name = {f.name: info.key for f, info in declared}
        keys = [info.key for _, info in declared]
        close = difflib.get_close_matches(key_node.value, keys + list(by_name), n=1, cutoff=0.5)
        hint = f"是否为“{by_name.get(close[0], close[0])}”？" if close else f"可用的字段：{'、'.join(keys)}"
        self.error(key_node, field, f"未知字段“{key_node.value}”", hint, code="unknown-field")


def _shortened(value: str, limit: int = 20) -> str:
    """A value as an error message quotes it: a long one cut, with its length."""
    return value if len(value) <= limit else f"{value[:limit]}…（共 {len(value)} 个字符）"


def _has_value(node: Mapping, key: str) -> bool:
    """A key written with a value that failed is already reported; only an absent or empty one is missing."""
    return any(k.value == key and not (isinstance(v, Scalar) and v.is_null) for k, v in node.entries)


_KIND_HINTS = {
    Sequence: "列表的每一项以“- ”开头，各占一行",
    Mapping: "请按“键: 值”逐行填写",
    Scalar: "此处应直接写文字",
}
