"""`gkml serve`: build the site, serve it on this machine, and when a source file is saved, build
again and reload the open browser pages.

`Preview` orchestrates: it owns the build options and the outcome of the last build, and calls the
build stage it was given (incremental through its manifest). A failed build leaves the site as it
was; the pages then show its errors (`serve.app`) until a build succeeds. The livereload package
provides the server: its websocket, its browser script (added to every HTML page) and the loop
that polls `reload.SourceWatcher`. The server answers only requests addressed to the preview (their
Host), and opens live reload only to its own pages (their Origin): `guard` says the rules.

Builds run one at a time on a thread of their own, so that the server keeps answering; changes
saved during a build are built next, together. Open pages reload as soon as the site and its search
are current: after an edit the build says so (`on_current`) before it re-indexes the edited
agencies' search shard, which can take seconds on a large site, and the pages reload then.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from gkml_ssg.build.orchestrator import BuildOptions, BuildReport, build
from gkml_ssg.build.write import OutputRefused
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.content.references import reference_folders
from gkml_ssg.serve.app import Failure, SiteApp
from gkml_ssg.serve.guard import is_loopback
from gkml_ssg.serve.reload import SourceWatcher, livereload_reloader, serve

DEFAULT_OUT = Path(".gkml-preview")  # not public/: a preview is built for another base URL
DEFAULT_CACHE = Path(".gkml-cache")  # shared with `gkml build`: entries are keyed by content


@dataclass(frozen=True)
class Outcome:
    """One build of the preview: its report, or why it failed; and what started it."""

    report: BuildReport | None
    failure: Failure | None
    seconds: float
    changed: tuple[str, ...] = ()


def preview_options(source: Path, out: Path = DEFAULT_OUT, search_index: bool = True,
                    cache: Path | None = DEFAULT_CACHE) -> BuildOptions:
    """Build options for a site served at the root of http://host:port/."""
    return BuildOptions(source=source, out=out, base_url="/", search_index=search_index, cache=cache)


def site_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


