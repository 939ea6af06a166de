"""The export: each seed written as Excel and Word, read back with openpyxl and python-docx, and
checked against the layout the importer expects: headers and their merges, one row per item,
category and stage merges over exactly their rows, attachments, sign-off, the 说明 table; texts
kept exactly (never a formula), and the same bytes every time."""

from __future__ import annotations

import dataclasses
import functools
import io
import itertools
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.table import Table as WordTable
from openpyxl.worksheet.worksheet import Worksheet

from gkml_ssg.content.load import decode_agency
from gkml_ssg.content.model import Agency, Audience, Category, ChannelKind, Item, Mode, NegativeList, OnRequestList
from gkml_ssg.export.archive import FIXED_TIME
from gkml_ssg.export.office import export_agency
from gkml_ssg.form.channels import read_channels

CONTENT = Path(__file__).resolve().parent.parent / "content"
SEEDS = sorted(CONTENT.rglob("*-yibao.yml"))
FORMS = ("xlsx", "docx")
Merge = tuple[int, int, int, int]  # top, left, bottom, right: 0-based, inclusive


@functools.cache
def export(agency: Agency, form: str) -> bytes:
    """The seeds' exports, made once for all the tests that read them."""
    return export_agency(agency, form)


def load(path: Path) -> Agency:
    agency, errors = decode_agency(path.relative_to(CONTENT).as_posix(), path.read_bytes())
    assert agency is not None, errors
    return agency


@pytest.fixture(scope="module", params=[path.stem for path in SEEDS])
def seed(request: pytest.FixtureRequest) -> Agency:
    return load(next(path for path in SEEDS if path.stem == request.param))


@dataclass
class Grid:
    """A table as read back: every row as wide as the table, a covered cell "", and its merges."""

    rows: list[list[str]]
    merges: set[Merge]


@dataclass
class Read:
    """An exported file as read back: its blocks in order, a paragraph as its text and a table as
    None (Word), or each sheet's paragraph rows and table (Excel)."""

    blocks: list[str | None]
    tables: list[Grid]
    sheets: list[str]


def word_grid(table: WordTable) -> Grid:
    """python-docx gives a merged cell's `w:tc` at every position it covers (kept alive in `seen`,
    lxml gives the same element object each time)."""
    rows: list[list[str]] = []
    seen: dict[object, tuple[int, int]] = {}
    spans: dict[object, Merge] = {}
    for row_index, row in enumerate(table.rows):
        texts = []
        for column, cell in enumerate(row.cells):
            key = cell._tc
            if key in seen:
                top, left = seen[key]
                spans[key] = (top, left, row_index, column)
                texts.append("")
            else:
                seen[key] = (row_index, column)
                texts.append(cell.text)
        rows.append(texts)
    return Grid(rows, set(spans.values()))


def read_word(data: bytes) -> Read:
    document = docx.Document(io.BytesIO(data))
    blocks: list[str | None] = []
    tables: list[Grid] = []
    for block in document.iter_inner_content():
        if isinstance(block, WordTable):
            blocks.append(None)
            tables.append(word_grid(block))
        else:
            blocks.append(block.text)
    return Read(blocks, tables, [])


def sheet_grid(sheet: Worksheet) -> Grid:
    rows = [["" if cell.value is None else str(cell.value) for cell in row] for row in sheet.iter_rows()]
    merges = {(r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1) for r in sheet.merged_cells.ranges}
    return Grid(rows, merges)


