"""The officer's column mapping file: header words of their own → the form's columns.

```yaml
# 列名对照.yml: 原表列名: 标准列名
公开载体及形式: 公开渠道和载体
发布时限: 公开时限
```
"""

from __future__ import annotations

from pathlib import Path

from gkml_ssg.content.yamlnodes import Mapping, Scalar, YamlRefused, decode_utf8, parse
from gkml_ssg.form.columns import Column, column_named, header_key


class MappingInvalid(Exception):
    """A mapping file that cannot be used; the message is Chinese and names the file."""


def load_mapping(path: Path) -> dict[str, Column]:
    """header key → column, from a YAML mapping of 原表列名 to 标准列名."""
    try:
        root = parse(decode_utf8(path.read_bytes()))
    except OSError as error:
        raise MappingInvalid(f"{path}：无法读取列名对照文件（{error.strerror or error}）") from error
    except YamlRefused as refused:
        at = f":{refused.origin.line}:{refused.origin.column}" if refused.origin else ""
        raise MappingInvalid(f"{path}{at}：列名对照文件不是有效的 YAML：{refused.message}") from refused
    if not isinstance(root, Mapping) or not root.entries:
        raise MappingInvalid(f"{path}：列名对照文件应是“原表列名: 标准列名”的映射，每行一对")
    mapping: dict[str, Column] = {}
    for key, value in root.entries:
        at = f"{path}:{key.origin.line}:{key.origin.column}"
        if not isinstance(value, Scalar) or value.is_null:
            raise MappingInvalid(f"{at}：原表列名“{key.value}”后应写一个标准列名")
        column = column_named(value.value)
        if column is None or column is Column.CHANNEL_TICK:
            known = "、".join(column.value for column in Column if column is not Column.CHANNEL_TICK)
            raise MappingInvalid(f"{at}：“{value.value}”不是标准列名；可用的列名：{known}")
        mapping[header_key(key.value)] = column
    return mapping
