"""The five seed catalogues in content/: counts and exact values pinned against the seeds."""

from __future__ import annotations

import pytest
from conftest import REPO

from gkml_ssg.content.load import load_content
from gkml_ssg.content.model import Audience, Channel, ChannelKind, Mode


@pytest.fixture(scope="module")
def agencies():
    content = load_content(REPO / "content")
    return {source.stem: source.agency for source in content.agencies}


def items_by_title(agency):
    return {(item.title or category.name): (category, item) for category in agency.catalogue for item in category.items}


@pytest.mark.parametrize(
    ("stem", "name", "region", "source", "categories", "items", "on_request", "negative"),
    [
        ("huinong-yibao", "惠农区医疗保障局", ("宁夏回族自治区", "石嘴山市", "惠农区"), "000_b93507e55820a399.txt", 2, 16, 3, 15),
        ("haiyuan-yibao", "海原县医疗保障局", ("宁夏回族自治区", "中卫市", "海原县"), "001_cd2ff9ebca997d70.txt", 6, 37, 0, 0),
        ("dawukou-yibao", "大武口区医疗保障局", ("宁夏回族自治区", "石嘴山市", "大武口区"), "002_10e874960aa90f81.txt", 8, 19, 0, 0),
        ("lingwu-yibao", "灵武市医疗保障局", ("宁夏回族自治区", "银川市", "灵武市"), "003_b92ae7b28fe97c0b.txt", 5, 15, 0, 0),
        ("guannan-yibao", "灌南县医疗保障局", ("江苏省", "连云港市", "灌南县"), "004_e3b12ad0cc24ca0c.txt", 22, 33, 0, 0),
    ],
)
def test_counts_per_agency(agencies, stem, name, region, source, categories, items, on_request, negative):
    agency = agencies[stem]
    assert agency.name == name
    assert (agency.region.province, agency.region.city, agency.region.county) == region
    assert agency.source_file == source
    assert len(agency.catalogue) == categories
    assert sum(len(c.items) for c in agency.catalogue) == items
    assert (len(agency.on_request.entries) if agency.on_request else 0) == on_request
    assert (len(agency.negative.entries) if agency.negative else 0) == negative


def test_every_region_not_stated_in_a_seed_carries_a_remark(agencies):
    for agency in agencies.values():
        assert agency.region.remarks, agency.name


def test_declared_counts_match_the_rows(agencies):
    haiyuan, lingwu = agencies["haiyuan-yibao"], agencies["lingwu-yibao"]
    assert (haiyuan.declared.proactive_categories, haiyuan.declared.proactive_items, haiyuan.declared.on_request_items) == (6, 37, 0)
    assert (lingwu.declared.proactive_categories, lingwu.declared.proactive_items, lingwu.declared.on_request_items) == (5, 15, None)
    for agency in (haiyuan, lingwu):
        assert len(agency.catalogue) == agency.declared.proactive_categories
        assert sum(len(c.items) for c in agency.catalogue) == agency.declared.proactive_items


def test_seed_000_huinong(agencies):
    agency = agencies["huinong-yibao"]
    items = items_by_title(agency)
    category, item = items["基本信息"]
    assert (category.number, category.name) == ("一", "概况信息")
    assert item.basis[0] == "《中华人民共和国政府信息公开条例》(国务院令第711号修订)"
    assert item.level == "区级"
    assert (item.audience, item.mode) == (Audience.PUBLIC, Mode.PROACTIVE)
    _, relief = items["医疗救助资金的给付"]
    assert relief.content == "救助资金使用情况 and 医疗救助对象名单及救助金额等相关信息"
    assert len(relief.basis) == 4
    assert relief.basis[-1] == "《宁夏回族自治区医疗救助办法》（宁夏回族自治区人民政府令第78号）"
    _, guide = items["医疗保障领域服务事项办事指南"]
    assert items["医疗保障领域服务事项办事指南"][0].name == "公开清单"  # merged category across the page break
    assert guide.channels == (
        Channel(ChannelKind.GOV_WEBSITE, "惠农区人民政府公众网"),
        Channel(ChannelKind.SOCIAL_MEDIA, "官方微信公众号"),
        Channel(ChannelKind.NOTICE_BOARD, "社区（村）/企事业单位及政务服务中心公示栏"),
    )
    assert guide.remarks
    assert items["财政预决算"][1].basis == ("《预算法》",)
    on_request = agency.on_request
    assert (on_request.label, on_request.title) == ("附件2", "惠农区医疗保障局政府信息公开目录")
    assert on_request.entries[1].title == "社会保险基金监督检查(仅指医疗保险、生育保险)"
    assert on_request.entries[2].office == "惠农区医保经办中心"
    assert on_request.entries[0].review_procedure.startswith("申请人提交申请表,所需信息的描述需详细、准确")
    negative = agency.negative
    assert (negative.label, negative.title) == ("附件3", "惠农区医疗保障局政府信息公开负面清单")
    assert (negative.entries[12].title, negative.entries[12].content) == ("干部的档案及汇总名册", "干部的档案")
    assert negative.entries[0].kind == "行政强制类"
    assert negative.entries[6].grounds == ("《中华人民共和国保守国家秘密法》", "《中华人民共和国政府信息公开条例》")


