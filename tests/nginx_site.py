"""A built site served by a real nginx with the repository's example configuration.

    with NginxSite(root, work, sub_path="/gkml/") as site:
        open_url(site.base_url + "search/")  # urlopen without the environment's proxies

`root` is the folder served (a built site, or a publish folder's `current` link: nginx resolves it
at every request); `work` an empty folder for nginx's configuration, pid file, logs and temporary
files; `sub_path` the path the site is served under, starting and ending with "/".

nginx (/usr/sbin/nginx, from Debian: tests/install.sh installs it) runs in the foreground as the
current user, listening on 127.0.0.1 at a free port, with an `http {}` wrapper that includes
deploy/nginx/gkml.conf rewritten for the test: its `alias` made `root`, its `listen` the port, its
/gkml/ paths `sub_path`, and its headers snippet the repository's deploy/nginx/gkml-headers.conf.
Everything else (locations, headers, caching, types, 404 page) is the file as it is shipped.

Attributes once entered: `base_url` ("http://127.0.0.1:PORT/gkml/"), `origin`
("http://127.0.0.1:PORT"), `port`, `error_log` (Path). Entering waits until nginx answers; leaving
stops it. A test using it is marked `nginx` (tests/conftest.py skips it, or under CI=true fails
it, when nginx is not installed).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Self

import pytest

REPO = Path(__file__).resolve().parent.parent
NGINX = Path("/usr/sbin/nginx")
SITE_CONF = REPO / "deploy/nginx/gkml.conf"
HEADERS_CONF = REPO / "deploy/nginx/gkml-headers.conf"
MIME_TYPES = Path("/etc/nginx/mime.types")

# What the shipped file says, and is replaced here.
_SHIPPED_ROOT = "/srv/gkml/current/"
_SHIPPED_SUB_PATH = "/gkml/"
_SHIPPED_LISTEN = ("listen 80;", "listen [::]:80;")
_SHIPPED_HEADERS = "include snippets/gkml-headers.conf;"
_SHIPPED_BARE_REDIRECT = "location = /gkml {"


def site_config(root: Path, sub_path: str, port: int) -> str:
    """deploy/nginx/gkml.conf with the test's folder, sub-path and port."""
    if not (sub_path.startswith("/") and sub_path.endswith("/")):
        raise ValueError(f"sub_path must start and end with '/': {sub_path!r}")
    text = SITE_CONF.read_text(encoding="utf-8")
    for shipped in (_SHIPPED_ROOT, *_SHIPPED_LISTEN, _SHIPPED_HEADERS, _SHIPPED_BARE_REDIRECT):
        assert shipped in text, f"deploy/nginx/gkml.conf no longer has {shipped!r}: update tests/nginx_site.py"
    # The root goes in last: its own path contains "/gkml/".
    placeholder = "@@ROOT@@"
    text = text.replace(_SHIPPED_ROOT, placeholder)
    if sub_path == "/":
        # "location = " would redirect "/" to itself
        text = text.replace(_SHIPPED_BARE_REDIRECT, "location = /.gkml-unused-redirect {")
    else:
        text = text.replace(_SHIPPED_BARE_REDIRECT, f"location = {sub_path.rstrip('/')} {{")
    text = text.replace(_SHIPPED_SUB_PATH, sub_path)
    text = text.replace(placeholder, _quote(f"{root}/"))
    text = text.replace(_SHIPPED_LISTEN[0], f"listen 127.0.0.1:{port};").replace(_SHIPPED_LISTEN[1], "")
    return text.replace(_SHIPPED_HEADERS, f"include {_quote(str(HEADERS_CONF))};")


def _quote(path: str) -> str:
    if any(c in path for c in "\"\\;{}$ \t\n"):
        raise ValueError(f"path unsuitable for an nginx configuration: {path!r}")
    return path


class NginxSite:
    def __init__(self, root: Path, work: Path, sub_path: str = "/gkml/"):
        self.root = root
        self.work = work
        self.sub_path = sub_path
        self.error_log = work / "error.log"
        self.port = 0
        self._process: subprocess.Popen | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return self.origin + self.sub_path

    def __enter__(self) -> Self:
        from conftest import require

        require("nginx")  # a test using this is marked `nginx`, which has checked already
        # A free port can be taken between asking for it and nginx binding it: then try another.
        for _ in range(5):
            self.port = _free_port()
            self._write_config()
            self._process = subprocess.Popen(
                [str(NGINX), "-p", str(self.work), "-c", str(self.work / "nginx.conf"), "-e", str(self.error_log)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
            if self._wait_until_answering():
                return self
            self._process.wait()
            message = self._process.stderr.read().decode("utf-8", "replace") + self._log()
            if "Address already in use" not in message:
                pytest.fail(f"nginx did not start:\n{message}")
        pytest.fail(f"nginx found no free port:\n{self._log()}")

    def __exit__(self, *exc_info: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()  # fast shutdown of master and workers
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process is not None and self._process.stderr is not None:
            self._process.stderr.close()

    def _write_config(self) -> None:
        temp = self.work / "temp"
        temp.mkdir(parents=True, exist_ok=True)
        (self.work / "gkml.conf").write_text(site_config(self.root, self.sub_path, self.port), encoding="utf-8")
        # As root, nginx's workers would switch to `nobody`, who cannot read pytest's folders.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        temp_paths = "".join(
            f"    {kind}_temp_path {temp / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (self.work / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {self.work / 'nginx.pid'};\n"
            f"error_log {self.error_log} warn;\nevents {{ worker_connections 256; }}\n"
            f"http {{\n    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
            f"    access_log off;\n    sendfile on;\n{temp_paths}    include {self.work / 'gkml.conf'};\n}}\n",
            encoding="utf-8",
        )

    def _wait_until_answering(self, timeout: float = 15.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            try:
                open_url(self.base_url, timeout=2).close()
                return True
            except urllib.error.HTTPError:
                return True  # it answers; what it answers is the test's business
            except OSError:
                time.sleep(0.05)
        pytest.fail(f"nginx did not answer within {timeout:.0f} s:\n{self._log()}")

    def _log(self) -> str:
        return self.error_log.read_text(encoding="utf-8", errors="replace") if self.error_log.exists() else ""


# Loopback only: whatever proxy the environment names is not asked.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def open_url(url: str, timeout: float = 10.0, headers: dict[str, str] | None = None):
    """urllib's urlopen without proxies; raises urllib.error.HTTPError for an error status."""
    return _OPENER.open(urllib.request.Request(url, headers=headers or {}), timeout=timeout)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
