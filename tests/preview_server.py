"""`gkml serve` run as a subprocess on a free loopback port, for the preview tests and
bench/preview_reload.py. In a process of its own, tornado's and livereload's warnings stay out of
pytest's `filterwarnings = error`, and the server is tested as a user runs it."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Self

REPO = Path(__file__).resolve().parent.parent
# An item of the seed site and the line of its file it is made from.
HAIYUAN = "ningxia/zhongwei/haiyuan-yibao.yml"
HAIYUAN_ITEM = "/agencies/haiyuan-yibao/items/2/"
HAIYUAN_TEXT = "领导班子成员姓名、职务、主要或分管工作"


# `gkml`, with Ctrl-C (SIGINT) raising KeyboardInterrupt as in a terminal, even when this process was
# started with SIGINT ignored (a background job of a non-interactive shell): the child inherits that.
MAIN = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); from gkml_ssg.cli.main import main; main()"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class PreviewProcess:
    """`gkml serve --source <root>/content` started in `root` (its preview and cache folders go
    there), with its output in files. Use as a context manager; `stop()` sends Ctrl-C (SIGINT)."""

    def __init__(self, root: Path, *options: str, content: Path = REPO / "content", host: str = "127.0.0.1"):
        self.root = root
        self.content = root / "content"
        if not self.content.exists():
            shutil.copytree(content, self.content)
        self.host = host
        self.port = free_port(host)
        self.options = options
        self.process: subprocess.Popen | None = None

    @property
    def address(self) -> str:
        """The server's address as a Host header and a URL write it."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """Also the origin of its pages: the Origin they send."""
        return f"http://{self.address}"

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout: float = 120) -> None:
        command = [sys.executable, "-c", MAIN, "serve", "--source", "content", "--host", self.host,
                   "--port", str(self.port), *self.options]
        env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        with open(self.root / "serve.out", "wb") as out, open(self.root / "serve.err", "wb") as err:
            self.process = subprocess.Popen(command, cwd=self.root, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gkml serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                if self.get("/")[0] in (200, 500):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gkml serve did not answer within {timeout} s:\n{self.output()}")

    def stop(self) -> int | None:
        """Ctrl-C, as a user stops it; killed if it does not stop. Returns the exit status."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def output(self) -> str:
        return "".join(
            (self.root / name).read_text(encoding="utf-8", errors="replace")
            for name in ("serve.out", "serve.err") if (self.root / name).exists()
        )

    def get(self, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """A request with `path` sent exactly as given (no normalisation of `..`, `%`, `\\`), with
        these headers (a Host among them replaces the server's address)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def text(self, path: str) -> tuple[int, str]:
        status, _, body = self.get(path)
        return status, body.decode("utf-8")

    def wait_for(self, path: str, predicate, timeout: float = 30) -> tuple[int, str]:
        """Fetch `path` until `predicate(status, text)` holds; the last answer."""
        deadline = time.monotonic() + timeout
        while True:
            status, text = self.text(path)
            if predicate(status, text):
                return status, text
            if time.monotonic() > deadline:
                raise AssertionError(f"{path}: still {status} after {timeout} s\n{self.output()}")
            time.sleep(0.05)

    def wait_for_output(self, pattern: str, timeout: float = 30) -> str:
        """Read serve.out until `pattern` is found in it: the page is served before the build's summary is
        printed, so a test that has seen the page must still wait for the line."""
        deadline = time.monotonic() + timeout
        while True:
            text = (self.root / "serve.out").read_text(encoding="utf-8")
            if re.search(pattern, text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"no line matching {pattern!r} after {timeout} s\n{self.output()}")
            time.sleep(0.05)

    def edit(self, relative: str, old: str, new: str) -> float:
        """Replace `old` by `new` once in a content file; returns the time of the write (time.time())."""
        path = self.content / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        data = text.replace(old, new, 1).encode("utf-8")
        with open(path, "wb") as file:
            file.write(data)
        return time.time()
