"""`gkml import` as an officer runs it: layouts the fixtures from content/ do not cover (header
variants and typos, banners, repeated headers, empty category cells, judgements), the report's
positions, the options, the mapping file, and the bad files (exit 1, Chinese, nothing written)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document as WordDocument

from gkml_ssg.cli.main import main
from gkml_ssg.content.model import Audience, Channel, ChannelKind, Mode
from gkml_ssg.importing.agency import ImportFailed, ImportOptions, import_file

REGION = ("宁夏回族自治区", "石嘴山市", "惠农区")
HEADER = ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "", "公开方式", "", "备注"]
SUBHEADER = ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定全体", "主动", "依申请", ""]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows(rows)
    return path


def row(number, category, title, content="内容", basis="《中华人民共和国政府信息公开条例》", channels="☑政府网站 ☐两微一端", audience=(True, False), mode=(True, False), remarks=""):
    return [number, category, title, content, basis, "20个工作日内", "某局", channels,
            "√" if audience[0] else "", "√" if audience[1] else "", "√" if mode[0] else "", "√" if mode[1] else "", remarks]  # fmt: skip


def test_a_csv_with_two_header_rows_a_typo_and_judgements(tmp_path):
    path = write_csv(tmp_path / "目录.csv", [
        ["某某县医疗保障局政务公开目录"],
        HEADER, SUBHEADER,
        row("1", "一、概况信息", "机构职能", remarks="原表备注"),
        row("2", "一、概况信息", "领导信息", audience=(True, True)),
        row("3", "", "下属单位", basis="√"),
        HEADER, SUBHEADER,  # repeated after a page break
        row("4", "一、概况信息", "内设机构", channels="☑信鸽 ☑惠农区人民政府公众网"),
        row("5", "二、政策文件", "规范性文件", basis="根据《甲》（国办发〔2018〕10号）、《乙》和《丙》", mode=(False, True)),
        ["注：本目录每年更新"],
    ])  # fmt: skip
    imported = import_file(path, ImportOptions(region=REGION, slug="mou-yibao"))
    agency = imported.agency
    assert agency.name == "某某县医疗保障局" and agency.catalogue_title == "某某县医疗保障局政务公开目录"
    assert agency.remarks == "机构名称取自原表标题。"
    assert agency.note == "本目录每年更新"
    assert [(c.number, c.name, len(c.items)) for c in agency.catalogue] == [("一", "概况信息", 4), ("二", "政策文件", 1)]
    first, both, stray, odd = agency.catalogue[0].items
    assert first.remarks == "原表备注" and first.audience is Audience.PUBLIC and first.mode is Mode.PROACTIVE
    assert both.audience is None and "全社会、特定群体" in both.remarks
    assert stray.basis == () and "“公开依据”栏只有“√”" in stray.remarks
    assert "归入上一个一级事项“概况信息”" in stray.remarks
    assert odd.channels == (Channel(ChannelKind.OTHER, "信鸽"), Channel(ChannelKind.GOV_WEBSITE, "惠农区人民政府公众网"))
    assert "“信鸽”不是13种标准渠道之一" in odd.remarks
    cited = agency.catalogue[1].items[0]
    assert cited.basis == ("《甲》（国办发〔2018〕10号）", "《乙》", "《丙》") and cited.mode is Mode.ON_REQUEST
    assert "原表公开依据原文为“根据《甲》（国办发〔2018〕10号）、《乙》和《丙》”" in cited.remarks
    report = imported.report.text()
    for position in ("第5行第9列", "第6行第5列", "第6行第2列", "第9行第8列"):
        assert position in report, position
    assert not imported.report.errors


def test_banner_rows_name_the_categories_and_item_numbers_stay_on_items(tmp_path):
    header = ["序号", "二级事项", "公开内容", "公开依据", "公开时限", "公开渠道"]
    path = write_csv(tmp_path / "横幅.csv", [
        header,
        ["一、概况信息", "", "", "", "", ""],
        ["1", "机构职能", "职能", "《条例》", "即时", "政府网站、两微一端"],
        ["2", "领导信息", "姓名", "《条例》", "即时", "政府网站"],
        ["二、法定主动公开内容", "", "", "", "", ""],
        ["3", "规划信息", "规划", "《条例》", "即时", "政府网站"],
    ])  # fmt: skip
    agency = import_file(path, ImportOptions(region=REGION, name="某局")).agency
    assert [(c.number, c.name, [i.number for i in c.items]) for c in agency.catalogue] == [("一", "概况信息", ["1", "2"]), ("二", "法定主动公开内容", ["3"])]
    assert agency.catalogue[0].items[0].channels == (Channel(ChannelKind.GOV_WEBSITE), Channel(ChannelKind.SOCIAL_MEDIA))
    assert all(item.remarks is None for category in agency.catalogue for item in category.items)


def test_an_xlsx_names_cells_as_excel_does_and_reports_formulas(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目录"
    sheet.append(["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限"])
    sheet.append(["1", "概况信息", "机构职能", "职能", "√", "即时"])
    sheet.append(["2", None, "领导信息", "=\"姓名\"&\"职务\"", "《条例》", "即时"])
    sheet.merge_cells("B2:B3")
    path = tmp_path / "表.xlsx"
    book.save(path)
    imported = import_file(path, ImportOptions(region=REGION, name="某局"))
    items = imported.agency.catalogue[0].items
    assert [item.title for item in items] == ["机构职能", "领导信息"]
    assert "目录!E2：“公开依据”栏只有“√”" in imported.report.text()
    # openpyxl writes no cached value: the formula is read as blank, and said so
    assert items[1].content is None
    assert "目录!D3" in imported.report.text()


def test_a_word_table_names_cells_by_table_row_and_column(tmp_path):
    document = WordDocument()
    document.add_paragraph("某某区民政局政府信息公开目录")
    table = document.add_table(rows=3, cols=5)
    for cells, texts in zip((r.cells for r in table.rows), [
        ["序号", "一级事项", "二级事项", "公开依据", "公开方式"],
        ["1", "概况信息", "机构职能", "《条例》", "主动"],
        ["2", "概况信息", "领导信息", "《条例》", "主动、依申请"],
    ], strict=True):  # fmt: skip
        for cell, text in zip(cells, texts, strict=True):
            cell.text = text
    table.cell(1, 1).merge(table.cell(2, 1))
    path = tmp_path / "表.docx"
    document.save(str(path))
    imported = import_file(path, ImportOptions(region=REGION))
    agency = imported.agency
    assert agency.name == "某某区民政局"
    assert [i.mode for i in agency.catalogue[0].items] == [Mode.PROACTIVE, None]
    assert "表1 第3行第5列" in imported.report.text()


def test_mapping_file_names_columns_the_form_does_not_know(tmp_path):
    path = write_csv(tmp_path / "自定义.csv", [
        ["序号", "一级事项", "二级事项", "发布载体", "办理时限"],
        ["1", "概况信息", "机构职能", "☑门户网站", "10日"],
    ])  # fmt: skip
    without = import_file(path, ImportOptions(region=REGION, name="某局"))
    assert without.agency.catalogue[0].items[0].channels == ()
    assert "表头“发布载体”无法识别" in without.report.text() and "第2行第4列" in without.report.text()
    mapping = tmp_path / "列名对照.yml"
    mapping.write_text("发布载体: 公开渠道和载体\n办理时限: 公开时限\n", encoding="utf-8")
    mapped = import_file(path, ImportOptions(region=REGION, name="某局", mapping=mapping))
    item = mapped.agency.catalogue[0].items[0]
    assert item.channels == (Channel(ChannelKind.GOV_WEBSITE, "门户网站"),) and item.deadline == "10日"
    mapping.write_text("发布载体: 发布渠道\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"列名对照.yml:1:1：“发布渠道”不是标准列名"):
        import_file(path, ImportOptions(mapping=mapping))


def run(*args: str, cwd: Path):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def simple_csv(folder: Path) -> Path:
    return write_csv(folder / "惠农区医保局目录.csv", [["惠农区医疗保障局政府信息公开目录"], HEADER, SUBHEADER, row("1", "概况信息", "机构职能")])


def test_the_command_writes_a_file_that_checks_clean(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "site.yml").write_text("网站名称: 测试\n网址: https://example.gov.cn/\n", encoding="utf-8")
    (site / "schema").mkdir()
    (site / "schema" / "agency.schema.json").write_text("{}", encoding="utf-8")
    table = simple_csv(tmp_path)
    out = site / "content" / "ningxia" / "huinong.yml"
    result = run("import", str(table), "--out", str(out), "--region", "宁夏回族自治区/石嘴山市/惠农区", cwd=site)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/agency.schema.json\n名称: 惠农区医疗保障局\n")
    assert "来源文件: 惠农区医保局目录.csv" in text
    assert "读取：一级事项 1 个，二级事项 1 项" in result.output
    checked = run("check", "--source", "content", cwd=site)
    assert checked.exit_code == 0, checked.output
    # an existing file is not overwritten without --force
    out.write_text("officer's edits", encoding="utf-8")
    again = run("import", str(table), "--out", str(out), cwd=site)
    assert again.exit_code == 1 and "已存在，未改动；确认要覆盖时加 --force" in again.output
    assert out.read_text(encoding="utf-8") == "officer's edits"
    forced = run("import", str(table), "--out", str(out), "--force", "--region", "宁夏回族自治区/石嘴山市/惠农区", cwd=site)
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8") == text


def test_without_region_the_file_is_written_and_the_report_says_what_to_fill_in(tmp_path):
    out = tmp_path / "out.yml"
    result = run("import", str(simple_csv(tmp_path)), "--out", str(out), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "地区：表格中没有省、市、区县，请用 --region 指定" in result.output
    text = out.read_text(encoding="utf-8")
    assert "# 请补填：地区" in text and "地区:" not in text.split("\n", 1)[1].replace("# 请补填：地区", "")


def test_dry_run_prints_and_writes_nothing(tmp_path):
    out = tmp_path / "out.yml"
    result = run("import", str(simple_csv(tmp_path)), "--out", str(out), "--dry-run", "--region", "甲省/乙市/丙县", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "名称: 惠农区医疗保障局" in result.output and "导入 惠农区医保局目录.csv" in result.output
    assert not out.exists()


@pytest.mark.parametrize("region", ["宁夏回族自治区/石嘴山市", "//", "甲/乙/丙/丁"])
def test_a_bad_region_is_a_usage_error(tmp_path, region):
    result = run("import", str(simple_csv(tmp_path)), "--dry-run", "--region", region, cwd=tmp_path)
    assert result.exit_code == 2 and "省/市/区县" in result.output


def bad_tables(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    from test_tables import bad_files

    cases = dict(bad_files(tmp_path))
    no_header = write_csv(tmp_path / "无表头.csv", [["甲", "乙", "丙"], ["1", "2", "3"]])
    cases["no header"] = (no_header, "找不到可识别的表头")
    huge = tmp_path / "很大.xlsx"
    with huge.open("wb") as file:
        file.truncate(50 * 1024 * 1024 + 1)
    cases["50 MB"] = (huge, "超过上限 50 MB，不予读取")
    long = tmp_path / "很长.csv"
    long.write_text("序号,二级事项,公开内容,公开依据\n" + "1,甲,乙,丙\n" * 20_000, encoding="utf-8")
    cases["20,001 rows"] = (long, "有 20001 行，超过上限 20000 行")
    return cases


@pytest.mark.parametrize(
    "case",
    ["renamed text", "corrupt zip", "OLE junk", "encrypted", "no table", "workbook as .docx", "other zip", "xlsx as .xls",
     "bad xls", "binary csv", "unsupported", "missing", "no header", "50 MB", "20,001 rows"],
)  # fmt: skip
def test_bad_files_exit_1_in_chinese_and_write_nothing(tmp_path, case):
    path, message = bad_tables(tmp_path)[case]
    out = tmp_path / "out.yml"
    result = run("import", str(path), "--out", str(out), cwd=tmp_path)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()


def soffice_convert(path: Path, form: str, folder: Path) -> Path:
    import subprocess

    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", form, "--outdir", str(folder), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    return folder / f"{path.stem}.{form}"


@pytest.mark.libreoffice
def test_an_old_word_doc_is_converted_with_libreoffice_and_imported_alike(tmp_path):
    document = WordDocument()
    document.add_paragraph("某某区民政局政府信息公开目录")
    table = document.add_table(rows=4, cols=5)
    for cells, texts in zip((r.cells for r in table.rows), [
        ["序号", "一级事项", "二级事项", "公开依据", "公开渠道和载体"],
        ["1", "概况信息", "机构职能", "《条例》", "■某某区人民政府网 □两微一端"],
        ["2", "概况信息", "领导信息", "《条例》、《办法》", "□某某区人民政府网 ■两微一端"],
        ["3", "政策文件", "规范性文件", "《条例》", "■政府公报"],
    ], strict=True):  # fmt: skip
        for cell, text in zip(cells, texts, strict=True):
            cell.text = text
    table.cell(1, 1).merge(table.cell(2, 1))
    docx_path = tmp_path / "目录.docx"
    document.save(str(docx_path))
    # LibreOffice 7.4 drops python-docx's tables when writing .doc from .docx directly; through its
    # own format they survive, as in a .doc saved by Word.
    odt = soffice_convert(docx_path, "odt", tmp_path / "odt")
    doc = soffice_convert(odt, "doc", tmp_path / "doc")
    from_docx = import_file(docx_path, ImportOptions(region=REGION)).agency
    from_doc = import_file(doc, ImportOptions(region=REGION)).agency
    assert from_doc.catalogue == from_docx.catalogue and from_doc.name == from_docx.name == "某某区民政局"
    assert [len(c.items) for c in from_doc.catalogue] == [2, 1]


def test_one_column_per_channel_and_five_type_ticks_under_group_headers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["灵武市医疗保障局政务公开目录"])
    sheet.append(["序号", "一级事项", "二级事项", "公开渠道和载体", None, None, "所属“五公开”类型", None, "网站所属栏目"])
    sheet.append([None, None, None, "政府网站", "两微一端", "其他（注明）", "决策", "执行", None])
    sheet.append(["1", "概况信息", "机构职责", "√", None, None, None, "√", "机构概况"])
    sheet.append(["1", "概况信息", "领导信息", "√", "√", None, None, "√", "领导之窗"])
    sheet.append(["2", "政策文件", "部门文件", None, "√", None, "√", None, "政策"])
    sheet.append(["2", "政策文件", "政策解读", None, None, "√", None, "√", "政策"])
    for columns in ("A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:H2", "I2:I3", "A4:A5", "B4:B5", "A6:A7", "B6:B7", "A1:I1"):
        sheet.merge_cells(columns)
    path = tmp_path / "灵武.xlsx"
    book.save(path)
    imported = import_file(path, ImportOptions(region=REGION))
    agency = imported.agency
    assert agency.name == "灵武市医疗保障局"
    first, second = agency.catalogue
    # the 序号 column, merged down each category, numbers the categories
    assert (first.number, first.name, first.stage, second.number, second.stage) == ("1", "概况信息", "执行", "2", None)
    assert [item.number for item in first.items] == [None, None]
    assert first.items[1].channels == (Channel(ChannelKind.GOV_WEBSITE), Channel(ChannelKind.SOCIAL_MEDIA))
    assert second.items[1].channels == (Channel(ChannelKind.OTHER),)
    assert [item.remarks for item in second.items] == ["原表此行所属“五公开”类型为决策。", "原表此行所属“五公开”类型为执行。"]
    assert [item.portal_section for item in first.items] == ["机构概况", "领导之窗"]
    assert not imported.report.errors


def test_hostile_cells_are_cleaned_or_left_out_and_reported(tmp_path):
    header = ["序号", "一级事项", "二级事项", "网址标识", "公开内容", "公开依据"]
    path = write_csv(tmp_path / "恶意.csv", [
        ["某局政务公开目录"],
        ["主动公开一级事项99999项，二级事项2项"],
        header,
        ["1", "概况信息", "机构\x07职能", "Bad Slug", "=HYPERLINK(\"http://x\")", "《条例》"],
        ["2", "概况信息", "领导信息", "leaders", "@SUM(A1)", "《条例》"],
    ])  # fmt: skip
    imported = import_file(path, ImportOptions(region=REGION, name="某局"))
    first, second = imported.agency.catalogue[0].items
    assert first.title == "机构职能" and first.slug is None and second.slug == "leaders"
    # a formula's text is only text in YAML (the exporter writes it as a text cell)
    assert first.content == '=HYPERLINK("http://x")' and second.content == "@SUM(A1)"
    assert imported.agency.declared.proactive_categories is None and imported.agency.declared.proactive_items == 2
    report = imported.report.text()
    assert "第4行第3列：含有不允许的字符 U+0007（控制字符）" in report
    assert "第4行第4列：网址标识“Bad Slug”不是小写字母、数字和连字符" in report
    assert not imported.report.errors


def test_a_bad_slug_option_is_a_usage_error(tmp_path):
    result = run("import", str(simple_csv(tmp_path)), "--dry-run", "--slug", "惠农", cwd=tmp_path)
    assert result.exit_code == 2 and "网址标识只能使用小写英文字母" in result.output


def test_a_header_typo_is_taken_for_the_closest_word_and_recorded(tmp_path):
    path = write_csv(tmp_path / "错字.csv", [
        ["序号", "一级事项", "二级事项", "公开渠到和载体", "公开时线"],
        ["1", "概况信息", "机构职能", "☑门户网站", "10日"],
    ])  # fmt: skip
    imported = import_file(path, ImportOptions(region=REGION, name="某局"))
    item = imported.agency.catalogue[0].items[0]
    assert item.channels == (Channel(ChannelKind.GOV_WEBSITE, "门户网站"),) and item.deadline == "10日"
    assert "第1行第4列：表头“公开渠到和载体”不是常用写法；按“公开渠道和载体”理解" in imported.report.text()
    assert "原表第1行第4列表头“公开渠到和载体”不是常用写法，按“公开渠道和载体”理解。" in imported.agency.remarks


def test_text_in_a_column_without_a_header_is_reported_not_dropped_silently(tmp_path):
    path = write_csv(tmp_path / "无头列.csv", [
        ["序号", "一级事项", "二级事项", "公开内容", ""],
        ["1", "概况信息", "机构职能", "职能", "手写补充"],
        ["2", "概况信息", "领导信息", "姓名", ""],
    ])  # fmt: skip
    imported = import_file(path, ImportOptions(region=REGION, name="某局"))
    assert "第1行第5列：第5列没有表头；此列未导入，其中有文字的单元格：第2行第5列" in imported.report.text()
    assert "第5列没有表头，此列未导入" in imported.agency.remarks


def test_a_formula_with_a_saved_result_imports_the_result_and_says_so(tmp_path):
    import re
    import zipfile

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目录"
    sheet.append(["序号", "一级事项", "二级事项", "公开时限"])
    sheet.append(["1", "概况信息", "机构职能", '=CONCAT("20","个工作日内")'])
    path = tmp_path / "公式.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as archive:  # as Excel saves it: the formula's last result beside it
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(r'(<c r="D2")([^>]*)(><f>[^<]*</f>)<v></v>', r'\1 t="str"\2\3<v>20个工作日内</v>', xml).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    imported = import_file(path, ImportOptions(region=REGION, name="某局"))
    assert imported.agency.catalogue[0].items[0].deadline == "20个工作日内"
    assert '目录!D2：是公式“=CONCAT("20","个工作日内")”；导入的是文件中保存的计算结果“20个工作日内”' in imported.report.text()


def test_a_workbook_attachment_sheet_titled_on_its_label_line(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目录"
    sheet.append(["序号", "一级事项", "二级事项", "公开内容"])
    sheet.append(["1", "概况信息", "机构职能", "职能"])
    attachment = book.create_sheet("Sheet2")
    attachment.append(["附件3：惠农区医疗保障局负面清单"])
    attachment.append(["序号", "事项类别", "公开事项", "内容", "不予公开的依据", "责任科室"])
    attachment.append(["1", "内部管理信息", "干部任免考察材料", "干部任免考察材料", "《干部档案工作条例》", "办公室"])
    path = tmp_path / "附件.xlsx"
    book.save(path)
    negative = import_file(path, ImportOptions(region=REGION, name="某局")).agency.negative
    assert negative is not None and (negative.label, negative.title) == ("附件3", "惠农区医疗保障局负面清单")
    assert [(entry.kind, entry.title, entry.grounds) for entry in negative.entries] == [("内部管理信息", "干部任免考察材料", ("《干部档案工作条例》",))]


def test_a_single_level_gongkai_shixiang_column_names_the_items(tmp_path):
    path = write_csv(tmp_path / "单层.csv", [["序号", "一级事项", "公开事项", "公开内容"], ["1", "概况信息", "机构职能", "职能"]])
    item = import_file(path, ImportOptions(region=REGION, name="某局")).agency.catalogue[0].items[0]
    assert (item.title, item.content) == ("机构职能", "职能")


def test_a_csv_group_header_written_once_covers_the_empty_cells_after_it(tmp_path):
    path = write_csv(tmp_path / "分栏.csv", [
        ["序号", "一级事项", "二级事项", "公开渠道和载体", "", "", "公开对象", "公开方式"],
        ["", "", "", "政府网站", "政务服务中心", "其他", "", ""],
        ["1", "概况信息", "机构职能", "√", "", "√", "全社会", "主动公开"],
        ["2", "概况信息", "领导信息", "", "√", "", "特定群体", "依申请"],
    ])  # fmt: skip
    imported = import_file(path, ImportOptions(region=REGION, name="某局"))
    first, second = imported.agency.catalogue[0].items
    assert first.channels == (Channel(ChannelKind.GOV_WEBSITE), Channel(ChannelKind.OTHER))
    assert second.channels == (Channel(ChannelKind.SERVICE_CENTER),)
    assert (first.audience, first.mode, second.audience, second.mode) == (Audience.PUBLIC, Mode.PROACTIVE, Audience.SPECIFIC_GROUP, Mode.ON_REQUEST)
    assert [note for note in imported.report.notes if not note.startswith("网址标识")] == []


def test_a_second_table_below_the_catalogue_in_the_same_sheet_is_its_own_list(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目录"
    for values in (
        ["某某县医疗保障局政务公开目录"],
        ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限"],
        ["1", "概况信息", "机构职能", "职能", "《条例》", "即时"],
        ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限"],  # the header repeated: not a new table
        ["2", "概况信息", "领导信息", "姓名", "《条例》", "即时"],
        [],
        ["附件3"],
        ["某某县医疗保障局负面清单"],
        ["序号", "事项类别", "公开事项", "内容", "不予公开的依据", "责任科室"],
        ["1", "内部管理信息", "干部任免考察材料", "考察材料", "《干部档案工作条例》", "办公室"],
        ["2", "内部管理信息", "人事处分决定", "处分决定", "《干部档案工作条例》", "办公室"],
    ):
        sheet.append(values)
    path = tmp_path / "一张表.xlsx"
    book.save(path)
    agency = import_file(path, ImportOptions(region=REGION)).agency
    assert [item.title for item in agency.catalogue[0].items] == ["机构职能", "领导信息"]
    assert agency.negative is not None and (agency.negative.label, agency.negative.title) == ("附件3", "某某县医疗保障局负面清单")
    assert [entry.title for entry in agency.negative.entries] == ["干部任免考察材料", "人事处分决定"]
    assert agency.name == "某某县医疗保障局" and agency.catalogue_title == "某某县医疗保障局政务公开目录"
