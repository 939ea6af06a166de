"""What a reader's phone pays to search: bytes, files and time until the results are shown.

    python3 bench/search_cost.py SITE [SITE ...] [--label NAME ...] [--queries 异地就医 医 ...] [--repeats 3]
                                 [--no-throttle-only] [--timeout 60] [--json FILE]
    python3 bench/search_cost.py --build seeds --build 250 [--work DIR]

SITE is a built site folder; `--build seeds` builds the repository's content/, `--build N` the
synthetic corpus of N agencies (bench/make_corpus.py), into --work (kept: a rebuild with nothing
changed is quick). Each site is served on 127.0.0.1 over HTTP/1.1, gzipped as the shipped nginx
configuration gzips (bench/nginx_like_server.py).

Each measurement opens SITE/search/?q=QUERY in a fresh Chromium context (an empty cache, a 412 px
phone's window). A MutationObserver added before the page's scripts records performance.now() (ms
from navigation start) when the first result is shown (the first `li` of `[data-results]`) and when
the first page of results is complete (the status line says how many were found, which the search
page writes once the first page is shown). Bytes and files are those of every request, the page's
and its workers' (Pagefind, for one, searches in a Web Worker), finished by the first page: the
DevTools protocol's Network.loadingFinished encodedDataLength (headers and gzipped body, "wire"),
and the same files' sizes before gzip, as the server read them ("decoded"). Each site × query is
measured once unthrottled (bytes, files, times), then --repeats times on DevTools' "Slow 4G" (times:
median, min–max), interleaved over sites and queries. One browser, one page at a time: the machine
is small and shared.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from nginx_like_server import NGINX_CONF, SiteHandler, serve  # noqa: E402

# Chromium DevTools' "Slow 4G" preset (named "Fast 3G" until May 2024), as DevTools sends it:
# ChromeDevTools/devtools-frontend, front_end/core/sdk/NetworkManager.ts, Slow4GConditions (commit
# 00d120bf0e61feb60bf7c31cf879454577904b77): ~1.6 Mbps down and ~0.75 Mbps up, each × 0.9, and a
# 150 ms round trip × 3.75 (the adjustment factors that make Chromium's per-request simulation
# match a real link of that speed): 562.5 ms, 180 000 B/s down, 84 375 B/s up.
SLOW_4G = {"offline": False, "latency": 150 * 3.75, "downloadThroughput": 1.6e6 / 8 * 0.9, "uploadThroughput": 750e3 / 8 * 0.9}
SLOW_4G["connectionType"] = "cellular4g"  # as DevTools sends it (navigator.connection.type)
CHROMIUM = "/usr/bin/chromium"
# tests/conftest.py's flags, and every host but the loopback unresolvable: nothing leaves the machine.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
CHROMIUM_ARGS += ["--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
PHONE = {"width": 412, "height": 823}
RESULT_COUNT = re.compile(r"(\d+)\s*条")
# The moments the first result and the first page of results are shown (ms from navigation start).
SHOWN = r"""new MutationObserver((_, observer) => {
  if (!window.__firstResult && document.querySelector("[data-results] li")) window.__firstResult = performance.now();
  if (/\d+\s*条/.test(document.querySelector("[data-status]")?.textContent ?? "")) {
    window.__firstPage = [performance.now(), performance.timeOrigin];
    window.__firstResult ??= window.__firstPage[0];
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true, characterData: true });"""
DEFAULT_QUERIES = ["异地就医", "医疗救助", "三公经费", "定点医疗机构", "医"]


@dataclass
class Request:
    url: str = ""
    content_length: int | None = None
    encoded: int = 0  # Network.loadingFinished encodedDataLength
    finished: float | None = None  # its timestamp: seconds on Chromium's monotonic clock

    @property
    def wire(self) -> int:
        # Chromium counts only the headers of a dedicated worker's own script in its
        # encodedDataLength (the body reaches the worker outside its loader): the body sent is added.
        missing_body = self.content_length is not None and self.encoded < self.content_length
        return self.encoded + (self.content_length or 0) if missing_body else self.encoded


class NetworkLog:
    """The Network events of a page and of the workers it starts, by request id."""

    def __init__(self) -> None:
        self.requests: dict[str, Request] = {}
        # loadingFinished is timed on Chromium's monotonic clock, the page on the wall clock: the
        # Document's requestWillBeSent gives both (checked against a request the observer sends: ~1 ms)
        self.wall_minus_monotonic: float | None = None
        self.workers: dict[str, str] = {}  # session id: script address, of each worker attached to
        self.fetching: set[str] = set()  # the workers' sessions that have reported a request

    def record(self, method: str, params: dict) -> None:
        request = self.requests.setdefault(params.get("requestId", ""), Request())
        if method == "Network.requestWillBeSent":
            request.url = params["request"]["url"]
            if self.wall_minus_monotonic is None and params.get("type") == "Document":
                self.wall_minus_monotonic = params["wallTime"] - params["timestamp"]
        elif method in ("Network.responseReceived", "Network.responseReceivedExtraInfo"):
            headers = params["response"]["headers"] if "response" in params else params["headers"]
            length = next((v for k, v in headers.items() if k.lower() == "content-length"), None)
            request.content_length = int(length) if length is not None else request.content_length
        elif method == "Network.loadingFinished":
            request.encoded, request.finished = params["encodedDataLength"], params["timestamp"]

    def missed_a_worker(self) -> bool:
        """Whether a worker ran before its Network events were enabled (Playwright, attached to it
        too, may resume it first): it reports requests, but not its own script's loadingFinished.
        (Its dataReceived events are often missed: that is why "decoded" comes from the server.)"""
        finished = {r.url for r in self.requests.values() if r.finished is not None}
        return any(url not in finished for session, url in self.workers.items() if session in self.fetching)

    def finished_by(self, epoch_ms: float) -> list[Request]:
        """The requests finished by this moment (performance.timeOrigin + performance.now())."""
        cutoff = epoch_ms / 1000 - (self.wall_minus_monotonic or 0)
        return [r for r in self.requests.values() if r.finished is not None and r.finished <= cutoff]


@dataclass
class Run:
    ms: float | None = None  # to the first result; None: the first page was not shown in time
    page_ms: float | None = None  # to the first page of results
    wire: int = 0
    decoded: int = 0
    files: int = 0
    results: int | None = None
    requests: list[tuple[str, int, int]] = field(default_factory=list)  # path, wire and decoded bytes
    failure: str = ""


def listen_to_workers(cdp, log: NetworkLog) -> None:
    """Attach to each worker the page starts, paused, and enable its Network events before it runs.
    Playwright's CDPSession sends to one session only, so this uses the protocol's non-flattened
    mode: commands and events travel inside Target.sendMessageToTarget / receivedMessageFromTarget."""

    def attached(event: dict) -> None:
        log.workers[event["sessionId"]] = event["targetInfo"]["url"]
        for number, method in enumerate(("Network.enable", "Runtime.runIfWaitingForDebugger"), 1):
            message = json.dumps({"id": number, "method": method, "params": {}})
            cdp.send("Target.sendMessageToTarget", {"sessionId": event["sessionId"], "message": message})

    def received(event: dict) -> None:
        message = json.loads(event["message"])
        if message.get("method", "").startswith("Network."):
            log.record(message["method"], message["params"])
            log.fetching.add(event["sessionId"])

    cdp.on("Target.attachedToTarget", attached)
    cdp.on("Target.receivedMessageFromTarget", received)
    cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False})


def measure(browser, base: str, sizes: dict[str, int], query: str, throttled: bool, timeout_s: float) -> Run:
    """A run; another when a worker's first requests went unseen (mostly a new browser's first run)."""
    for _ in range(3):
        if (run := measure_once(browser, base, sizes, query, throttled, timeout_s)) is not None:
            return run
    return Run(failure="three times, a worker started before its Network events were enabled")


def measure_once(browser, base: str, sizes: dict[str, int], query: str, throttled: bool, timeout_s: float) -> Run | None:
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport=PHONE, locale="zh-CN")  # a new context: an empty cache
    try:
        page = context.new_page()
        page.add_init_script(SHOWN)
        cdp = context.new_cdp_session(page)
        log = NetworkLog()
        for event in ("requestWillBeSent", "responseReceived", "responseReceivedExtraInfo", "loadingFinished"):
            cdp.on(f"Network.{event}", lambda params, method=f"Network.{event}": log.record(method, params))
        cdp.send("Network.enable")
        listen_to_workers(cdp, log)
        if throttled:  # covers the page's dedicated workers too (their fetches take the 562.5 ms)
            cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        deadline = time.monotonic() + timeout_s
        page.goto(base + "search/?q=" + urllib.parse.quote(query), wait_until="commit", timeout=timeout_s * 1000)
        left_ms = max(1, round((deadline - time.monotonic()) * 1000))  # 0 would be no timeout at all
        page.wait_for_function("() => window.__firstPage !== undefined", timeout=left_ms)
        first, (page_ms, origin) = page.evaluate("[window.__firstResult, window.__firstPage]")
        status = RESULT_COUNT.search(page.locator("[data-status]").text_content() or "")
        page.wait_for_timeout(300)  # lets the events of the last requests before the result arrive
        if log.missed_a_worker():
            return None
        done = sorted(log.finished_by(origin + page_ms), key=lambda r: r.finished or 0)
        paths = [urllib.parse.unquote(urllib.parse.urlsplit(r.url).path) for r in done]
        files = [(path, r.wire, sizes.get(path, 0)) for path, r in zip(paths, done, strict=True)]
        count = int(status.group(1)) if status else None
        return Run(first, page_ms, sum(r.wire for r in done), sum(size for _, _, size in files), len(done), count, files)
    except PlaywrightError as error:  # a timeout, or the page crashed: the query failed
        return Run(failure=str(error).splitlines()[0])
    finally:
        context.close()


def build_site(what: str, work: Path) -> Path:
    """The seeds (content/) or the synthetic corpus of N agencies, built with gkml into `work`."""
    from gkml_ssg.build.orchestrator import BuildOptions, build

    source = REPO / "content"
    if what != "seeds":
        # As bench/run.py's make_corpus names and keeps it (not imported: run.py needs Hugo and Pagefind).
        generator = hashlib.sha256((BENCH / "make_corpus.py").read_bytes() + (BENCH / "corpus_vocab.py").read_bytes())
        source = work / f"corpus-{what}-{generator.hexdigest()[:8]}"
        if not source.with_name(source.name + ".complete").exists():
            shutil.rmtree(source, ignore_errors=True)
            subprocess.run([sys.executable, BENCH / "make_corpus.py", what, source], check=True, cwd=REPO)
            source.with_name(source.name + ".complete").touch()
    out = work / f"site-{what}"
    print(f"set-up: building {source} into {out}", file=sys.stderr, flush=True)
    build(BuildOptions(source=source, out=out, base_url="/", cache=work / f"site-{what}.cache"))
    return out


def padded(text: str, width: int, right: bool) -> str:
    """`text` padded to `width` terminal columns (a Chinese character takes two)."""
    gap = " " * max(0, width - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text))
    return gap + text if right else text + gap


def row(*cells: str, site_width: int = 8) -> str:
    widths = (site_width, 14, 9, 11, 6, 7, 7, 22, 22, 8)
    return "  ".join(padded(cell, width, i > 1) for i, (cell, width) in enumerate(zip(cells, widths, strict=True)))


def kb(size: int) -> str:
    return f"{size / 1000:.1f}"


def slow_cell(runs: list[Run], moment: str) -> str:
    times = [getattr(r, moment) for r in runs if r.ms is not None]
    text = f"{statistics.median(times):.0f} ({min(times):.0f}–{max(times):.0f})" if times else ""
    return " ".join(filter(None, [text, f"{len(runs) - len(times)} failed" if len(times) < len(runs) else ""])) or "–"


def report(table: dict[tuple[str, str], list[Run]]) -> None:
    """A row per site and query: bytes and files to the first page of results, and the times to the
    first result and to the first page, unthrottled and on Slow 4G (medians)."""
    width = max(8, *(len(label) for label, _ in table))
    print(row("", "", "to the first page of results", "", "", "ms to first result / page", "", "Slow 4G ms: first result", "first page", "", site_width=width))
    print(row("site", "query", "kB wire", "kB decoded", "files", "result", "page", "median (min–max)", "median (min–max)", "results", site_width=width))
    for (label, query), (first, *slow) in table.items():
        if first.ms is None or first.page_ms is None:
            print(row(label, query, "", "", "", "failed", "", slow_cell(slow, "ms"), slow_cell(slow, "page_ms"), "", site_width=width), first.failure, sep="  ")
            continue
        count = "–" if first.results is None else str(first.results)
        times = (f"{first.ms:.0f}", f"{first.page_ms:.0f}", slow_cell(slow, "ms"), slow_cell(slow, "page_ms"))
        print(row(label, query, kb(first.wire), kb(first.decoded), str(first.files), *times, count, site_width=width))
    for label in dict.fromkeys(label for label, _ in table):
        shown = [runs for (site, _), runs in table.items() if site == label and runs[0].ms is not None]
        if not shown:
            continue
        most = {name: max(getattr(runs[0], name) for runs in shown) for name in ("wire", "decoded", "files")}
        summary = f"{kb(most['wire'])} kB wire, {kb(most['decoded'])} kB decoded, {most['files']} files"
        for moment, name in (("ms", "first result"), ("page_ms", "first page")):
            slow = [statistics.median(times) for runs in shown if (times := [getattr(r, moment) for r in runs[1:] if r.ms is not None])]
            summary += f"; Slow 4G {name} {max(slow):.0f} ms" if slow else ""
        print(f"max over queries, {label}: {summary} (medians)")


def warn_if_unsteady(table: dict[tuple[str, str], list[Run]]) -> None:
    for (label, query), runs in table.items():
        if len(seen := {(r.wire, r.files) for r in runs if r.ms is not None}) > 1:
            print(f"warning: {label} {query}: the runs disagree on bytes and files: {sorted(seen)}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sites", nargs="*", type=Path)
    parser.add_argument("--label", action="extend", nargs="+", default=[], help="a name for each SITE, in order")
    parser.add_argument("--build", action="append", default=[], help="seeds, or a number of agencies")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "gkml-search-cost")
    parser.add_argument("--queries", nargs="+", default=DEFAULT_QUERIES)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-throttle-only", action="store_true", help="skip the Slow 4G runs")
    parser.add_argument("--timeout", type=float, default=60, help="seconds to wait for the first result")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    args = parser.parse_args()
    if not args.sites and not args.build:
        parser.error("give a SITE folder or --build")
    if len(args.label) > len(args.sites) or any(b != "seeds" and not b.isdigit() for b in args.build):
        parser.error("--label names SITE arguments; --build takes seeds or a number")
    for path in args.sites:
        if not (path / "search/index.html").is_file():
            parser.error(f"{path} has no search/index.html")
    sites = [(args.label[i] if i < len(args.label) else path.name, path) for i, path in enumerate(args.sites)]
    args.work.mkdir(parents=True, exist_ok=True)
    sites += [(what, build_site(what, args.work)) for what in args.build]

    from playwright.sync_api import sync_playwright

    servers = [serve(path) for _, path in sites]
    # per site and query: the unthrottled run, then the Slow 4G runs
    table: dict[tuple[str, str], list[Run]] = {(label, query): [] for label, _ in sites for query in args.queries}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for repeat in range(-1, 0 if args.no_throttle_only else args.repeats):  # -1: unthrottled
            for (label, _), (_, base, sizes) in zip(sites, servers, strict=True):
                for query in args.queries:
                    table[label, query].append(measure(browser, base, sizes, query, repeat >= 0, args.timeout))
        browser.close()
    for server, _, _ in servers:
        server.shutdown()
    warn_if_unsteady(table)
    rules = SiteHandler.gzip
    print(f"gzip as {NGINX_CONF.relative_to(REPO)}, from {rules.min_length} bytes, level {rules.level}:")
    for where, types in [*rules.locations, ("elsewhere", rules.server_types)]:
        print(f"  {where}: {' '.join(sorted(types | {'text/html'}))}")
    throughput = f"{SLOW_4G['downloadThroughput']:.0f} B/s down, {SLOW_4G['uploadThroughput']:.0f} B/s up"
    print(f"Slow 4G: {SLOW_4G['latency']} ms latency, {throughput}; kB = 1000 bytes; wire: headers and gzipped bodies\n")
    report(table)
    if args.json:
        runs = [
            {"site": label, "query": query, "unthrottled": asdict(first), "slow_4g": [asdict(r) for r in slow]}
            for (label, query), (first, *slow) in table.items()
        ]
        figures = {"slow_4g": SLOW_4G, "sites": {label: str(path) for label, path in sites}, "runs": runs}
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
