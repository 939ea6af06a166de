"""The auditors' deadlines: each 公开时限 wording normalised to working or calendar days where it
names one period, never guessed where it does not."""

from __future__ import annotations

import pytest
from conftest import REPO

from gkml_ssg.audit.deadlines import CALENDAR, WORKING, Period, deadline_uses, period
from gkml_ssg.content.load import load_content
from gkml_ssg.site.graph import assemble


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        ("形成或者变更之日起20个工作日内", Period(20, WORKING)),
        ("单位信息变更之日起20个工作日内（法律法规对政府信息公开的期限另有规定的从其规定）", Period(20, WORKING)),
        ("形成或变更之日起 5 个工作日内", Period(5, WORKING)),
        ("检查及查处结果作出之日起的7个工作日内。", Period(7, WORKING)),
        ("本级政府财政部门批复后20日内。", Period(20, CALENDAR)),
        ("收到申请之日起十五个工作日内", Period(15, WORKING)),
        ("二十个工作日内", Period(20, WORKING)),
        ("三十天内", Period(30, CALENDAR)),
        ("１０个工作日内", Period(10, WORKING)),
        ("20个工作日内，延长不超过20个工作日", Period(20, WORKING)),  # one period, said twice
        ("及时公开。", None),
        ("按季度发布医疗救助花名册。", None),
        ("每年1月31日前公开上一年度报告", None),  # a date, not a period
        ("次年1月31日前公开。", None),
        ("5个工作日内或30日内", None),  # two periods that differ: not guessed
        ("", None),
    ],
)
def test_a_wording_names_one_period_or_none(wording, expected):
    assert period(wording) == expected


def test_the_seeds_wordings_are_grouped_with_their_items():
    uses = deadline_uses(summary.audited for summary in assemble(load_content(REPO / "content")).summaries)
    wordings = [use.wording for use in uses]
    assert len(wordings) == len(set(wordings))
    first = uses[0]
    assert first.period == Period(5, WORKING)
    assert [use.period for use in uses if use.period is not None] == sorted(use.period for use in uses if use.period is not None)
    assert all(use.period is None for use in uses[len([u for u in uses if u.period]) :])
    common = next(use for use in uses if use.wording == "形成或者变更之日起20个工作日内")
    assert common.period == Period(20, WORKING) and len(common.uses) == 36
    assert {agency.slug for agency, _ in common.uses} and all(line.path.startswith(f"agencies/{agency.slug}/items/") for agency, line in common.uses)
    assert next(use for use in uses if use.wording == "按照有关规定及时公开。").period is None
