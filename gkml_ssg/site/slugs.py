"""Two agencies whose pages would share a URL: an error in Chinese naming both, before anything is
written. (Two entries of one agency are checked with the agency's node, in `nodes`.)"""

from __future__ import annotations

from gkml_ssg.content.errors import ContentError
from gkml_ssg.site.nodes import AgencyNode
from gkml_ssg.site.summaries import SummaryHead


def agency_slug_conflicts(agencies: tuple[AgencyNode, ...], heads: tuple[SummaryHead, ...]) -> list[ContentError]:
    """`heads` are every agency's, loaded or not; `agencies` the loaded ones. The error goes to a
    loaded file (the one just edited, when the other was not loaded), or to the later of two
    loaded files."""
    loaded = {agency.source.path: agency for agency in agencies}
    first: dict[str, SummaryHead] = {}
    errors: list[ContentError] = []
    for head in heads:
        other = first.setdefault(head.slug, head)
        if other is head:
            continue
        blamed, named = (head, other) if head.source_path in loaded else (other, head)
        agency = loaded.get(blamed.source_path)
        errors.append(
            ContentError(
                blamed.source_path,
                f"网址标识“{head.slug}”与 {named.source_path} 重复",
                agency.agency.origin if agency else None,
                "网址标识",
                "请为其中一个机构填写不同的“网址标识”",
                code="slug-conflict",
            )
        )
    return errors
