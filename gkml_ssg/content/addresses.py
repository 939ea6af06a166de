"""The site's address: `网址` in site.yml and the build's `--base-url`.

Every page loads its scripts and styles from the base path, and the canonical links, the sitemap
and the SiteDomain tag name the host, so both are held to a form with nothing a browser reads in
another way than the officer does: `http(s)://host[:port]/path/` (and, for `--base-url`, also
`/path/`), the path made of letters, digits, `-._~!$&*+,;=:@` (RFC 3986's path characters but
`'()`) and percent-encodings. Refused: user
information (`https://a@evil.com/` is evil.com), backslashes (browsers read `/\\` as `//`, another
host), percent-encoded `/`, `\\` and `.` and control characters, `.` and `..` segments, empty
segments, spaces, control characters, query strings and fragments.

One regular expression decides (it is also the JSON Schema's pattern for 网址, so an editor and
the build never disagree); `address_problem` only explains a refusal in Chinese.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from gkml_ssg.content.characters import FORBIDDEN, describe
from gkml_ssg.content.errors import ContentError, ContentInvalid

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])"
_PORT = r"(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?"
# A percent-encoding of anything but `/`, `\`, `.` and the control characters.
_ENCODED = r"%(?![01]|2[EeFf]|5[Cc]|7[Ff])[0-9A-Fa-f]{2}"
# RFC 3986's path characters but `'`, `(` and `)`, which end a quoted or CSS context.
_SEGMENT = rf"(?!\.\.?(?:/|$))(?:[A-Za-z0-9._~!$&*+,;=:@-]|{_ENCODED})+"
_PATH = rf"/(?:{_SEGMENT}/)*(?:{_SEGMENT})?"
SITE_URL_PATTERN = rf"^https?://{_HOST}{_PORT}(?:{_PATH})?$"
BASE_PATH_PATTERN = rf"^{_PATH}$"

SITE_URL_HINT = "网址只能写成 http(s)://主机[:端口]/路径/，例如 https://www.example.gov.cn/gkml/"
BASE_URL_HINT = "--base-url 只能写以 / 开头的路径（如 /gkml/），或完整地址（如 https://www.example.gov.cn/gkml/）"
_PATH_CHARACTERS = "路径只能用英文字母、数字和 - . _ ~ ! $ & * + , ; = : @，其他字符请用百分号编码（如 %E6%94%BF）"


def site_url_problem(value: str) -> str | None:
    """Why `value` cannot be the 网址 of site.yml, in Chinese; None when it can."""
    return address_problem(value, path_allowed=False)


def address_problem(value: str, *, path_allowed: bool) -> str | None:
    """Why `value` cannot be the site's address (a full URL, or with `path_allowed` also a path
    starting with `/`), in Chinese; None when it can."""
    if re.fullmatch(SITE_URL_PATTERN, value) or (path_allowed and re.fullmatch(BASE_PATH_PATTERN, value)):
        return None
    return f"“{_shown(value)}”不能用作网址：{_reason(value, path_allowed)}"


def check_site_address(site_url: str, base_url: str | None, config_file: str) -> None:
    """Raise ContentInvalid, in Chinese, unless the configured 网址 (in `config_file`) and the
    `--base-url` given (if any) are addresses a browser reads as written."""
    errors = []
    if problem := site_url_problem(site_url):
        errors.append(ContentError(config_file, problem, field="网址", hint=SITE_URL_HINT, code="bad-address"))
    if base_url and (problem := address_problem(base_url, path_allowed=True)):
        errors.append(ContentError("--base-url", problem, hint=BASE_URL_HINT, code="bad-address"))
    if errors:
        raise ContentInvalid(errors)


def _reason(value: str, path_allowed: bool) -> str:
    for char in value:
        if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            return f"含有不允许的字符 {describe(char)}"
        if char.isspace():
            return "含有空格" if char == " " else f"含有空白字符 U+{ord(char):04X}"
    if "\\" in value:
        return "含有反斜杠“\\”：浏览器把它当作“/”，“/\\”会被读成“//”，即另一个网站的地址"
    if "#" in value:
        return "不能带“#”及其后的锚点"
    if "?" in value:
        return "不能带“?”及其后的查询参数"
    if value.startswith(("http://", "https://")):
        authority, slash, path = value.split("://", 1)[1].partition("/")
        if problem := _authority_problem(authority):
            return problem
        return _path_problem(slash + path) or "格式不对"
    if path_allowed and value.startswith("/"):
        return _path_problem(value) or "格式不对"
    if path_allowed:
        return "应为以“/”开头的路径，或以 http:// 或 https:// 开头的完整地址"
    return "应以 http:// 或 https:// 开头"


def _authority_problem(authority: str) -> str | None:
    if "@" in authority:
        user, _, host = authority.rpartition("@")
        return f"主机前不能有“{user}@”：浏览器会把它当作用户名，真正的主机是“{host}”"
    host, _, port = authority.rpartition(":") if not authority.endswith("]") else (authority, "", "")
    if not host:
        host, port = authority, ""
    if not re.fullmatch(_HOST, host):
        return f"主机名“{host}”无效（只能用英文字母、数字、连字符和点；中文域名请写成 xn-- 开头的形式）"
    if not re.fullmatch(_PORT, f":{port}" if port else ""):
        return f"端口“{port}”无效（应为 1 到 65535 的数字）"
    return None


def _path_problem(path: str) -> str | None:
    if "//" in path:
        return "路径中不能有空段“//”"
    for encoded in re.findall(r"%[0-9A-Fa-f]{2}", path):
        if not re.fullmatch(_ENCODED, encoded):
            decoded = unquote(encoded)
            shown = f"“{decoded}”" if decoded in "/\\." else "控制字符"
            return f"路径中不能有编码后的{shown}（{encoded}）"
    if any(segment in (".", "..") for segment in path.split("/")):
        return "路径中不能有“.”或“..”段"
    for char in path:
        if not re.fullmatch(r"[A-Za-z0-9._~!$&*+,;=:@/%-]", char):
            return f"路径中不能有字符“{char}”：{_PATH_CHARACTERS}"
    if re.search(r"%(?![0-9A-Fa-f]{2})", path):
        return "路径中的“%”后应为两位十六进制数"
    return None


def _shown(value: str) -> str:
    """`value` as an error message can print it: control characters replaced by U+FFFD."""
    return FORBIDDEN.sub("\ufffd", re.sub(r"[\x00-\x1f]", "\ufffd", value))
