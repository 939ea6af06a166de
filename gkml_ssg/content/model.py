"""The typed content model: one agency's catalogue, and the site configuration.

YAML keys are Chinese (the column headings officers know); attributes are English. The mapping
between them lives only here, in each field's `yaml_field` declaration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from gkml_ssg.content.addresses import SITE_URL_HINT, SITE_URL_PATTERN, site_url_problem
from gkml_ssg.content.errors import Origin
from gkml_ssg.content.fields import SLUG_MAX_LENGTH, SLUG_PATTERN, yaml_field
from gkml_ssg.content.index_numbers import agency_code_field, index_mark_field, index_number_field
from gkml_ssg.content.licence import DataLicence
from gkml_ssg.content.portal import Layout, Portal

SLUG_HINT = "只能使用小写英文字母、数字和连字符，例如 huinong-yibao"
# Header counts: the largest real catalogue has 37 items; 10,000 rows would be a table of some 300
# pages. `gkml check` compares the counts with the rows; this only stops absurd numbers.
COUNT_MAXIMUM = 10_000


class ChannelKind(str, Enum):
    """The 13 standard channels (公开渠道和载体) of the national catalogue form."""

    GOV_WEBSITE = "政府网站"
    SOCIAL_MEDIA = "两微一端"
    GAZETTE = "政府公报"
    PRESS_CONFERENCE = "发布会/听证会"
    BROADCAST = "广播电视"
    NEWSPAPER = "报刊"
    READING_ROOM = "公开查阅点"
    SERVICE_CENTER = "政务服务中心"
    SERVICE_STATION = "便民服务站"
    DOOR_TO_DOOR = "入户/现场"
    NOTICE_BOARD = "社区（村）/企事业单位公示栏"
    TARGETED_PUSH = "精准推送"
    OTHER = "其他"


class Audience(str, Enum):
    PUBLIC = "全社会"
    SPECIFIC_GROUP = "特定群体"


class Mode(str, Enum):
    PROACTIVE = "主动"
    ON_REQUEST = "依申请"


class Validity(str, Enum):
    """有效性 of the national catalogue guide's core metadata."""

    IN_FORCE = "有效"
    ABOLISHED = "已废止"


def _origin_field():
    return field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Channel:
    # May be written as a bare string, which then is the kind.
    __scalar_field__ = "kind"

    kind: ChannelKind = yaml_field("渠道", "渠道类别：标准目录表中的 13 种公开渠道和载体之一。")
    name: str | None = yaml_field(
        "名称", "原表中该渠道的具体写法，例如“海原县人民政府门户网站”；与类别相同时省略。", default=None
    )


@dataclass(frozen=True)
class Item:
    """A catalogue row: one 二级事项."""

    title: str | None = yaml_field(
        "二级事项",
        "事项名称（二级事项）。仅当原表二级事项为空时省略，此时以一级事项作标题。",
        default=None,
        searchable=False,  # the page's title
    )
    number: str | None = yaml_field("序号", "原表中的行序号。", default=None, searchable=False)
    slug: str | None = yaml_field(
        "网址标识",
        "固定该事项页面的网址（小写字母、数字、连字符）；省略时按事项在本机构中的顺序编号。",
        default=None,
        pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH,
        pattern_hint=SLUG_HINT, searchable=False,
    )
    index_number: str | None = index_number_field()
    content: str | None = yaml_field("公开内容", "公开内容（要素）。支持 Markdown，不支持 HTML。", default=None, markdown=True)
    basis: tuple[str, ...] = yaml_field(
        "公开依据", "公开依据：每条法律法规或文件单独一项，如“《中华人民共和国政府信息公开条例》（国务院令第711号）”。", default=(), cited=True
    )
    deadline: str | None = yaml_field("公开时限", "公开时限，如“形成或者变更之日起20个工作日内”。", default=None)
    body: str | None = yaml_field("公开主体", "公开主体：机构或内设科室。", default=None)
    channels: tuple[Channel, ...] = yaml_field("公开渠道", "公开渠道和载体：只列勾选的渠道。", default=())
    audience: Audience | None = yaml_field("公开对象", "公开对象：全社会 或 特定群体。", default=None)
    mode: Mode | None = yaml_field("公开方式", "公开方式：主动 或 依申请。", default=None)
    level: str | None = yaml_field("公开层级", "公开层级，如“区级”“县级”。", default=None)
    portal_section: str | None = yaml_field("网站所属栏目", "该信息在门户网站上所属的栏目。", default=None)
    subject: str | None = yaml_field("主题分类", "主题分类（政府信息公开目录系统的核心元数据），如“卫生、体育”“劳动、人事”。", default=None)
    validity: Validity | None = yaml_field("有效性", "有效性：有效 或 已废止。", default=None)
    remarks: str | None = yaml_field("备注", "备注：原表的备注，以及录入时的存疑说明。", default=None, markdown=True)
    standard_items: tuple[str, ...] = yaml_field(
        "对应标准事项",
        "该事项对应的标准目录事项的编号（标准目录见 references/ 文件夹，如“条例20-7”）；可写一个，或写成列表。"
        "写明的对应优先于按关键词的匹配。",
        default=(), one_or_more=True, searchable=False,
    )
    origin: Origin | None = _origin_field()


