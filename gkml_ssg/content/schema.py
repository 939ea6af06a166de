"""JSON Schema for the content files, generated from the model's field declarations.

Editors (VS Code's YAML extension) use it to validate and explain each key while an officer types.
`tests/test_schema.py` fails when the committed files drift from the model.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from enum import Enum
from pathlib import Path
from typing import Any

from gkml_ssg.content.decode import _hints, _split_optional
from gkml_ssg.content.fields import FieldInfo, yaml_fields
from gkml_ssg.content.model import Agency, SiteConfig
from gkml_ssg.content.references import ReferenceCatalogue

SCHEMAS = {"agency.schema.json": Agency, "site.schema.json": SiteConfig, "reference.schema.json": ReferenceCatalogue}
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _type_schema(tp: Any, info: FieldInfo | None, defs: dict[str, Any]) -> dict[str, Any]:
    tp, _ = _split_optional(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):  # a class, never an instance, in type hints
        _define(tp, defs)
        reference: dict[str, Any] = {"$ref": f"#/$defs/{tp.__name__}"}
        scalar_field = getattr(tp, "__scalar_field__", None)
        if scalar_field:
            scalar_tp = _hints(tp)[scalar_field]
            return {"anyOf": [_type_schema(scalar_tp, None, defs), reference]}
        return reference
    if typing.get_origin(tp) is tuple:
        schema: dict[str, Any] = {"type": "array", "items": _type_schema(typing.get_args(tp)[0], None, defs)}
        if info is not None and info.non_empty:
            schema["minItems"] = 1
        if info is not None and info.one_or_more:
            return {"anyOf": [schema["items"], schema]}
        return schema
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [member.value for member in tp]}
    if tp is int:
        limit = {"maximum": info.maximum} if info is not None and info.maximum is not None else {}
        return {"type": "integer", "minimum": 0, **limit}
    if info is not None and info.pattern:
        length = {"maxLength": info.max_length} if info.max_length is not None else {}
        return {"type": "string", "pattern": info.pattern, **length}
    # The loader reads any scalar as text for a text field, so `序号: 1` is fine.
    return {"type": ["string", "number"]}


def _define(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # reserve the name first: the model may refer to itself
    properties: dict[str, Any] = {}
    required: list[str] = []
    hints = _hints(cls)
    for field, info in yaml_fields(cls):
        schema = _type_schema(hints[field.name], info, defs)
        schema = {**schema, "description": info.doc} if "$ref" not in schema else {"allOf": [schema], "description": info.doc}
        properties[info.key] = schema
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            required.append(info.key)
    definition: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": properties}
    if cls.__doc__:
        definition["description"] = " ".join(cls.__doc__.split())
    if required:
        definition["required"] = required
    defs[cls.__name__] = definition


def schema_for(cls: type, filename: str) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    _define(cls, defs)
    root = defs.pop(cls.__name__)
    return {"$schema": _DIALECT, "$id": f"https://gkml.invalid/schema/{filename}", "title": f"gkml {cls.__name__}", **root, "$defs": dict(sorted(defs.items()))}


def schema_texts() -> dict[str, str]:
    return {
        name: json.dumps(schema_for(cls, name), ensure_ascii=False, indent=2) + "\n" for name, cls in SCHEMAS.items()
    }


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
