"""Screenshots of the default theme and of a portal-styled site, at 360 px and 1280 px, for
docs/themes.md.

    python3 docs/themes/make_screenshots.py

Builds this repository's content/ twice, once as it is and once as the site folder
docs/themes/portal-example/ describes it (its site.yml's 门户 part and its static/logo.svg added
to the seeds), serves each on loopback, and photographs the home page and an agency page in
Debian's Chromium (Playwright). Writes docs/themes/*.png.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from gkml_ssg.build.orchestrator import BuildOptions, build

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXAMPLE = HERE / "portal-example"
SIZES = {"360": {"width": 360, "height": 800}, "1280": {"width": 1280, "height": 800}}
PAGES = {"home": "", "agency": "agencies/huinong-yibao/"}


def portal_site(work: Path) -> Path:
    """The seeds as a site folder with the example portal's site.yml part and logo."""
    site = work / "portal"
    shutil.copytree(REPO / "content", site / "content")
    with (site / "content/site.yml").open("a", encoding="utf-8") as file:
        file.write((EXAMPLE / "site-portal.yml").read_text(encoding="utf-8"))
    shutil.copytree(EXAMPLE / "static", site / "static")
    return site


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="gkml-screens-") as temporary:
        work = Path(temporary)
        sites = {"default": REPO / "content", "portal": portal_site(work) / "content"}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for name, source in sites.items():
                out = work / f"public-{name}"
                build(BuildOptions(source=source, out=out, base_url="/", search_index=False))
                server, address = serve(out)
                try:
                    for size, viewport in SIZES.items():
                        context = browser.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1)
                        page = context.new_page()
                        for page_name, path in PAGES.items():
                            page.goto(address + path)
                            page.wait_for_load_state("networkidle")
                            page.screenshot(path=str(HERE / f"{name}-{page_name}-{size}.png"))
                        context.close()
                finally:
                    server.shutdown()
            browser.close()


if __name__ == "__main__":
    main()
