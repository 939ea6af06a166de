"""Officers' tables made from content/: each seed's catalogue laid out as its county keeps it
(Word, Excel, Excel 97–2003, CSV), and variants any agency can be laid out in. Each function takes
an agency and a folder, writes one file there (named after the agency, as officers name theirs)
and returns its path; `fixtures()` lists them with what each layout cannot carry. Made with
python-docx, openpyxl, xlwt and csv, not the project's exporter: the importer meets tables it did
not write."""

from __future__ import annotations

import dataclasses
import itertools
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import table_fixture_layouts as layout
from table_fixture_layouts import CATEGORY_KEYS, Column, Style, Table, catalogue, columns_for

from gkml_ssg.content.load import decode_agency
from gkml_ssg.content.model import Agency, DeclaredCounts, FormInfo, NegativeList, OnRequestList, Overview

CONTENT = Path(__file__).resolve().parent.parent / "content"


def seeds() -> dict[str, Agency]:
    """The seeds' agencies as content/ holds them, by file stem (huinong-yibao …)."""
    found = {}
    for path in sorted(CONTENT.rglob("*-yibao.yml")):
        agency, errors = decode_agency(path.relative_to(CONTENT).as_posix(), path.read_bytes())
        assert agency is not None, errors
        found[path.stem] = agency
    return found


