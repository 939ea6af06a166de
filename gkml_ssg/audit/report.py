"""The coverage as `gkml coverage` prints it: JSON (an interface for scripts: keep its keys),
CSV rows (one per reference item and agency) and text."""

from __future__ import annotations

from gkml_ssg.audit.coverage import CatalogueCoverage, Evidence

CSV_HEADER = ("标准目录", "编号", "事项", "机构", "网址标识", "覆盖", "页面", "依据")
TEXT_NAMES = 10  # agencies named per item in the text summary


def _evidence(evidence: Evidence) -> dict[str, str]:
    found = {"规则": evidence.rule}
    if evidence.keyword is not None:
        found["关键词"] = evidence.keyword
    if evidence.where is not None:
        found["位置"] = evidence.where
    return found


def _evidence_text(evidence: Evidence) -> str:
    if evidence.keyword is None:
        return evidence.rule
    return f"{evidence.where}含关键词“{evidence.keyword}”"


def coverage_json(coverages: list[CatalogueCoverage]) -> list[dict]:
    """Each catalogue: 名称, 来源, 版本, 事项; each item: 编号, 名称, 覆盖 (机构, 网址标识, 页面, 依据:
    one per page, in the same order) and 未覆盖 (机构, 网址标识)."""
    return [
        {
            "名称": coverage.reference.catalogue.name,
            "来源": coverage.reference.catalogue.source,
            "版本": coverage.reference.catalogue.version,
            "事项": [
                {
                    "编号": item.item.number,
                    "名称": item.item.name,
                    "覆盖": [
                        {
                            "机构": covering.agency,
                            "网址标识": covering.slug,
                            "页面": list(covering.pages),
                            "依据": [_evidence(evidence) for _, evidence in covering.entries],
                        }
                        for covering in item.covered
                    ],
                    "未覆盖": [{"机构": agency.name, "网址标识": agency.slug} for agency in item.missing],
                }
                for item in coverage.items
            ],
        }
        for coverage in coverages
    ]


def coverage_rows(coverages: list[CatalogueCoverage]) -> list[tuple[str, ...]]:
    """One row per catalogue, item and agency (covering, then not), under `CSV_HEADER`."""
    rows: list[tuple[str, ...]] = []
    for coverage in coverages:
        name = coverage.reference.catalogue.name
        for item in coverage.items:
            for covering in item.covered:
                evidence = "；".join(dict.fromkeys(_evidence_text(e) for _, e in covering.entries))
                rows.append(
                    (
                        name,
                        item.item.number,
                        item.item.name,
                        covering.agency,
                        covering.slug,
                        "是",
                        " ".join(covering.pages),
                        evidence,
                    )
                )
            for agency in item.missing:
                rows.append((name, item.item.number, item.item.name, agency.name, agency.slug, "否", "", ""))
    return rows


def coverage_text(coverages: list[CatalogueCoverage]) -> list[str]:
    """A reader's summary: per catalogue and item, how many agencies cover it, and which do not."""
    lines = []
    for coverage in coverages:
        catalogue = coverage.reference.catalogue
        lines.append(f"{catalogue.name}（{coverage.reference.path}；{catalogue.source}，{catalogue.version}）")
        for item in coverage.items:
            total = len(item.covered) + len(item.missing)
            lines.append(f"  {item.item.number} {item.item.name}：{len(item.covered)}/{total} 个机构覆盖")
            if item.missing:
                names = "、".join(agency.name for agency in item.missing[:TEXT_NAMES])
                more = f"等 {len(item.missing)} 个机构（全部见 --format json 或 csv）" if len(item.missing) > TEXT_NAMES else ""
                lines.append(f"    未覆盖：{names}{more}")
    return lines
