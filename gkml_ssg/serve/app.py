"""The preview's web application: the built site's files, served safely, or the last build's errors.

A WSGI application (PEP 3333) with no server of its own: `preview` runs it inside livereload's
server, which adds its reload script to every HTML page, and the tests call it with environ dicts,
without sockets.

Only regular files inside the site folder are served. A request path is refused (404) when it is
not valid UTF-8, holds a backslash, a NUL, a `%` left after the server decoded it (a double-encoded
request), a `.` or `..` segment or a hidden name (the build manifest starts with a dot), or when any
folder or file on the way is a symbolic link, wherever it points: the build never writes one.
"""

from __future__ import annotations

import mimetypes
import os
import stat
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from gkml_ssg.content.errors import ContentError

# Set here, not taken from the machine's mime.types, which differ from one system to another.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".png": "image/png",
    ".wasm": "application/wasm",
    # the search index's term chunks and filters: binary data search-core.js decodes
    ".bin": "application/octet-stream",
}
BINARY = "application/octet-stream"
_TEMP_SUFFIX = ".gkml-tmp"  # a file the build is writing (see build/write.py)


@dataclass(frozen=True)
class Failure:
    """Why the last build left the site as it was: its content errors, or another problem."""

    errors: tuple[ContentError, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class Redirect:
    """A folder asked for without its trailing slash."""

    location: str


def content_type(name: str) -> str:
    suffix = os.path.splitext(name)[1].lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    return mimetypes.guess_type(name)[0] or BINARY


def request_path(environ: dict) -> str | None:
    """The decoded request path (a WSGI server has percent-decoded it into latin-1 code points)."""
    try:
        return environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None


def locate(root: Path, path: str) -> str | Redirect | None:
    """The file that answers `path` inside `root` (a folder's index.html), a redirect for a folder
    asked for without its slash, or None when there is none or the path is refused."""
    if not path.startswith("/") or any(c in path for c in "\\\0%"):
        return None
    segments = [segment for segment in path.split("/") if segment]
    if any(s.startswith(".") or s.endswith(_TEMP_SUFFIX) for s in segments):
        return None  # `.`, `..`, hidden files (the manifest) and files being written
    top = os.path.realpath(root)
    current = top
    try:
        for segment in segments:
            current = os.path.join(current, segment)
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return None
        status = os.lstat(current)
        if stat.S_ISDIR(status.st_mode):
            if not path.endswith("/"):
                return Redirect(urllib.parse.quote(path + "/"))
            current = os.path.join(current, "index.html")
            status = os.lstat(current)
    except OSError:  # missing, or a file where a folder should be
        return None
    if not stat.S_ISREG(status.st_mode) or not os.path.realpath(current).startswith(top + os.sep):
        return None
    return current


def read_regular_file(name: str) -> bytes | None:
    """The bytes of `name`, refusing a symbolic link put there since it was checked."""
    try:
        descriptor = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        return file.read()


class SiteApp:
    """Serves the site folder `root`. While `failure()` says the last build failed, every page
    (HTML) request gets the error page instead; other files are still served from the last good
    build. Every response says `Cache-Control: no-store`: a preview is never stale."""

    def __init__(self, root: Path, failure: Callable[[], Failure | None] = lambda: None):
        self.root = root
        self.failure = failure

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return self._respond(start_response, "405 Method Not Allowed", "text/plain; charset=utf-8",
                                 "只支持 GET 和 HEAD 请求。\n".encode(), method, [("Allow", "GET, HEAD")])
        path = request_path(environ)
        found = locate(self.root, path) if path is not None else None
        failure = self.failure()
        if failure is not None and _is_page(found, path):
            return self._respond(start_response, "500 Internal Server Error", CONTENT_TYPES[".html"],
                                 error_page(failure).encode("utf-8"), method)
        if isinstance(found, Redirect):
            query = environ.get("QUERY_STRING", "")
            location = found.location + (f"?{query}" if query else "")
            return self._respond(start_response, "301 Moved Permanently", "text/plain; charset=utf-8", b"", method,
                                 [("Location", location)])
        body = read_regular_file(found) if found is not None else None
        if body is None:
            page = locate(self.root, "/404.html")
            body = read_regular_file(page) if isinstance(page, str) else None
            return self._respond(start_response, "404 Not Found", CONTENT_TYPES[".html"],
                                 body if body is not None else NOT_FOUND_PAGE, method)
        assert found is not None  # the body was read from it
        return self._respond(start_response, "200 OK", content_type(found), body, method)

    @staticmethod
    def _respond(start_response: Callable, status: str, kind: str, body: bytes, method: str,
                 extra: list[tuple[str, str]] | None = None) -> list[bytes]:
        headers = [
            ("Content-Type", kind),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            *(extra or []),
        ]
        start_response(status, headers)
        return [] if method == "HEAD" else [body]


def _is_page(found: str | Redirect | None, path: str | None) -> bool:
    """Whether a request is for a page (it would show HTML): an .html file, a folder, or a missing
    path that is not a file of another type."""
    if isinstance(found, Redirect):
        return True
    if found is not None:
        return found.endswith(".html")
    suffix = os.path.splitext((path or "").rstrip("/"))[1].lower()
    return suffix in ("", ".html")


NOT_FOUND_PAGE = (
    '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>页面未找到</title>\n</head>\n'
    "<body>\n<h1>页面未找到</h1>\n<p>预览网站中没有这个页面。</p>\n</body>\n</html>\n"
).encode()

# Autoescaped: messages quote the content, which may hold anything.
_ERROR_TEMPLATE = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>构建失败 - gkml 预览</title>
<link rel="icon" href="data:,">
<style>
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 52rem; padding: 1.5rem; line-height: 1.6; color: #222; }
h1 { color: #a00; font-size: 1.5rem; }
ol { padding-left: 1.5rem; } li { margin-bottom: 1rem; }
code { background: #f4f4f4; padding: 0 .25rem; word-break: break-all; }
.where { font-weight: bold; margin: 0; } .hint { color: #555; margin: 0; } .message { margin: 0; }
</style>
</head>
<body>
<main>
<h1>构建失败：网站未更新</h1>
{% if failure.errors %}
<p>内容中有 {{ failure.errors | length }} 处错误。改正并保存文件后，本页会自动刷新为网站页面；在此之前，预览保留上次成功构建的网站。</p>
<ol>
{% for error in failure.errors %}
<li>
<p class="where"><code>{{ error.path }}{% if error.origin %}:{{ error.origin.line }}:{{ error.origin.column }}{% endif %}</code>
{%- if error.origin %}（第 {{ error.origin.line }} 行，第 {{ error.origin.column }} 列）{% endif %}</p>
{% if error.field %}<p class="message">字段“<code>{{ error.field }}</code>”</p>{% endif %}
<p class="message">{{ error.message }}</p>
{% if error.hint %}<p class="hint">提示：{{ error.hint }}</p>{% endif %}
</li>
{% endfor %}
</ol>
{% else %}
<p class="message">{{ failure.message }}</p>
<p>问题解决并保存文件后，本页会自动刷新；在此之前，预览保留上次成功构建的网站。</p>
{% endif %}
</main>
</body>
</html>
""")


def error_page(failure: Failure) -> str:
    """The page shown in place of every page while the last build failed, in Chinese."""
    return _ERROR_TEMPLATE.render(failure=failure)