class Preview:
    """The preview's state: what to build, the last build's outcome, the changes waiting for a
    build, and locks so that two builds never overlap. `build` is the build stage, called as
    `build(options, on_current=...)` (injected so that tests can replace it)."""

    def __init__(self, options: BuildOptions, build: Callable[..., BuildReport] = build,
                 out: TextIO | None = None, err: TextIO | None = None):
        self.options = options
        self._build = build
        self._out = out or sys.stdout
        self._err = err or sys.stderr
        self._lock = threading.Lock()  # held by a build
        self._queue_lock = threading.Lock()  # held while `_pending` or `_worker` change
        self._pending: set[str] = set()
        self._worker: threading.Thread | None = None
        self.last: Outcome | None = None
        self.builds = 0

    @property
    def failure(self) -> Failure | None:
        return self.last.failure if self.last is not None else None

    def rebuild(self, changed: tuple[str, ...] = (), on_current: Callable[[float], None] | None = None) -> Outcome:
        """Build once; record and report the outcome. Never raises for a failed build. `on_current`
        is called when an edit's pages and search are current, before its shard is re-indexed."""
        with self._lock:
            started = time.perf_counter()
            report, failure = None, None
            try:
                report = self._build(self.options, on_current=on_current)
            except ContentInvalid as invalid:
                failure = Failure(errors=tuple(invalid.errors))
            except OutputRefused as refused:
                failure = Failure(message=f"构建失败：{refused}")
            except Exception as error:  # noqa: BLE001 -- a bug must not stop the preview: say it, keep serving
                traceback.print_exc(file=self._err)
                failure = Failure(message=f"构建出错：{type(error).__name__}: {error}")
            self.last = Outcome(report, failure, time.perf_counter() - started, changed)
            self.builds += 1
            self._say(self.last)
            return self.last

    def application(self) -> SiteApp:
        return SiteApp(self.options.out, lambda: self.failure)

    def watched(self) -> list[Path]:
        """The folders whose files the site is made from: content (site.yml is in it), the
        templates and static files of the site and of the default theme, and the reference
        catalogues (the site's references/ and the shipped ones). A site's own templates/, static/
        or references/ made while the preview runs is watched from the next start."""
        references = reference_folders(self.options.source)
        folders = [self.options.source, *self.options.template_folders, *self.options.static_folders, *references]
        return [folder for i, folder in enumerate(folders) if folder.is_dir() and folder not in folders[:i]]

    def run(self, host: str, port: int) -> int:
        """Build, serve until Ctrl-C, and return the exit status."""
        if not is_loopback(host):
            print(f"警告：预览服务器监听 {host}，其他机器也能访问它和其中尚未发布的内容。"
                  "只在本机预览时请去掉 --host。", file=self._err, flush=True)
        try:
            watcher = SourceWatcher(lambda paths: self.files_changed(paths, livereload_reloader()))
            for folder in self.watched():
                watcher.watch(str(folder))
            watcher.baseline()  # before the first build: a file saved during it is built next
            outcome = self.rebuild()
            if outcome.failure is not None and not outcome.failure.errors:
                return 1  # the output folder was refused, or the build broke: nothing to serve
            print(f"预览地址：{site_url(host, port)}（保存内容、模板或静态文件后自动重建并刷新；按 Ctrl-C 停止）",
                  file=self._out, flush=True)
            serve(self.application(), watcher, host, port)
        except KeyboardInterrupt:
            pass
        except OSError as error:
            print(f"无法在 {host}:{port} 上启动预览服务器：{error.strerror or error}（可用 --port 换一个端口）",
                  file=self._err, flush=True)
            return 1
        worker = self._worker
        if worker is not None and worker.is_alive():
            print("正在等待当前构建结束（再按 Ctrl-C 立即退出）……", file=self._out, flush=True)
            try:
                worker.join()
            except KeyboardInterrupt:
                return 130  # the build is cut short; the next one repairs the folder (see build/write.py)
        print("预览已停止。", file=self._out, flush=True)
        return 0

    def files_changed(self, paths: list[str], reload: Callable[[], None]) -> None:
        """Build these changes on the build thread, or with the next build if one is running; then
        `reload` (which must be safe to call from any thread) reloads the open pages: as soon as
        the site and its search are current, or when the build ends, failed or not (the pages then
        show its errors)."""
        with self._queue_lock:
            self._pending.update(self._shown(path) for path in paths)
            if self._worker is not None:
                return  # the running build thread takes them next
            self._worker = threading.Thread(target=self._build_pending, args=(reload,), name="gkml-preview-build", daemon=True)
            self._worker.start()

    def _build_pending(self, reload: Callable[[], None]) -> None:
        while True:
            with self._queue_lock:
                if not self._pending:
                    self._worker = None
                    return
                changed, self._pending = tuple(sorted(self._pending)), set()
            self._build_and_reload(changed, reload)

    def _build_and_reload(self, changed: tuple[str, ...], reload: Callable[[], None]) -> None:
        reloaded = []

        def current(seconds: float) -> None:
            reloaded.append(seconds)
            reload()
            print(f"[{time.strftime('%H:%M:%S')}] 网站和搜索已更新（{seconds:.2f} 秒），已刷新浏览器；正在重建改动机构所在的搜索分片……",
                  file=self._out, flush=True)

        outcome = self.rebuild(changed, on_current=current)
        if not reloaded or outcome.failure is not None:
            reload()

    def _shown(self, path: str) -> str:
        """A changed file as the messages name it: content files below the content folder."""
        for folder in self.watched():
            if Path(path).is_relative_to(folder):
                return Path(path).relative_to(folder if folder == self.options.source else folder.parent).as_posix()
        return path

    def _say(self, outcome: Outcome) -> None:
        when = time.strftime("%H:%M:%S")
        cause = f"{', '.join(outcome.changed)} 有改动；" if outcome.changed else ""
        if outcome.failure is None:
            assert outcome.report is not None  # a build that did not fail reported
            print(f"[{when}] {cause}{outcome.report.summary()}", file=self._out, flush=True)
            return
        for error in outcome.failure.errors:
            print(error.format(), file=self._err)
        if outcome.failure.errors:
            print(f"[{when}] {cause}构建失败：发现 {len(outcome.failure.errors)} 处错误；"
                  "预览保留上次成功构建的网站，浏览器中显示这些错误。", file=self._err, flush=True)
        else:
            print(f"[{when}] {cause}{outcome.failure.message}", file=self._err, flush=True)
