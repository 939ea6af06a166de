"""Save-to-reload latency of `gkml serve`: from the write of a content file to the open page showing
the edit, on the seed site (content/) and on the synthetic 250-agency corpus.

    python3 bench/preview_reload.py [--repeats 7] [--corpus DIR] [--no-index] [--no-browser] [--work DIR]

Each site is copied into a work folder and served by `gkml serve` (as a user runs it, with the
search index unless --no-index) on a free loopback port. Chromium (Playwright, as the tests drive
it) opens one agency's page; each repeat appends a mark to that agency's 备注 (bench/run.py's edit;
only its page shows it) and takes, from the moment the file was written (the save):

- `message`: the page's livereload websocket receiving the server's reload message (the change
  noticed by polling, the incremental build, the message sent);
- `load`: the `load` event of the reloaded page, whose text shows the mark;
- `current`, `build`: from the server's summary line, the build's own seconds until the site and
  its search were current (when the pages reload; none when no edit bundle was needed) and until
  it ended, the edited agency's search shard re-indexed. The next edit waits for that end: a
  change saved during a build is built after it.

One edit before the repeats warms up; the figures are medians (and min–max) of the repeats. With
--no-browser a websocket client stands in for the browser and only `message` is measured. The
corpus (default /tmp/gkml-bench/corpus-250) is generated with bench/make_corpus.py if missing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from preview_server import PreviewProcess  # noqa: E402 -- the tests' way of running `gkml serve`
from run import agency_files, edit_agency  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# In every document: the time of the load event, whether livereload.js has connected, and the time
# its websocket received a reload message (kept in sessionStorage, which outlives the reload).
PROBE = """
addEventListener('load', () => { window.loadedAt = Date.now(); });
document.addEventListener('LiveReloadConnect', () => { window.liveReloadConnected = true; });
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', (event) => {
      if (String(event.data).includes('"reload"')) sessionStorage.setItem('reloadAt', String(Date.now()));
    });
  }
};
"""
SUMMARY = re.compile(r"构建完成：.*用时 ([\d.]+) 秒.*?(?:；([\d.]+) 秒时网站和搜索已是最新)?$", re.MULTILINE)


def summaries(process: PreviewProcess) -> list[tuple[float, float | None]]:
    """The server's build summaries so far: seconds, and when the site and search were current."""
    text = (process.root / "serve.out").read_text(encoding="utf-8")
    return [(float(total), float(current) if current else None) for total, current in SUMMARY.findall(text)]


def build_finished(process: PreviewProcess, before: int, timeout: float = 600) -> tuple[float, float | None]:
    """Wait for the build after the `before`-th summary to end (the next edit would wait for it)."""
    deadline = time.monotonic() + timeout
    while len(found := summaries(process)) <= before:
        if time.monotonic() > deadline:
            sys.exit(f"no build summary after {timeout} s:\n{process.output()}")
        time.sleep(0.05)
    return found[before]


def measure_in_browser(process: PreviewProcess, agency: Path, repeats: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.add_init_script(PROBE)
        page.goto(f"{process.url}/agencies/{agency.stem}/")
        for repeat in range(repeats + 1):
            page.wait_for_function("window.liveReloadConnected === true", timeout=60_000)
            time.sleep(0.3)  # the page settled, the next edit at no fixed phase of the server's polling
            mark = f"【预览测量{repeat}】"
            before = len(summaries(process))
            edit_agency(agency, mark)
            written = time.time()
            page.get_by_text(mark).first.wait_for(timeout=600_000)
            loaded = page.evaluate("window.loadedAt") / 1000
            message = float(page.evaluate("sessionStorage.getItem('reloadAt')")) / 1000
            build, current = build_finished(process, before)
            rows.append({"message": message - written, "load": loaded - written, "current": current, "build": build})
        browser.close()
    return rows[1:]


def measure_with_websocket(process: PreviewProcess, agency: Path, repeats: int) -> list[dict]:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    async def run() -> list[dict]:
        received: list[tuple[float, str]] = []  # the time each message came, as it came

        def on_message(message: str | None) -> None:
            if message is not None:
                received.append((time.time(), message))

        async def first_since(since: float, command: str) -> float:
            while not (found := [at for at, message in received if at >= since and f'"{command}"' in message]):
                await asyncio.sleep(0.005)
            return found[0]

        # the preview accepts live reload only from its own pages' origin
        request = HTTPRequest(f"ws://127.0.0.1:{process.port}/livereload", headers={"Origin": process.url.rstrip("/")})
        connection = await websocket_connect(request, on_message_callback=on_message)
        await connection.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
        await first_since(0, "hello")
        await connection.write_message(json.dumps({"command": "info", "url": f"{process.url}/agencies/{agency.stem}/"}))
        rows = []
        for repeat in range(repeats + 1):
            await asyncio.sleep(2.5 if repeat == 0 else 0.3)  # past livereload's own reload 2 s after the start
            before = len(summaries(process))
            edit_agency(agency, f"【预览测量{repeat}】")
            written = time.time()
            message = await first_since(written, "reload") - written
            build, current = build_finished(process, before)
            rows.append({"message": message, "current": current, "build": build})
        connection.close()
        return rows[1:]

    return asyncio.run(run())


def report(name: str, rows: list[dict]) -> None:
    for key in ("message", "load", "current", "build"):
        values = [row[key] for row in rows if row.get(key) is not None]
        if values:
            print(f"  {key:8} median {statistics.median(values):6.3f} s   min {min(values):6.3f}   max {max(values):6.3f}   "
                  f"(n={len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/gkml-bench/corpus-250"))
    parser.add_argument("--no-index", action="store_true", help="serve without the search index")
    parser.add_argument("--no-browser", action="store_true", help="measure to the reload message, with a websocket client")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one, removed after)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        subprocess.run([sys.executable, str(REPO / "bench" / "make_corpus.py"), "250", str(args.corpus)], check=True)
    browser = not args.no_browser and CHROMIUM.exists()
    work = args.work or Path(tempfile.mkdtemp(prefix="gkml-preview-bench-"))
    flags = ("--no-index",) if args.no_index else ()
    print(f"gkml serve{' --no-index' if args.no_index else ''}; from the file's write to "
          f"{'the reloaded page (Chromium)' if browser else 'the reload message (websocket client)'}; "
          f"{args.repeats} edits after one warm-up")
    try:
        for name, source in (("content/ (5 agencies)", REPO / "content"), (f"{args.corpus} ", args.corpus)):
            root = work / re.sub(r"\W+", "-", name).strip("-")
            root.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            process = PreviewProcess(root, *flags, content=source)
            process.start(timeout=3600)
            try:
                first = time.perf_counter() - started
                agency = agency_files(process.content)[0]
                measure = measure_in_browser if browser else measure_with_websocket
                rows = measure(process, agency, args.repeats)
            finally:
                process.stop()
            print(f"{name.strip()}: {len(agency_files(root / 'content'))} agencies, first build and start {first:.1f} s; "
                  f"edited {agency.relative_to(root / 'content')}")
            report(name, rows)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