@dataclass(frozen=True)
class Category:
    """A 一级事项 with its items."""

    name: str = yaml_field("一级事项", "一级事项名称（不含序号）。")
    # The rows have pages of their own, searched there.
    items: tuple[Item, ...] = yaml_field("事项", "本一级事项下的二级事项，按原表顺序。", non_empty=True, searchable=False)
    number: str | None = yaml_field("序号", "一级事项在原表中的序号，如“一”。", default=None, searchable=False)
    stage: str | None = yaml_field("过程", "所属过程或“五公开”类型，如“决策”“执行和结果”。", default=None)
    remarks: str | None = yaml_field("备注", "关于整个一级事项的备注或存疑说明。", default=None, markdown=True)
    origin: Origin | None = _origin_field()


@dataclass(frozen=True)
class OnRequestEntry:
    """A row of the list of information given only on request (依申请公开)."""

    title: str = yaml_field("二级事项", "事项名称（二级事项）。", searchable=False)  # the page's title
    number: str | None = yaml_field("序号", "原表中的序号。", default=None, searchable=False)
    slug: str | None = yaml_field(
        "网址标识", "固定该条目页面的网址；省略时按顺序编号。", default=None, pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH,
        pattern_hint=SLUG_HINT, searchable=False,
    )
    index_number: str | None = index_number_field()
    category: str | None = yaml_field("一级事项", "一级事项。", default=None)
    content: str | None = yaml_field("不予主动公开的内容", "不予主动公开的内容。", default=None, markdown=True)
    grounds: tuple[str, ...] = yaml_field("不予主动公开的依据", "不予主动公开的依据，每条单独一项。", default=(), cited=True)
    office: str | None = yaml_field("责任科室", "责任科室。", default=None)
    update_cycle: str | None = yaml_field("信息产生时间或更新周期", "信息产生时间或更新周期，如“不定期”。", default=None)
    review_procedure: str | None = yaml_field("依申请公开审核程序", "依申请公开的审核程序。", default=None, markdown=True)
    remarks: str | None = yaml_field("备注", "备注或存疑说明。", default=None, markdown=True)
    origin: Origin | None = _origin_field()


@dataclass(frozen=True)
class NegativeEntry:
    """A row of the negative list (负面清单): information that is not disclosed."""

    title: str = yaml_field("公开事项", "事项名称。", searchable=False)  # the page's title
    number: str | None = yaml_field("序号", "原表中的序号。", default=None, searchable=False)
    slug: str | None = yaml_field(
        "网址标识", "固定该条目页面的网址；省略时按顺序编号。", default=None, pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH,
        pattern_hint=SLUG_HINT, searchable=False,
    )
    index_number: str | None = index_number_field()
    kind: str | None = yaml_field("事项类别", "事项类别，如“行政检查类”。", default=None)
    content: str | None = yaml_field("内容", "不予公开的内容。", default=None, markdown=True)
    grounds: tuple[str, ...] = yaml_field("不予公开的依据", "不予公开的依据，每条单独一项。", default=(), cited=True)
    office: str | None = yaml_field("责任科室", "责任科室。", default=None)
    update_cycle: str | None = yaml_field("信息产生时间或更新周期", "信息产生时间或更新周期，如“不定期”。", default=None)
    remarks: str | None = yaml_field("备注", "备注或存疑说明。", default=None, markdown=True)
    origin: Origin | None = _origin_field()


