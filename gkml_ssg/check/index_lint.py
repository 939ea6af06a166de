"""The warnings about 索引号 (see `content.index_numbers`): rows an agency could number and has
not, and two agencies with one code, whose numbers would collide (the build cannot see that: it
may not read both files)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gkml_ssg.check.diagnostics import Diagnostic
from gkml_ssg.check.lint_file import LintFile
from gkml_ssg.content.fields import yaml_key
from gkml_ssg.content.model import Agency, Item
from gkml_ssg.numbering.assign import model_rows


def missing_index_numbers(file: LintFile, agency: Agency) -> Iterator[Diagnostic]:
    """Rows without a 索引号 in an agency that has the code to number them: one warning, at the
    first such row. (Without a code there is nothing to run; the README says what a code gives.)"""
    if agency.code is None:
        return
    missing = [row for row in model_rows(agency) if row.index_number is None]
    if missing:
        yield file.warning(
            "index-number-missing",
            yaml_key(Item, "index_number"),
            f"{len(missing)} 个条目还没有索引号",
            f"运行 gkml index-numbers {file.path} 为它们编号（已有的索引号不会改变）",
            missing[0].origin,
        )


def shared_codes(agencies: Iterable[tuple[str, Agency]]) -> Iterator[Diagnostic]:
    """Two agency files with one 机构代码 would give their rows the same 索引号 (the build cannot
    see it: it may not read both files): a warning on the second, naming the first."""
    first: dict[str, str] = {}
    key = yaml_key(Agency, "code")
    for path, agency in agencies:
        if agency.code is None:
            continue
        if agency.code not in first:
            first[agency.code] = path
            continue
        yield LintFile(path, {}).warning(
            "shared-agency-code",
            key,
            f"{key}“{agency.code}”与 {first[agency.code]} 相同：两个机构的索引号会重复",
            "请核对两个文件的机构代码；同一机构只应有一个文件",
            agency.origin,
        )