def _path(folder: Path, agency: Agency, suffix: str, stem: str | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{stem or agency.name}{suffix}"


def _title(agency: Agency) -> list[str]:
    return [agency.catalogue_title] if agency.catalogue_title else []


def _banners(texts: list[str], width: int) -> Table:  # a table starting with rows of one text (title, counts)
    table = Table()
    for text in texts:
        table.banner(text, width)
    return table


def declared_text(declared: DeclaredCounts) -> str:
    counts = [" " if value is None else str(value) for value in dataclasses.astuple(declared)]  # a count not given: a blank
    return "政府信息：主动公开一级事项{}项，二级事项{}项；依申请公开二级事项{}项".format(*counts)


def sign_off(form: FormInfo) -> str:
    parts = (("责任单位", form.unit), ("填表人", form.filled_by), ("复核人", form.reviewed_by), ("审签人", form.approved_by), ("填表时间", form.filled_on))
    return "\u3000".join(f"{label}：{value or ''}" for label, value in parts)


def overview_lines(overview: Overview | None) -> list[str]:
    if overview is None:
        return []
    parts = (
        ("公开依据", "、".join(overview.basis)), ("责任主体", overview.responsible), ("联系方式", overview.contact),
        ("公开渠道", overview.channels), ("监督渠道", overview.supervision),
    )  # fmt: skip
    return [f"{label}：{value}" for label, value in parts if value]


def _mid_category(agency: Agency) -> int | None:
    """Where a page break falls inside a category: halfway through the first category of four
    items or more from the middle of the catalogue on (else the last such), so that merged cells
    run on both sides; else the first item from the middle on that is not its category's first."""
    starts, halves, position = set(), [], 0
    for category in agency.catalogue:
        starts.add(position)
        if len(category.items) >= 4:
            halves.append(position + len(category.items) // 2)
        position += len(category.items)
    later = [half for half in halves if half >= position // 2]
    if halves:
        return later[0] if later else halves[-1]
    return next((at for at in range(position // 2, position) if at not in starts), None)


# The attachments' columns; a key is the name of the entry's field the column holds.
ON_REQUEST_COLUMNS = [
    Column("number", "序号"), Column("category", "一级事项", "公开事项"), Column("title", "二级事项", "公开事项"),
    Column("content", "不予主动公开的内容"), Column("grounds", "不予主动公开的依据"), Column("office", "责任科室"),
    Column("update_cycle", "信息产生时间 或更新周期"), Column("review_procedure", "依申请公开审核程序"),
]  # fmt: skip
NEGATIVE_COLUMNS = [
    Column("number", "序号"), Column("kind", "事项类别"), Column("title", "公开事项"), Column("content", "内容"),
    Column("grounds", "不予公开的依据"), Column("office", "责任科室"), Column("update_cycle", "信息产生时间或更新周期"),
]  # fmt: skip


def attachment(columns: list[Column], listing: OnRequestList | NegativeList, merge_keys: Iterable[str]) -> list[object]:
    """附件2 written as seed 000's PDF shows it (附件 2), the list's title, and its table: grounds one
    a line, `merge_keys` columns merged where consecutive rows agree."""
    table = Table()
    layout.add_header(table, columns)
    values = [{column.key: getattr(entry, column.key) for column in columns} for entry in listing.entries]
    rows = [layout.Row({key: "\n".join(value) if isinstance(value, tuple) else value for key, value in row.items()}, 0) for row in values]
    layout.fill(table, columns, rows, merge_keys)
    label = [re.sub(r"^附件\s*(\d+)$", r"附件 \1", listing.label)] if listing.label else []
    return [*label, *([listing.title] if listing.title else []), table]


# The seeds' own layouts.


def huinong_docx(agency: Agency, folder: Path, stem: str | None = None) -> Path:
    """Seed 000: the title above the table; two header rows; the category merged down its rows
    (its number in 序号, the items having none); 13 channel boxes ■/□ in one cell; √ ticks;
    公开层级 and 备注; then 附件 2 (on request) and 附件 3 (the negative list), each with its title."""
    blocks: list[object] = [*_title(agency)]
    blocks += catalogue(Table(), agency, columns_for(agency), Style(), merge_keys=CATEGORY_KEYS)
    if agency.on_request is not None:
        blocks += attachment(ON_REQUEST_COLUMNS, agency.on_request, ("category", "review_procedure"))
    if agency.negative is not None:
        blocks += attachment(NEGATIVE_COLUMNS, agency.negative, ("kind",))
    return layout.write_docx(blocks, _path(folder, agency, ".docx", stem))


def haiyuan_xlsx(agency: Agency, folder: Path, stem: str | None = None) -> Path:
    """Seed 001: a merged title row, the declared counts, two header rows (特定全体, the form's
    typo), categories as 一、概况信息 merged down, 公开依据/公开时限/公开主体 merged where a
    category's consecutive rows agree, channel boxes ☑/☐ one a line, the sign-off row below."""
    columns = columns_for(agency, group_header="特定全体", proactive_header="主动公开")
    table = _banners(_title(agency) + ([declared_text(agency.declared)] if agency.declared else []), len(columns))
    style = Style(ticked="☑", unticked="☐", box_separator="\n")
    catalogue(table, agency, columns, style, merge_keys=CATEGORY_KEYS | {"basis", "deadline", "body"})
    if agency.form is not None:
        table.banner(sign_off(agency.form), len(columns))
    return layout.write_xlsx(table, _path(folder, agency, ".xlsx", stem), "政务公开清单")


def dawukou_docx(agency: Agency, folder: Path, stem: str | None = None) -> Path:
    """Seed 002: the title and the overview (公开依据：…, 责任主体：…) before the table; the channel
    column headed 公开渠道; no 公开方式 column (the seed has none); boxes ☑/☐; categories as
    一、概况信息; 公开依据 and 公开时限 merged where a category's consecutive rows agree."""
    blocks: list[object] = [*_title(agency), *overview_lines(agency.overview)]
    columns = columns_for(agency, channel_header="公开渠道")
    style = Style(ticked="☑", unticked="☐")
    blocks += catalogue(Table(), agency, columns, style, merge_keys=CATEGORY_KEYS | {"basis", "deadline"})
    return layout.write_docx(blocks, _path(folder, agency, ".docx", stem))


def lingwu_xls(agency: Agency, folder: Path, stem: str | None = None) -> Path:
    """Seed 003: the declared counts (a count not given left blank), 网站所属栏目 and empty
    所属“五公开”类型 columns, the category's number in 序号 and its name merged down its rows,
    公开时限/公开主体/渠道 merged where they agree, and the header repeated inside a category (a
    page break), the running category written again below it."""
    columns = columns_for(agency, proactive_header="主动公开", five_types=True)
    table = _banners(_title(agency) + ([declared_text(agency.declared)] if agency.declared else []), len(columns))
    middle = _mid_category(agency)
    catalogue(
        table, agency, columns, Style(box_separator="\n"),
        merge_keys=CATEGORY_KEYS | {"deadline", "body", "channels"}, header_before=[] if middle is None else [middle],
    )  # fmt: skip
    return layout.write_xls(table, _path(folder, agency, ".xls", stem), "目录")


def guannan_csv(agency: Agency, folder: Path, stem: str | None = None, every: int = 6) -> Path:
    """Seed 004: CSV (UTF-8 with BOM), so no merges: every row repeats 过程 and 一级事项; 过程
    before 一级事项, 公开方式 before 公开对象, channels as words in a last column 公开渠道; the
    title and 单位 rows above, the header repeated every `every` rows (page breaks), 注 below."""
    columns = columns_for(
        agency, content_header="公开内容", channel_header="公开渠道", proactive_header="主动公开",
        numbers_in_category=True, mode_before_audience=True, channels_last=True, remarks=False,
    )  # fmt: skip
    table = _banners(_title(agency) + ([f"单位：{agency.unit}"] if agency.unit else []), len(columns))
    count = sum(len(category.items) for category in agency.catalogue)
    catalogue(table, agency, columns, Style(ticked=None), header_before=range(every, count, every))
    if agency.note:
        table.banner(f"注：{agency.note}", len(columns))
    return layout.write_csv(table, _path(folder, agency, ".csv", stem))


# Variants, for any agency: the title and the catalogue's table only.


def shuffled_xlsx(agency: Agency, folder: Path, stem: str | None = None, seed: int = 15) -> Path:
    """The columns in another order: groups (公开事项, 公开对象, 公开方式) kept under their heading,
    their columns shuffled too."""
    columns = columns_for(agency)
    units = [list(unit) for _, unit in itertools.groupby(columns, key=lambda column: column.group or column.header)]
    shuffler = random.Random(seed)
    shuffled = columns
    while shuffled == columns:
        shuffler.shuffle(units)
        for unit in units:
            shuffler.shuffle(unit)
        shuffled = [column for unit in units for column in unit]
    table = _banners(_title(agency), len(shuffled))
    catalogue(table, agency, shuffled, Style(), merge_keys=CATEGORY_KEYS)
    return layout.write_xlsx(table, _path(folder, agency, ".xlsx", stem))


def subset_xls(agency: Agency, folder: Path, stem: str | None = None) -> Path:
    """Without the 公开层级 and 备注 columns."""
    columns = [column for column in columns_for(agency, remarks=False) if column.key != "level"]
    table = _banners(_title(agency), len(columns))
    catalogue(table, agency, columns, Style(), merge_keys=CATEGORY_KEYS)
    return layout.write_xls(table, _path(folder, agency, ".xls", stem))


def split_docx(agency: Agency, folder: Path, stem: str | None = None) -> Path:
    """One table split in two Word tables at a page break inside a category: the second has no
    header, and its first rows' category cells are empty (the category runs on)."""
    tables = catalogue(Table(), agency, columns_for(agency), Style(), merge_keys=CATEGORY_KEYS, split_before=_mid_category(agency))
    blocks: list[object] = [*_title(agency)]
    for number, table in enumerate(tables):
        blocks += [layout.PAGE_BREAK, table] if number else [table]
    return layout.write_docx(blocks, _path(folder, agency, ".docx", stem))


def inline_basis_csv(agency: Agency, folder: Path, stem: str | None = None, joiner: str = "；") -> Path:
    """公开依据 cells citing several documents on one line, joined by `joiner`; a CSV, so every row
    repeats its category (its number before its name) and channels are words."""
    columns = columns_for(agency, numbers_in_category=True)
    table = _banners(_title(agency), len(columns))
    catalogue(table, agency, columns, Style(ticked=None, basis_joiner=joiner))
    return layout.write_csv(table, _path(folder, agency, ".csv", stem))


# The fixtures, with what each layout cannot carry.

PARTS = frozenset({"unit", "form", "declared", "overview", "note", "on_request", "negative"})  # agency parts beside the catalogue


@dataclass(frozen=True)
class Fixture:
    name: str
    seed: str  # the stem of the agency's file under content/
    write: Callable[[Agency, Path], Path]
    carries: frozenset[str] = PARTS  # the agency parts beside the catalogue the layout has a place for
    dropped: frozenset[str] = frozenset()  # the items' fields the layout has no column for
    remarks_column: bool = True  # items' 备注 written in a column of their own

    def names_agency(self, agency: Agency) -> bool:
        """Whether the file states the agency's name (in its title, 单位 or 责任单位); when it does
        not, the officer gives it on the command line (--name)."""
        written = [agency.catalogue_title or ""]
        written += [agency.unit or ""] if "unit" in self.carries else []
        written += [agency.form.unit or ""] if "form" in self.carries and agency.form is not None else []
        return any(agency.name in text for text in written)

    def expected(self, agency: Agency) -> Agency:
        """The agency as this layout can carry it: the parts and fields it has no place for absent."""
        catalogue = tuple(
            dataclasses.replace(category, items=tuple(dataclasses.replace(item, **dict.fromkeys(self.dropped)) for item in category.items))
            for category in agency.catalogue
        )
        return dataclasses.replace(agency, catalogue=catalogue, **dict.fromkeys(PARTS - self.carries))


SEED_LAYOUTS = (
    Fixture("huinong-docx", "huinong-yibao", huinong_docx),
    Fixture("haiyuan-xlsx", "haiyuan-yibao", haiyuan_xlsx),
    Fixture("dawukou-docx", "dawukou-yibao", dawukou_docx),
    Fixture("lingwu-xls", "lingwu-yibao", lingwu_xls),
    Fixture("guannan-csv", "guannan-yibao", guannan_csv, remarks_column=False),
)
VARIANTS = (
    ("shuffled-xlsx", shuffled_xlsx, frozenset(), True),
    ("subset-xls", subset_xls, frozenset({"level"}), False),
    ("split-docx", split_docx, frozenset(), True),
    ("inline-basis-csv", inline_basis_csv, frozenset(), True),
)


def balanced(text: str) -> bool:
    """Every 《 (or 〈, <) closed, in order: what lets a cell of several citations be cut apart."""
    depth = 0
    for character in text:
        depth += (character in "《〈<") - (character in "》〉>")
        if depth < 0:
            return False
    return depth == 0


def fixtures(agencies: dict[str, Agency]) -> list[Fixture]:
    """The seeds' layouts, and every variant of every seed; citations joined on one line only where
    they all close their brackets (in 《A《B》《C》 no reader can tell where one ends)."""
    found = [fixture for fixture in SEED_LAYOUTS if fixture.seed in agencies]
    for seed, agency in agencies.items():
        for name, write, dropped, remarks_column in VARIANTS:
            bases = (basis for category in agency.catalogue for item in category.items for basis in item.basis)
            if write is inline_basis_csv and not all(balanced(basis) for basis in bases):
                continue
            found.append(Fixture(f"{seed.removesuffix('-yibao')}-{name}", seed, write, frozenset(), dropped, remarks_column))
    return found
