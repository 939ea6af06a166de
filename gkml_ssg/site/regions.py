"""The agencies of a site by province, city and county, as the pages that list them by region show
them (the home page, the auditors' matrix)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from gkml_ssg.site.summaries import AgencySummary


@dataclass(frozen=True)
class RegionGroup:
    name: str
    children: tuple[RegionGroup, ...] = ()
    agencies: tuple[AgencySummary, ...] = ()

    @functools.cached_property
    def item_count(self) -> int:
        return sum(a.item_count for a in self.agencies) + sum(c.item_count for c in self.children)


def regions_of(summaries: tuple[AgencySummary, ...]) -> tuple[RegionGroup, ...]:
    tree: dict[str, dict[str, dict[str, list[AgencySummary]]]] = {}
    for summary in summaries:
        tree.setdefault(summary.province, {}).setdefault(summary.city, {}).setdefault(summary.county, []).append(summary)
    return tuple(
        RegionGroup(
            province,
            tuple(
                RegionGroup(
                    city,
                    tuple(
                        RegionGroup(county, agencies=tuple(sorted(found, key=lambda a: (a.name, a.slug))))
                        for county, found in sorted(counties.items())
                    ),
                )
                for city, counties in sorted(cities.items())
            ),
        )
        for province, cities in sorted(tree.items())
    )
