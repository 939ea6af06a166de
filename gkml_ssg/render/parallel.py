"""Render the site's pages on several cores, one work unit per agency.

Each agency's pages (its page and its entries' pages) depend only on that agency and the site's
configuration, so agencies are rendered independently; each page that lists other pages (home,
legal-basis index, law pages, sitemap, …) is a unit of its own. Workers are forked after the page
graph is built, so they inherit it instead of receiving a copy, and send back only the rendered
bytes.
Results are gathered in unit order: the output is the same whatever the worker count.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from gkml_ssg.keys import agency_unit, listing_unit
from gkml_ssg.render.renderer import Renderer
from gkml_ssg.site.graph import Page, SiteGraph, is_gathered

# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 2000


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def work_units(site: SiteGraph) -> list[tuple[str, tuple[Page, ...]]]:
    """The pages grouped by what they depend on: one unit per agency (its page and its entries'),
    then one per page that lists other pages (see `site.list_inputs`). The downloads page is
    not among them."""
    by_agency: dict[str, list[Page]] = {}
    listings: list[tuple[str, tuple[Page, ...]]] = []
    for page in site.pages:
        if is_gathered(page):
            continue  # rendered once every agency's downloads are (`build.gathering`)
        if page.agency is None:
            listings.append((listing_unit(page.output), (page,)))
        else:
            by_agency.setdefault(agency_unit(page.agency.slug), []).append(page)
    return [(name, tuple(pages)) for name, pages in by_agency.items()] + listings


def render_units(renderer: Renderer, site: SiteGraph, chosen: list[int], workers: int) -> Iterator[dict[str, bytes]]:
    """The files (output path → bytes) of the units at positions `chosen` of `work_units(site)`,
    yielded in that order as they are ready."""
    units = work_units(site)
    if workers <= 1 or sum(len(units[i][1]) for i in chosen) < PARALLEL_THRESHOLD or not _can_fork():
        for i in chosen:
            yield _render(renderer, site, units[i][1])
        return
    context = multiprocessing.get_context("fork")
    # The renderer and graph reach the workers through fork (inherited memory), not pickling.
    # The build has frozen them (gc.freeze), so the workers' collector never writes to, and so
    # copies, the memory pages holding them.
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_adopt, initargs=(renderer, site, units)) as pool:
        yield from pool.map(_render_in_worker, chosen, [units[i][0] for i in chosen], chunksize=8)


def _render(renderer: Renderer, site: SiteGraph, unit: tuple[Page, ...]) -> dict[str, bytes]:
    return {output: data for page in unit for output, data in renderer.render(site, page).items()}


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


# Set once in each worker process by its initializer; the orchestrating process never touches it.
_worker: tuple[Renderer, SiteGraph, list[tuple[str, tuple[Page, ...]]]] | None = None


def _adopt(renderer: Renderer, site: SiteGraph, units: list[tuple[str, tuple[Page, ...]]]) -> None:
    global _worker
    _worker = (renderer, site, units)


def _render_in_worker(index: int, expected_name: str) -> dict[str, bytes]:
    assert _worker is not None
    renderer, site, units = _worker
    name, unit = units[index]
    assert name == expected_name
    return _render(renderer, site, unit)