def test_seed_001_haiyuan(agencies):
    agency = agencies["haiyuan-yibao"]
    form = agency.form
    assert (form.unit, form.filled_by, form.reviewed_by, form.approved_by, form.filled_on) == (
        "海原县医疗保障局", "田晓斌", "黑晓亮", "薛正东", "2021年8月30日"
    )
    items = items_by_title(agency)
    assert items["机构信息"][1].content is None  # row 1 has no 公开内容 in the source
    assert items["领导信息"][1].content == "领导班子成员姓名、职务、主要或分管工作"  # stood in the channel column
    assert items["部门信息"][1].audience is None and items["部门信息"][1].mode is None  # row 7: no √ at all
    penalty = items["行政处罚结果公开"][1]
    # the √ under 公开依据 is not a legal basis: the remark keeps the fact
    assert (penalty.number, penalty.basis, penalty.audience, penalty.mode) == ("15", (), Audience.PUBLIC, None)
    assert "公开依据栏只有一个“√”" in penalty.remarks
    coercion = items["行政强制"][1]
    assert (coercion.body, coercion.channels, coercion.audience, coercion.mode) == (None, (), None, None)
    assert items["回应关切"][1].content == "热点回应、网民留言、书记、市长信息办理及12345答复情况"
    assert items["回应关切"][1].deadline == "形成或者变更之日起5个工作日内"
    assert len(items["公共资源配置(药品和医用耗材采购领域)"][1].basis) == 4
    category, settlement = items["定点医药机构费用结算"]
    assert (category.name, settlement.number) == ("服务公开", "37")
    assert settlement.basis[2] == "《零售药店医疗保障定点管理暂行办法》（国家医疗保障局令第3号）"
    assert settlement.channels == (Channel(ChannelKind.GOV_WEBSITE, "海原县人民政府门户网站"),)


def test_seed_002_dawukou(agencies):
    agency = agencies["dawukou-yibao"]
    assert agency.catalogue_title == "大武口区医疗保障局政府信息主动公开基本目录"
    overview = agency.overview
    assert len(overview.basis) == 3
    assert overview.responsible == "大武口区医疗保障局部门"
    assert overview.supervision == "监督举报电话：0952—2171166，"
    assert agency.catalogue[0].name == "概况信息" and "一、概况信息部门文件" in agency.catalogue[0].remarks
    items = items_by_title(agency)
    assert items["工作动态"][1].deadline == "项目开工后7个工作日内公开"
    assert items["政府信息公开指南"][1].channels == (Channel(ChannelKind.GOV_WEBSITE, "部门网站"),)
    assert items["基本信息"][1].basis[1] == "《中共中央办公厅、国务院办公厅《关于全面推进政务公开工作的意见》"
    assert items["政府信息公开年度工作报告"][1].deadline == "每年1月15日之前"
    check = items["对医疗保障基金使用情况的监督检查"][1]
    assert check.channels == (Channel(ChannelKind.GOV_WEBSITE), Channel(ChannelKind.NOTICE_BOARD))
    assert all(item.mode is None for c in agency.catalogue for item in c.items)  # no 公开方式 column


def test_seed_003_lingwu(agencies):
    agency = agencies["lingwu-yibao"]
    assert agency.catalogue_title is None
    assert [c.name for c in agency.catalogue] == ["概况信息", "基本信息", "行政权力运行", "重点领域", "综合管理"]
    items = items_by_title(agency)
    assert items["行政处罚结果公开"][1].deadline == "形成或变更之日起15个工作日内（法律、法规对政府信息公开期限另有规定的，从其规定）"
    poverty = items["脱贫攻坚"][1]
    assert poverty.content == "扶贫政策、脱贫方案、实施情况、扶贫对象、"
    assert len(poverty.basis) == 5
    assert items["部门文件"][1].mode is None and items["部门文件"][1].remarks
    assert items["部门文件"][1].portal_section == "灵武市政府网站-政务公开-政府信息公开部门-医疗保障局部门文件栏目"
    assert items["机构职责"][1].mode is Mode.PROACTIVE
    assert all(item.audience is None for c in agency.catalogue for item in c.items)  # no 公开对象 column


def test_seed_004_guannan(agencies):
    agency = agencies["guannan-yibao"]
    assert agency.unit == "灌南县医疗保障局"
    assert agency.note.startswith("请各单位认真梳理下属公共企事业单位")
    assert [c.stage for c in agency.catalogue[:3]] == ["决策", "决策", "执行和结果"]
    items = items_by_title(agency)
    plan = items["规划计划"][1]
    assert plan.title is None  # the source's 二级 cell is empty
    assert plan.basis == ("《中华人民共和国政府信息公开条例》（国务院令第492号）",)
    assert items["预警信息及应对情况"][1].basis == ("《中华人民共和国突发事件应对法》（主席令第69号）",)
    assert items["年度重点工作任务分解、执行及落实情况"][1].body == "办公室、待遇保障科、医保处"
    assert items["监督保障"][0].name == "监督保障"
    assert len(items["年度财政预决算"][1].basis) == 3
    remote = [c for c in agency.catalogue if c.name == "基本医疗保险参保人员异地就医备案"]
    assert len(remote) == 1 and len(remote[0].items) == 4  # the repeat after the page break is one category
    for category in agency.catalogue:
        for item in category.items:
            assert (item.mode, item.audience, item.channels) == (Mode.PROACTIVE, Audience.PUBLIC, (Channel(ChannelKind.GOV_WEBSITE),))
