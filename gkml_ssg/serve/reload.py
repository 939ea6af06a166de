"""The livereload glue of `gkml serve`: the file watcher that starts a build once per batch of
saves, the reload of every open page, and the server loop, which answers only requests addressed
to the preview and opens live reload only to its own pages (`serve.guard`)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado import web
from tornado.ioloop import IOLoop
from tornado.routing import AnyMatches, Rule

from gkml_ssg.serve.app import SiteApp
from gkml_ssg.serve.guard import RefusedHost, SameOriginForceReload, SameOriginLiveReload, ServedAddresses, ServedHost

# livereload's own snippet (Server.application, without a separate live-reload port), added before
# </head> of every page: it loads livereload.js from the page's own host and port, and that script
# opens the websocket there, so that its Origin is the page's.
LIVE_SCRIPT = (
    b'<script type="text/javascript">(function(){'
    b'var s=document.createElement("script");'
    b"var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    b's.src="//"+window.location.hostname+":"+port'
    b'+ "/livereload.js?port=" + port;'
    b"document.head.appendChild(s);"
    b"})();</script>"
)


class SourceWatcher(Watcher):
    """livereload's watcher, made to scan every watched file each time (size and time, by
    `os.scandir`) and call `on_change` once per batch of changes, however many files and folders
    they touch. `on_change` starts a build, which sends the reload itself: livereload's own poll
    would reload before the build ends, and drops a reload within 3 seconds of the previous one.
    It polls every `min_interval` seconds, or less often when a scan takes longer than `scan_share`
    of that (at 2,500 agencies a scan takes about 40 ms: every 0.8 s)."""

    def __init__(self, on_change: Callable[[list[str]], None], min_interval: float = 0.2, scan_share: float = 0.05):
        super().__init__()
        self.on_change = on_change
        self.min_interval = min_interval
        self.scan_share = scan_share
        self.scan_seconds = 0.0
        self._seen: dict[str, tuple[int, int]] | None = None

    def ignore(self, filename: str) -> bool:
        """Editors' swap, backup and lock files, and hidden files."""
        name = os.path.basename(filename)
        return super().ignore(filename) or name.startswith(".") or name.endswith("~") or name == "4913"

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """Every watched file's time and size, by path."""
        found: dict[str, tuple[int, int]] = {}

        def walk(folder: str) -> None:
            try:
                with os.scandir(folder) as entries:
                    for entry in entries:
                        if self.ignore(entry.path) or entry.name in self.ignored_dirs:
                            continue
                        if entry.is_dir(follow_symlinks=False):
                            walk(entry.path)
                        elif entry.is_file(follow_symlinks=False):
                            status = entry.stat(follow_symlinks=False)
                            found[entry.path] = (status.st_mtime_ns, status.st_size)
            except OSError:
                pass  # a folder removed while scanning: the next scan sees it gone

        for path in self._tasks:
            walk(path)
        return found

    def examine(self) -> tuple[str | None, float | None]:
        if self._changes:  # livereload's own, queued by Server.serve: browsers reconnecting after a restart
            return self._changes.pop()
        started = time.perf_counter()
        now = self.snapshot()
        before, self._seen = self._seen, now
        self.scan_seconds = time.perf_counter() - started
        if before is not None:
            changed = sorted(path for path in before.keys() | now.keys() if before.get(path) != now.get(path))
            if changed:
                self.filepath = changed[0]
                self.on_change(changed)
        return None, None  # nothing for livereload to do: the build started by on_change reloads

    def interval(self) -> float:
        return max(self.min_interval, self.scan_seconds / self.scan_share)

    def baseline(self) -> None:
        """Take the files as they are now: changes are counted from here."""
        self._seen = self.snapshot()

    def start(self, callback: Callable[[], None]) -> bool:
        """Poll on the server's loop (livereload polls every 0.8 s when this returns False)."""
        if self._seen is None:
            self.baseline()
        loop = IOLoop.current()

        def poll() -> None:
            try:
                callback()
            finally:
                loop.call_later(self.interval(), poll)

        loop.call_later(self.interval(), poll)
        return True


def livereload_reloader() -> Callable[[], None]:
    """A function that reloads every page connected to livereload's server, from any thread; made
    on the server's loop. "*" is no file name: livereload.js then reloads the whole page."""
    loop = IOLoop.current()
    return lambda: loop.add_callback(LiveReloadHandler.reload_waiters, "*")


class PreviewServer(Server):
    """livereload's server, whose tornado application (`Server.application`, which `serve` calls)
    routes only requests whose Host is served to livereload's handlers and the site, and refuses
    the others; its websocket and /forcereload check the Origin (`serve.guard`)."""

    def application(self, port: int, host: str, liveport: int | None = None, debug: bool | None = None,
                    live_css: bool = True) -> None:
        if liveport is not None:
            raise ValueError("gkml serves live reload on the site's own port")
        LiveReloadHandler.watcher = self.watcher  # the class attributes livereload's handlers share
        LiveReloadHandler.live_css = live_css
        served = ServedAddresses(host, port)

        class Injector(LiveScriptInjector):
            script = LIVE_SCRIPT

        routes = [
            (r"/livereload", SameOriginLiveReload),
            (r"/forcereload", SameOriginForceReload),
            (r"/livereload.js", LiveReloadJSHandler),
            *self.get_web_handlers(LIVE_SCRIPT),
        ]
        rules = [Rule(ServedHost(served), routes), Rule(AnyMatches(), RefusedHost, {"served": served})]
        web.Application(rules, debug=bool(debug), transforms=[Injector]).listen(port, address=host)


def serve(app: SiteApp, watcher: SourceWatcher, host: str, port: int) -> None:
    """Serve `app` with livereload, polling `watcher`, until Ctrl-C."""
    server = PreviewServer(app, watcher=watcher)
    # gkml says in Chinese what it does; livereload's own English notes are left out, not its warnings
    logging.getLogger("livereload").addFilter(lambda record: record.levelno >= logging.WARNING)
    # debug=False: tornado's debug mode would restart the process when gkml's code changes
    server.serve(port=port, host=host, debug=False, live_css=False)