@dataclass(frozen=True)
class OnRequestList:
    entries: tuple[OnRequestEntry, ...] = yaml_field("条目", "依申请公开的条目。", non_empty=True, searchable=False)  # pages of their own
    label: str | None = yaml_field("附件", "附件编号，如“附件2”。", default=None)
    title: str | None = yaml_field("名称", "该清单在原文中的标题。", default=None)


@dataclass(frozen=True)
class NegativeList:
    entries: tuple[NegativeEntry, ...] = yaml_field("条目", "负面清单的条目。", non_empty=True, searchable=False)  # pages of their own
    label: str | None = yaml_field("附件", "附件编号，如“附件3”。", default=None)
    title: str | None = yaml_field("名称", "该清单在原文中的标题。", default=None)


@dataclass(frozen=True)
class Region:
    province: str = yaml_field("省", "省级行政区，如“宁夏回族自治区”。")
    city: str = yaml_field("市", "地级行政区，如“石嘴山市”。")
    county: str = yaml_field("区县", "县级行政区，如“惠农区”“灵武市”。")
    remarks: str | None = yaml_field("备注", "地区的说明，例如原文未写明、按行政区划补记的层级。", default=None, markdown=True)


@dataclass(frozen=True)
class FormInfo:
    """The sign-off block of a catalogue form."""

    unit: str | None = yaml_field("责任单位", "责任单位。", default=None)
    filled_by: str | None = yaml_field("填表人", "填表人。", default=None)
    reviewed_by: str | None = yaml_field("复核人", "复核人。", default=None)
    approved_by: str | None = yaml_field("审签人", "审签人。", default=None)
    filled_on: str | None = yaml_field("填表时间", "填表时间，按原文写法，如“2021年8月30日”。", default=None)


@dataclass(frozen=True)
class DeclaredCounts:
    """Counts a catalogue declares in its header; `gkml check` compares them with the rows."""

    proactive_categories: int | None = yaml_field("主动公开一级事项", "表头声明的主动公开一级事项数。", default=None, maximum=COUNT_MAXIMUM)
    proactive_items: int | None = yaml_field("主动公开二级事项", "表头声明的主动公开二级事项数。", default=None, maximum=COUNT_MAXIMUM)
    on_request_items: int | None = yaml_field("依申请公开二级事项", "表头声明的依申请公开二级事项数。", default=None, maximum=COUNT_MAXIMUM)


@dataclass(frozen=True)
class Overview:
    """The overview part some catalogues print before the table."""

    basis: tuple[str, ...] = yaml_field("公开依据", "概述中的公开依据，每条单独一项。", default=())
    responsible: str | None = yaml_field("责任主体", "责任主体。", default=None)
    contact: str | None = yaml_field("联系方式", "联系方式。", default=None)
    channels: str | None = yaml_field("公开渠道", "公开渠道，按原文写法。", default=None)
    supervision: str | None = yaml_field("监督渠道", "监督渠道。", default=None)


