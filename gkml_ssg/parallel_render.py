"""Render the site's pages on several cores, one work unit per agency.

Each agency's pages (its page and its entries' pages) depend only on that agency and the site's
configuration, so agencies are rendered independently; the pages that list all agencies (home,
legal-basis index, sitemap, …) form one more unit. Workers are forked after the page graph is
built, so they inherit it instead of receiving a copy, and send back only the rendered bytes.
Results are gathered in unit order: the output is the same whatever the worker count.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from .render import Renderer
from .site import Page, SiteGraph

# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 2000


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def work_units(site: SiteGraph) -> list[tuple[Page, ...]]:
    """The pages grouped by what they depend on: one unit per agency, then the site-wide pages."""
    by_agency: dict[str, list[Page]] = {}
    site_wide: list[Page] = []
    for page in site.pages:
        if page.agency is None:
            site_wide.append(page)
        else:
            by_agency.setdefault(page.agency.slug, []).append(page)
    return [tuple(pages) for pages in by_agency.values()] + [tuple(site_wide)]


def render_units(renderer: Renderer, site: SiteGraph, units: list[tuple[Page, ...]], workers: int) -> list[dict[str, bytes]]:
    """Each unit's files (output path → bytes), in the order of `units`."""
    if workers <= 1 or sum(len(unit) for unit in units) < PARALLEL_THRESHOLD or not _can_fork():
        return [_render(renderer, site, unit) for unit in units]
    context = multiprocessing.get_context("fork")
    # The renderer and graph reach the workers through fork (inherited memory), not pickling.
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_adopt, initargs=(renderer, site)) as pool:
        return list(pool.map(_render_in_worker, range(len(units)), [len(unit) for unit in units], chunksize=8))


def _render(renderer: Renderer, site: SiteGraph, unit: tuple[Page, ...]) -> dict[str, bytes]:
    return {page.output: renderer.render(site, page) for page in unit}


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


# Set once in each worker process by its initializer; the orchestrating process never touches it.
_worker: tuple[Renderer, SiteGraph, list[tuple[Page, ...]]] | None = None


def _adopt(renderer: Renderer, site: SiteGraph) -> None:
    global _worker
    _worker = (renderer, site, work_units(site))


def _render_in_worker(index: int, expected_pages: int) -> dict[str, bytes]:
    assert _worker is not None
    renderer, site, units = _worker
    unit = units[index]
    assert len(unit) == expected_pages  # the worker's units are the orchestrator's units
    return _render(renderer, site, unit)