def read_excel(data: bytes) -> Read:
    """Each sheet: its paragraph rows (one text merged across the width) as blocks, its table
    (the rows from the first `序号` row to the last row that is not a paragraph) as None."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    blocks: list[str | None] = []
    tables: list[Grid] = []
    for sheet in workbook.worksheets:
        grid = sheet_grid(sheet)
        width = len(grid.rows[0])
        paragraph_rows = {merge[0] for merge in grid.merges if merge[0] == merge[2] and merge[1] == 0 and merge[3] == width - 1}
        start = next(index for index, row in enumerate(grid.rows) if row[0] in ("序号", "项目"))
        end = max(index for index in range(len(grid.rows)) if index not in paragraph_rows) + 1
        for index in range(start):
            assert index in paragraph_rows
            blocks.append(grid.rows[index][0])
        blocks.append(None)
        shifted = {(t - start, left, b - start, r) for t, left, b, r in grid.merges if start <= t < end}
        tables.append(Grid(grid.rows[start:end], shifted))
        for index in range(end, len(grid.rows)):
            assert index in paragraph_rows
            blocks.append(grid.rows[index][0])
    return Read(blocks, tables, workbook.sheetnames)


def read(data: bytes, form: str) -> Read:
    return read_excel(data) if form == "xlsx" else read_word(data)


# What the layout says, written out again here from the brief, independently of the exporter.


def items(agency: Agency) -> list[tuple[Category, Item]]:
    return [(category, item) for category in agency.catalogue for item in category.items]


def main_header(agency: Agency) -> tuple[list[str], list[str]]:
    rows = items(agency)
    top, bottom = ["序号"], [""]
    if any(category.stage for category, _ in rows):
        top.append("过程")
        bottom.append("")
    top += ["公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "", "公开方式", ""]
    bottom += ["一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群体", "主动", "依申请"]
    for used, word in (
        (any(item.level for _, item in rows), "公开层级"),
        (any(item.portal_section for _, item in rows), "网站所属栏目"),
        (any(item.slug for _, item in rows), "网址标识"),
    ):
        if used:
            top.append(word)
            bottom.append("")
    return [*top, "备注"], [*bottom, ""]


def header_merges(top: list[str], bottom: list[str]) -> set[Merge]:
    """A single-level header merged down over both rows, a group header across its two columns."""
    merges = set()
    for column, word in enumerate(top):
        if word and bottom[column] == "":
            merges.add((0, column, 1, column))
        elif word:
            merges.add((0, column, 0, column + 1))
    return merges


def expected_blocks(agency: Agency, form: str) -> list[str | None]:
    """The paragraphs (and tables, as None) in order: in Excel, of all sheets one after another."""
    blocks: list[str | None] = []
    if agency.catalogue_title:
        blocks.append(agency.catalogue_title)
    if agency.unit:
        blocks.append(f"单位：{agency.unit}")
    if agency.declared:
        counts = agency.declared
        parts = [("主动公开一级事项", counts.proactive_categories), ("主动公开二级事项", counts.proactive_items), ("依申请公开二级事项", counts.on_request_items)]
        blocks.append("，".join(f"{words}{n}项" for words, n in parts if n is not None))
    if agency.overview:
        view = agency.overview
        fields = [("公开依据", "\n".join(view.basis) or None), ("责任主体", view.responsible), ("联系方式", view.contact), ("公开渠道", view.channels), ("监督渠道", view.supervision)]
        blocks += ["概述"] + [f"{name}：{value}" for name, value in fields if value]
    blocks.append(None)
    if agency.note:
        blocks.append(f"注：{agency.note}")
    if agency.form:
        sign = agency.form
        signed = [("责任单位", sign.unit), ("填表人", sign.filled_by), ("复核人", sign.reviewed_by), ("审签人", sign.approved_by), ("填表时间", sign.filled_on)]
        blocks.append("\u3000\u3000".join(f"{name}：{value}" for name, value in signed if value))
    for listed in (agency.on_request, agency.negative):
        if listed is not None:
            if listed.label and form == "docx":
                blocks.append(listed.label)
            if listed.title:
                blocks.append(listed.title)
            blocks.append(None)
    if form == "docx":
        blocks.append("说明")
    return [*blocks, None]


def expected_notes(agency: Agency) -> list[list[str]]:
    region = agency.region
    facts = [("机构名称", agency.name), ("省", region.province), ("市", region.city), ("区县", region.county), ("地区备注", region.remarks), ("网址标识", agency.slug), ("目录备注", agency.remarks)]
    facts += [(f"第{n}个一级事项“{category.name}”的备注", category.remarks) for n, category in enumerate(agency.catalogue, start=1)]
    return [["项目", "内容"]] + [[name, value] for name, value in facts if value is not None]


@pytest.mark.parametrize("form", FORMS)
def test_the_document_has_its_paragraphs_and_tables_in_order(seed, form):
    exported = read(export(seed, form), form)
    assert exported.blocks == expected_blocks(seed, form)
    if form == "xlsx":
        sheets = ["目录"]
        sheets += [listed.label or default for listed, default in ((seed.on_request, "依申请公开"), (seed.negative, "负面清单")) if listed]
        assert exported.sheets == [*sheets, "说明"]


@pytest.mark.parametrize("form", FORMS)
def test_the_main_table_has_the_form_headers_and_one_row_per_item(seed, form):
    table = read(export(seed, form), form).tables[0]
    top, bottom = main_header(seed)
    assert table.rows[:2] == [top, bottom]
    rows = items(seed)
    assert len(table.rows) == 2 + len(rows)
    column = {word: index for index, word in enumerate(top) if word} | {word: index for index, word in enumerate(bottom) if word}
    expected_merges = header_merges(top, bottom)
    start = 2
    for category in seed.catalogue:
        end = start + len(category.items) - 1
        label = f"{category.number}、{category.name}" if category.number else category.name
        assert [row[column["一级事项"]] for row in table.rows[start : end + 1]] == [label] + [""] * (end - start)
        if end > start:
            expected_merges.add((start, column["一级事项"], end, column["一级事项"]))
        start = end + 1
    if "过程" in column:
        index = 0
        while index < len(rows):
            stage, last = rows[index][0].stage, index
            while stage and last + 1 < len(rows) and rows[last + 1][0].stage == stage:
                last += 1
            if last > index:
                expected_merges.add((2 + index, column["过程"], 2 + last, column["过程"]))
            assert table.rows[2 + index][column["过程"]] == (stage or "")
            index = last + 1
    assert table.merges == expected_merges
    for (_, item), row in zip(rows, table.rows[2:], strict=True):
        assert row[column["序号"]] == (item.number or "")
        assert row[column["二级事项"]] == (item.title or "")
        assert row[column["公开内容（要素）"]] == (item.content or "")
        assert row[column["公开依据"]] == "\n".join(item.basis)
        assert row[column["公开时限"]] == (item.deadline or "")
        assert row[column["备注"]] == (item.remarks or "")
        assert [row[column[word]] for word in ("全社会", "特定群体")] == [
            "√" if item.audience is Audience.PUBLIC else "", "√" if item.audience is Audience.SPECIFIC_GROUP else ""
        ]
        assert [row[column[word]] for word in ("主动", "依申请")] == ["√" if item.mode is Mode.PROACTIVE else "", "√" if item.mode is Mode.ON_REQUEST else ""]
        channels = row[column["公开渠道和载体"]]
        assert read_channels(channels).channels == item.channels
        used = {channel.kind for channel in item.channels}
        assert channels.split("\n")[len(item.channels) :] == ["☐" + kind.value for kind in ChannelKind if kind not in used]


@pytest.mark.parametrize("form", FORMS)
def test_the_attachment_lists_follow_with_their_rows(seed, form):
    tables = read(export(seed, form), form).tables[1:-1]
    listed = [seed_list for seed_list in (seed.on_request, seed.negative) if seed_list is not None]
    assert len(tables) == len(listed)
    for table, attachment in zip(tables, listed, strict=True):
        if isinstance(attachment, OnRequestList):
            header = ["序号", "公开事项", "", "不予主动公开的内容", "不予主动公开的依据", "责任科室", "信息产生时间或更新周期", "依申请公开审核程序", "备注"]
            assert table.rows[:2] == [header, ["", "一级事项", "二级事项", "", "", "", "", "", ""]]
            assert table.merges == header_merges(header, table.rows[1])
            body = table.rows[2:]
            assert [(row[1], row[2], row[4]) for row in body] == [(e.category or "", e.title, "\n".join(e.grounds)) for e in attachment.entries]
        else:
            assert isinstance(attachment, NegativeList)
            assert table.rows[0] == ["序号", "事项类别", "公开事项", "内容", "不予公开的依据", "责任科室", "信息产生时间或更新周期", "备注"]
            assert table.merges == set()
            body = table.rows[1:]
            assert [(row[1], row[2], row[4]) for row in body] == [(e.kind or "", e.title, "\n".join(e.grounds)) for e in attachment.entries]
        assert [row[0] for row in body] == [entry.number or "" for entry in attachment.entries]


@pytest.mark.parametrize("form", FORMS)
def test_huinong_has_its_two_attachments(form):
    huinong = load(CONTENT / "ningxia/shizuishan/huinong-yibao.yml")
    exported = read(export_agency(huinong, form), form)
    on_request, negative = exported.tables[1:3]
    assert len(on_request.rows) - 2 == 3 and len(negative.rows) - 1 == 15
    if form == "xlsx":
        assert exported.sheets == ["目录", "附件2", "附件3", "说明"]
    else:
        assert "附件2" in exported.blocks and "附件3" in exported.blocks


@pytest.mark.parametrize("form", FORMS)
def test_the_notes_table_holds_what_the_form_cannot(seed, form):
    notes = read(export(seed, form), form).tables[-1]
    assert notes.rows == expected_notes(seed)


STRANGE = ["=1+1", "+86 0952", "-1", "@SUM(A1)", "#N/A", "=HYPERLINK(\"http://x\")", "  两端留空  ", "一行\n两行\t制表"]


def strange_agency() -> Agency:
    """Huinong with texts a spreadsheet would compute or a writer would trim in every kind of place."""
    agency = load(CONTENT / "ningxia/shizuishan/huinong-yibao.yml")
    first = agency.catalogue[0]
    item = dataclasses.replace(first.items[0], title=STRANGE[0], content=STRANGE[1], remarks=STRANGE[2], basis=tuple(STRANGE[3:5]), deadline=STRANGE[6], body=STRANGE[7])
    category = dataclasses.replace(first, name=STRANGE[5], items=(item, *first.items[1:]), remarks=STRANGE[0])
    return dataclasses.replace(agency, catalogue=(category, *agency.catalogue[1:]), catalogue_title=STRANGE[0], note=STRANGE[4])


def test_texts_that_look_like_formulas_stay_text_in_excel():
    workbook = openpyxl.load_workbook(io.BytesIO(export_agency(strange_agency(), "xlsx")))
    values = set()
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.data_type == "s" and isinstance(cell.value, str), (sheet.title, cell.coordinate, cell.value)
                    values.add(cell.value)
    flat = {value for text in values for value in [text, *text.split("\n")]}
    assert (set(STRANGE) - {STRANGE[5]}) | {f"一、{STRANGE[5]}", "注：#N/A"} <= flat


@pytest.mark.parametrize("form", FORMS)
def test_texts_are_written_exactly(form):
    exported = read(export_agency(strange_agency(), form), form)
    assert exported.blocks[0] == STRANGE[0]
    row = exported.tables[0].rows[2]
    top, bottom = main_header(strange_agency())
    column = {word: index for index, word in enumerate(top) if word} | {word: index for index, word in enumerate(bottom) if word}
    assert row[column["二级事项"]] == STRANGE[0] and row[column["公开内容（要素）"]] == STRANGE[1] and row[column["备注"]] == STRANGE[2]
    assert row[column["公开依据"]] == "\n".join(STRANGE[3:5]) and row[column["一级事项"]] == f"一、{STRANGE[5]}"
    assert row[column["公开时限"]] == STRANGE[6] and row[column["公开主体"]] == STRANGE[7]


@pytest.mark.parametrize("form", FORMS)
def test_the_same_agency_gives_the_same_bytes(seed, form):
    first = export(seed, form)
    assert export_agency(seed, form) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"
        core = archive.read("docProps/core.xml").decode()
        assert core.count(FIXED_TIME) == 2, core


def test_a_minimal_agency_has_no_optional_columns_or_paragraphs():
    agency = load(CONTENT / "ningxia/shizuishan/huinong-yibao.yml")
    category = Category(name="概况信息", items=(Item(title="机构信息"),))
    bare = Agency(name=agency.name, region=agency.region, source_file="x.txt", catalogue=(category,))
    for form in FORMS:
        exported = read(export_agency(bare, form), form)
        assert exported.blocks == ([None, None] if form == "xlsx" else [None, "说明", None])
        assert exported.tables[0].rows[2][:3] == ["", "概况信息", "机构信息"]
        assert exported.tables[0].rows[0] == ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "", "公开方式", "", "备注"]


def test_attachment_sheets_get_names_excel_allows():
    agency = load(CONTENT / "ningxia/shizuishan/huinong-yibao.yml")
    assert agency.on_request is not None and agency.negative is not None
    on_request = dataclasses.replace(agency.on_request, label="说明")
    negative = dataclasses.replace(agency.negative, label="附件/3:" + "长" * 40)
    workbook = openpyxl.load_workbook(io.BytesIO(export_agency(dataclasses.replace(agency, on_request=on_request, negative=negative), "xlsx")))
    assert workbook.sheetnames == ["目录", "说明(2)", "附件_3_" + "长" * 26, "说明"]


@pytest.mark.parametrize("form", ["pdf", "XLSX", "doc", ""])
def test_an_unknown_form_is_refused(form):
    agency = load(SEEDS[0])
    with pytest.raises(ValueError, match="不支持"):
        export_agency(agency, form)


def test_word_never_puts_two_tables_side_by_side():
    """Word joins two tables with nothing between them when the file is saved again."""
    agency = load(CONTENT / "ningxia/shizuishan/huinong-yibao.yml")
    assert agency.on_request is not None and agency.negative is not None
    bare = dataclasses.replace(
        agency, note=None, form=None,
        on_request=dataclasses.replace(agency.on_request, label=None, title=None),
        negative=dataclasses.replace(agency.negative, label=None, title=None),
    )  # fmt: skip
    blocks = read_word(export_agency(bare, "docx")).blocks
    assert blocks[-7:] == [None, "", None, "", None, "说明", None]
    assert all(not (a is None and b is None) for a, b in itertools.pairwise(blocks))
