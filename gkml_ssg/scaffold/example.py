"""The agencies a new site and a new agency file start from, as model values (valid by construction).

`example_agency()` is the new site's 示例县医疗保障局: one category, two items that between them use
every item field, one on-request and one negative-list entry, so that an officer sees how each
part of the form is written. `placeholder_agency()` is what `gkml new --agency` writes: the given
name and region, and one item clearly marked as a placeholder to replace.
"""

from __future__ import annotations

from gkml_ssg.content.index_numbers import credit_code_check, index_number, mark_of
from gkml_ssg.content.model import (
    Agency,
    Audience,
    Category,
    Channel,
    ChannelKind,
    DeclaredCounts,
    FormInfo,
    Item,
    Mode,
    NegativeEntry,
    NegativeList,
    OnRequestEntry,
    OnRequestList,
    Region,
    Validity,
)

REGULATIONS = "《中华人民共和国政府信息公开条例》（国务院令第711号）"
DEADLINE = "信息形成或者变更之日起20个工作日内"
EXAMPLE_REGION = Region(province="示例省", city="示例市", county="示例县")
EXAMPLE_NAME = "示例县医疗保障局"
# An example 统一社会信用代码: 机关 (`11`), region `000000` (no real region has it), its check
# character right; the example's rows carry the 索引号 `gkml index-numbers` would give them.
EXAMPLE_CODE_BODY = "11000000MB0000001"
EXAMPLE_CODE = EXAMPLE_CODE_BODY + credit_code_check(EXAMPLE_CODE_BODY)
EXAMPLE_YEAR = 2026
PLACEHOLDER_REMARK = "占位示例：请按本单位的政务公开目录改写或替换此事项（也可以用 gkml import 导入本单位的 Word/Excel 表格）。"


def example_agency() -> Agency:
    """The example agency of a new site."""
    name = EXAMPLE_NAME
    items = (
        Item(
            title="机构职能",
            number="1",
            slug="jigou-zhineng",
            index_number=index_number(EXAMPLE_CODE, EXAMPLE_YEAR, 1),
            content="本局的主要职责、内设机构、办公地址、办公时间和联系电话。",
            basis=(REGULATIONS,),
            deadline=DEADLINE,
            body=f"{name}办公室",
            channels=(Channel(ChannelKind.GOV_WEBSITE), Channel(ChannelKind.SOCIAL_MEDIA, f"{name}微信公众号")),
            audience=Audience.PUBLIC,
            mode=Mode.PROACTIVE,
            level="县级",
            portal_section="政府信息公开/机构职能",
            subject="综合政务",
            validity=Validity.IN_FORCE,
            remarks="示例事项：“网址标识”固定了本事项页面的网址，在它上面插入新事项时网址不变；"
            "“对应标准事项”写明它是条例第二十条第（二）项要求公开的信息（gkml coverage 对照）。",
            standard_items=("条例20-2",),
        ),
        Item(
            title="异地就医备案",
            number="2",
            index_number=index_number(EXAMPLE_CODE, EXAMPLE_YEAR, 2),
            content="办理异地就医备案的条件、所需材料、办理流程和办理地点。",
            basis=(REGULATIONS, "《中华人民共和国社会保险法》"),
            deadline=DEADLINE,
            body=name,
            channels=(Channel(ChannelKind.GOV_WEBSITE), Channel(ChannelKind.SERVICE_CENTER)),
            audience=Audience.PUBLIC,
            mode=Mode.PROACTIVE,
        ),
    )
    return Agency(
        name=name,
        region=EXAMPLE_REGION,
        code=EXAMPLE_CODE,
        index_mark=mark_of(EXAMPLE_YEAR, 4),
        source_file=f"{name}政务公开目录.docx",
        catalogue_title=f"{name}政务公开事项标准目录",
        unit=name,
        form=FormInfo(unit=name, filled_by="张三", reviewed_by="李四", approved_by="王五", filled_on="2024年1月2日"),
        declared=DeclaredCounts(proactive_categories=1, proactive_items=len(items)),
        note="本目录所列事项的公开时限均为工作日。",
        remarks="这是 gkml new 生成的示例机构，用来说明机构文件的写法。添加本单位的机构文件后，请删除本文件。",
        catalogue=(Category(name="概况信息", number="一", stage="管理", items=items),),
        on_request=OnRequestList(
            label="附件2",
            title="依申请公开事项",
            entries=(
                OnRequestEntry(
                    title="医疗保障基金监督检查案件的处理情况",
                    index_number=index_number(EXAMPLE_CODE, EXAMPLE_YEAR, 3),
                    category="基金监管",
                    content="检查中形成的询问笔录和证据材料。",
                    grounds=(f"{REGULATIONS}第十三条",),
                    office="基金监管股",
                    update_cycle="不定期",
                    review_procedure="受理申请后，由责任科室提出意见，经分管领导审核后书面答复申请人。",
                ),
            ),
        ),
        negative=NegativeList(
            label="附件3",
            title="不予公开事项清单",
            entries=(
                NegativeEntry(
                    title="干部人事档案",
                    index_number=index_number(EXAMPLE_CODE, EXAMPLE_YEAR, 4),
                    kind="内部事务信息",
                    content="本局干部的人事档案材料。",
                    grounds=(f"{REGULATIONS}第十六条",),
                    office="办公室",
                    update_cycle="不定期",
                ),
            ),
        ),
    )


def placeholder_agency(name: str, region: Region) -> Agency:
    """A new agency's file: its name and region, and one placeholder item to replace."""
    item = Item(
        title="机构职能",
        content="机构职能、内设机构、办公地址、办公时间和联系电话。",
        basis=(REGULATIONS,),
        deadline=DEADLINE,
        body=name,
        channels=(Channel(ChannelKind.GOV_WEBSITE),),
        audience=Audience.PUBLIC,
        mode=Mode.PROACTIVE,
        remarks=PLACEHOLDER_REMARK,
    )
    return Agency(
        name=name,
        region=region,
        source_file="请改为本目录所依据的原始文件名，如“政务公开目录.docx”",
        remarks="此文件由 gkml new 生成，目录中的事项是占位示例，尚未按本单位的目录填写。",
        catalogue=(Category(name="概况信息", items=(item,)),),
    )
