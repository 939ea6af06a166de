"""Small readers for built sites, shared by the tests."""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

from gkml_ssg.build.manifest import MANIFEST_NAME, Manifest

REPO = Path(__file__).resolve().parent.parent


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.canonical: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes.get("href")
            return  # the page's own absolute address, not a link to follow
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append(attributes[name])


def parse_html(path: Path) -> LinkCollector:
    collector = LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file of a built site and, in place of the manifest's database file (whose bytes
    depend on the order rows were written), what the manifest records."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    if files.pop(MANIFEST_NAME, None) is not None:
        files[MANIFEST_NAME] = repr(manifest_contents(root)).encode()
    return files


def manifest_contents(root: Path) -> tuple:
    manifest = Manifest.read(root)
    summaries = {path: summary.to_row() for path, summary in sorted(manifest.summaries().items())}
    outputs = manifest.outputs(manifest.keys)
    return manifest.settings, manifest.history, sorted(manifest.digests.items()), sorted(manifest.keys.items()), sorted(outputs.items()), summaries


def resolve_internal(out: Path, base_path: str, link: str) -> Path | None:
    """The file a site-internal link points at, or None for a link that leaves the site."""
    target = link.split("#", 1)[0].split("?", 1)[0]
    if not target:
        return None
    assert target.startswith(base_path), f"internal link {link!r} ignores the base path {base_path!r}"
    relative = target[len(base_path):]
    path = out / relative
    return path / "index.html" if (relative == "" or relative.endswith("/")) else path


def search_site(site: Path, queries) -> dict[str, list[str]]:
    """The result URLs, in rank order, of each query over a built site's search index: the site's
    search-core.js in Node (bench/search_quality.mjs)."""
    queries_file = site.parent / f"{site.name}-queries.json"
    queries_file.write_text(json.dumps(list(queries), ensure_ascii=False), encoding="utf-8")
    output = subprocess.run(
        ["node", str(REPO / "bench/search_quality.mjs"), str(site), str(queries_file)],
        check=True, capture_output=True, text=True,
    ).stdout
    return {line["query"]: line["urls"] for line in map(json.loads, output.splitlines())}
