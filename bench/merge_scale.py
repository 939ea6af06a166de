"""Issue 20's benchmark: the merge's own work as the number of agencies' summaries grows.

    python3 bench/merge_scale.py SITE [--factors 1 10 50]

SITE is a site built by gkml (its manifest holds every agency's summary: the 2,500-agency corpus
gives 2,500). For each factor, in a fresh process, the summaries are copied `factor` times, each
copy a new set of agencies (slugs, files and every page address renamed, each copy's cities renamed
so that the region tree grows too), and the merge's work that grows with them is timed: reading the
summaries back (unpickling), assembling the site with its lists (`with_lists`), the render key of
every list page, and rendering every list page (home, legal-basis index and law pages, the
auditors' pages, sitemap parts). Copying the parts' files in, the rest of a merge, is a write of the
agencies' bytes and is measured by bench/distributed_build.py. Prints seconds per step, the peak
RSS, the number of list pages and their bytes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))

_CHILD = r"""
import json, pickle, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from gkml_ssg.build.manifest import Manifest
from gkml_ssg.build.options import static_files
from gkml_ssg.content.load import load_site_config
from gkml_ssg.content.references import site_references
from gkml_ssg.keys import combined_key, digest
from gkml_ssg.render.renderer import Renderer
from gkml_ssg.site.graph import agency_graph, is_gathered, with_lists
from gkml_ssg.site.list_inputs import listing_inputs
from gkml_ssg.site.summaries import AgencySummary, cited_law, item_lines_fields, subpage_paths_fields
from gkml_ssg.audit.lines import ItemLine

site, source, factor = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
steps = {}
start = time.perf_counter()
rows = [pickle.dumps(s.to_row()) for s in Manifest.read(site).summaries().values()]
steps["read 2,500 summaries"] = time.perf_counter() - start

def renamed(row: tuple, copy: int) -> AgencySummary:
    # a summary of a new agency: its file, slug, addresses and city renamed
    summary = AgencySummary.from_row(pickle.loads(row))
    if copy == 0:
        return summary
    old, new = f"agencies/{summary.slug}/", f"agencies/{summary.slug}-{copy}/"
    paths = tuple(p.replace(old, new, 1) for p in summary.subpage_paths)
    pages, paths_digest, packed_paths = subpage_paths_fields(paths)
    laws = tuple(
        cited_law(law.ref, [(line[0].replace(old, new, 1), *line[1:]) for line in law.lines]) for law in summary.laws
    )
    items_digest, packed_items = item_lines_fields(tuple(
        ItemLine(line.path.replace(old, new, 1), *line[1:]) for line in summary.item_lines
    ))
    return AgencySummary(
        f"copy{copy}/{summary.source_path}", summary.source_digest, f"{summary.slug}-{copy}", new, summary.name,
        summary.province, f"{summary.city}{copy}", summary.county, summary.entry_counts, pages, paths_digest,
        packed_paths, laws, items_digest, packed_items,
    )

summaries = tuple(sorted((renamed(row, copy) for copy in range(factor) for row in rows), key=lambda s: s.source_path))
packed = [pickle.dumps(s.to_row(), pickle.HIGHEST_PROTOCOL) for s in summaries]
del summaries
start = time.perf_counter()
summaries = tuple(AgencySummary.from_row(pickle.loads(data)) for data in packed)
steps["read summaries"] = time.perf_counter() - start
config = load_site_config(source)
references = tuple(site_references(source)[0])
start = time.perf_counter()
graph = with_lists(agency_graph(config, None, (), __import__("gkml_ssg.content.history", fromlist=["NO_HISTORY"]).NO_HISTORY, references), summaries)
steps["assemble lists"] = time.perf_counter() - start
start = time.perf_counter()
pages = [page for page in graph.list_pages if not is_gathered(page)]
keys = [combined_key("settings", *listing_inputs(graph, page)) for page in pages]
steps["keys of list pages"] = time.perf_counter() - start
REPO = Path(sys.argv[1])
assets = static_files((REPO / "static",))
renderer = Renderer((REPO / "templates",), {name: digest(data)[:10] for name, data in assets.items()})
start = time.perf_counter()
total = 0
for page in pages:
    total += sum(len(data) for data in renderer.render(graph, page).values())
steps["render list pages"] = time.perf_counter() - start
print(json.dumps({"agencies": len(summaries), "steps": steps, "pages": len(pages), "bytes": total,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--source", type=Path, default=None, help="its content folder (for site.yml); default: the corpus beside it")
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 50])
    args = parser.parse_args()
    source = args.source or REPO / "content"
    print(f"{'agencies':>9}{'read s':>8}{'lists s':>9}{'keys s':>8}{'render s':>10}{'total s':>9}{'peak MB':>9}{'list pages':>12}{'MB':>8}")
    for factor in args.factors:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(REPO), str(args.site), str(source), str(factor)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            sys.exit(done.stderr)
        figures = json.loads(done.stdout.splitlines()[-1])
        steps = figures["steps"]
        total = steps["read summaries"] + steps["assemble lists"] + steps["keys of list pages"] + steps["render list pages"]
        print(
            f"{figures['agencies']:>9}{steps['read summaries']:>8.1f}{steps['assemble lists']:>9.1f}{steps['keys of list pages']:>8.1f}"
            f"{steps['render list pages']:>10.1f}{total:>9.1f}{figures['peak_mb']:>9.0f}{figures['pages']:>12}{figures['bytes'] / 1e6:>8.1f}"
        )


if __name__ == "__main__":
    main()
