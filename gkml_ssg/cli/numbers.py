"""`gkml index-numbers`: give every row without a 索引号 its number, in the agency files themselves."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click

from gkml_ssg.cli.failures import reported
from gkml_ssg.cli.tables import write_whole
from gkml_ssg.content.load import load_content
from gkml_ssg.numbering.assign import CannotNumber, number_agency

BOM = "\ufeff"


@click.command("index-numbers")
@click.option("--source", type=click.Path(path_type=Path, file_okay=False), default=Path("content"), show_default=True,
              help="内容目录。")
@click.option("--year", type=click.IntRange(1949, 9999), default=None, help="索引号中的年份（默认今年）。")
@click.option("--dry-run", is_flag=True, help="只列出将编的索引号，不改文件。")
@click.argument("files", nargs=-1, type=str)
def index_numbers_command(source: Path, year: int | None, dry_run: bool, files: tuple[str, ...]) -> None:
    """为还没有索引号的条目编写索引号（机构代码/年份-序号），写入机构文件。

    FILES：只编这些机构文件（相对于内容目录的路径）；省略时编全部。已有的索引号从不改变；
    删去的条目的序号不会再用（文件中的“索引号已编至”记录最后一个）。"""
    with reported("编号失败", unchanged=source):
        content = load_content(source)
    wanted = set(files)
    unknown = wanted - {agency.path for agency in content.agencies}
    if unknown:
        click.echo(f"编号失败：内容目录中没有这些机构文件：{'、'.join(sorted(unknown))}", err=True)
        sys.exit(1)
    chosen = [agency for agency in content.agencies if not wanted or agency.path in wanted]
    this_year = year or datetime.date.today().year
    numbered_files = numbered_rows = 0
    problems: list[str] = []
    for agency in chosen:
        path = source / agency.path
        with reported("编号失败", path):
            raw = path.read_bytes().decode("utf-8")
        text = raw.removeprefix(BOM)
        try:
            numbered = number_agency(agency.path, text, agency.agency, this_year)
        except CannotNumber as refused:
            problems.append(str(refused))
            continue
        if numbered is None:
            continue
        for title, number in numbered.numbers:
            click.echo(f"{agency.path}：{number}  {title}")
        if not dry_run:
            with reported("编号失败", path):
                write_whole(path, ((BOM if raw.startswith(BOM) else "") + numbered.text).encode("utf-8"))
        numbered_files += 1
        numbered_rows += len(numbered.numbers)
    verb = "将编写" if dry_run else "已编写"
    click.echo(f"{verb} {numbered_rows} 个索引号（{numbered_files} 个机构文件）。")
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        click.echo(f"编号未完成：{len(problems)} 个机构文件没有编号。", err=True)
        sys.exit(1)