@dataclass(frozen=True)
class Agency:
    """One agency's disclosure catalogue: the content of one YAML file under content/."""

    name: str = yaml_field("名称", "机构名称，如“惠农区医疗保障局”。", searchable=False)  # the page's title
    region: Region = yaml_field("地区", "机构所在的省、市、区县。")
    source_file: str = yaml_field("来源文件", "本目录转录自哪份原始文件。", searchable=False)
    catalogue: tuple[Category, ...] = yaml_field("目录", "主动公开目录：一级事项及其二级事项，按原表顺序。", non_empty=True)
    slug: str | None = yaml_field(
        "网址标识",
        "机构页面网址中的标识（小写字母、数字、连字符）；省略时使用文件名。",
        default=None,
        pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH,
        pattern_hint=SLUG_HINT, searchable=False,
    )
    code: str | None = agency_code_field()
    index_mark: str | None = index_mark_field()
    catalogue_title: str | None = yaml_field("目录名称", "目录在原文中的标题。", default=None)
    unit: str | None = yaml_field("单位", "原文表头“单位：”后的文字。", default=None)
    form: FormInfo | None = yaml_field("填表信息", "责任单位、填表人、复核人、审签人、填表时间。", default=None)
    declared: DeclaredCounts | None = yaml_field("声明数量", "表头声明的事项数量。", default=None, searchable=False)
    overview: Overview | None = yaml_field("概述", "目录前的概述部分。", default=None)
    note: str | None = yaml_field("注", "原文表格下方的“注”。", default=None, markdown=True)
    remarks: str | None = yaml_field("备注", "整个目录的备注或录入说明。", default=None, markdown=True)
    on_request: OnRequestList | None = yaml_field("依申请公开", "依申请公开（不予主动公开）的信息清单。", default=None)
    negative: NegativeList | None = yaml_field("负面清单", "不予公开的信息清单（负面清单）。", default=None)
    origin: Origin | None = _origin_field()


class Partition(str, Enum):
    """How a site built region by region is split (site.yml's 构建分区)."""

    PROVINCE = "省"
    CITY = "市"


@dataclass(frozen=True)
class SiteConfig:
    """content/site.yml: the site as a whole."""

    title: str = yaml_field("网站名称", "网站名称，显示在每页页头和标题中。")
    base_url: str = yaml_field(
        "网址",
        "网站发布的完整地址，如“https://www.example.gov.cn/gkml/”；站点地图使用它，链接使用其中的路径。",
        pattern=SITE_URL_PATTERN,
        pattern_hint=SITE_URL_HINT,
        explain=site_url_problem,
    )
    description: str | None = yaml_field("网站简介", "首页上的简介。", default=None, markdown=True)
    sponsor: str | None = yaml_field("主办单位", "页脚：主办单位。", default=None)
    site_code: str | None = yaml_field("网站标识码", "页脚：政府网站标识码。", default=None)
    icp: str | None = yaml_field("ICP备案号", "页脚：ICP备案号。", default=None)
    police_record: str | None = yaml_field("公安备案号", "页脚：公安机关备案号。", default=None)
    contact: str | None = yaml_field("联系方式", "页脚：联系方式。", default=None)
    edit_url: str | None = yaml_field(
        "编辑链接",
        "在每个机构和条目页面上加“编辑此页”链接：源文件在代码托管平台（Gitea、GitLab、GitHub 等）上的编辑地址，"
        "{path} 处填入文件在内容目录中的路径，如“https://git.example.gov.cn/yibao/gkml/_edit/main/content/{path}”。",
        default=None,
        pattern=r"^https?://[^\s{}]+\{path\}[^\s{}]*$",
        pattern_hint="请写以 http:// 或 https:// 开头、含 {path} 的完整地址",
    )
    portal: Portal | None = yaml_field(
        "门户", "本目录所属的门户网站：名称、首页、政府信息公开栏目、标志、颜色。填写后页头显示门户名称和返回栏目的链接。", default=None
    )
    licence: DataLicence | None = yaml_field(
        "数据许可", "下载数据（CSV、Excel、JSON）的使用许可：数据包 datapackage.json 和下载页写明。", default=None
    )
    partition: Partition | None = yaml_field(
        "构建分区",
        "按地区分别构建时的分区（gkml build --only、gkml merge、gkml build --distributed）：省 或 市。设置后，搜索索引按分区分片，"
        "各分区的构建互不重叠，可以在不同机器上进行；不设置则全站一起分片，读者搜索时请求的文件更少。",
        default=None,
    )
    layout: Layout = yaml_field(
        "布局", "完整：页面有本站的页头和页脚；嵌入：不输出页头页脚，由门户的内容管理系统或服务器端包含（SSI）套上门户的框架。", default=Layout.FULL
    )
