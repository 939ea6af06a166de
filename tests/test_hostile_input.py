"""Hostile input that used to hang gkml, end in a traceback or slip into the pages: each now ends in
one Chinese message (file, line, column, field, the fix) and exit status 1, from `gkml check` as
from `gkml build`, run here as the user runs them (a subprocess: a traceback would show)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import AGENCY_YML
from test_history import Repository

from gkml_ssg.content.characters import FORBIDDEN
from gkml_ssg.content.decode import INVALID, Decoder
from gkml_ssg.content.errors import Origin
from gkml_ssg.content.yamlnodes import Scalar

SITE_HINT = "（网址只能写成 http(s)://主机[:端口]/路径/，例如 https://www.example.gov.cn/gkml/）"
BASE_HINT = "（--base-url 只能写以 / 开头的路径（如 /gkml/），或完整地址（如 https://www.example.gov.cn/gkml/））"
CHARACTER_HINT = "（请删除该字符：它常随从 PDF、Word 或网页复制的文字混入，在编辑器中往往看不见）"
NOT_REGULAR_HINT = "（内容目录中只能有普通文件和文件夹：请删除它，或移到内容目录之外）"
CHECK_FAILED = "检查失败：1 处错误（内容无法加载，改正后才会检查警告）"


def gkml(project, *arguments: str) -> tuple[int, str]:
    """`python3 -m gkml_ssg …` in the project's folder: its exit status and everything it printed.
    The timeout turns a hang (a named pipe read) into a failure instead of a stuck suite."""
    run = subprocess.run(
        [sys.executable, "-m", "gkml_ssg", *arguments], cwd=project.root, capture_output=True, timeout=60,
        env={**os.environ, "PYTHONUTF8": "1"},
    )
    output = (run.stdout + run.stderr).decode("utf-8", errors="replace")
    assert "Traceback" not in output, output
    return run.returncode, output


def check(project) -> tuple[int, str]:
    return gkml(project, "check", "--source", str(project.content))


def build(project, *extra: str) -> tuple[int, str]:
    return gkml(project, "build", "--source", str(project.content), "--out", str(project.out), "--no-index", "--no-cache", *extra)


def assert_refused(project, error: str) -> None:
    """`gkml check` and `gkml build` both print exactly this one error and exit with 1; the
    build writes nothing."""
    assert check(project) == (1, f"{error}\n{CHECK_FAILED}\n")
    assert build(project) == (1, f"{error}\n构建失败：发现 1 处错误，{project.out} 未改动。\n")
    assert not project.out.exists()


def site_yml(url: str) -> str:
    return f"网站名称: 测试站点\n网址: {json.dumps(url)}\n"  # a JSON string is a YAML string


# 8, 12: the site's address


def test_a_backslash_in_the_site_url_is_refused(project):
    project.write("a/x.yml", AGENCY_YML)
    project.write("site.yml", site_yml("https://example.gov.cn/\\evil.com/"))
    assert_refused(
        project,
        "site.yml:2:5: 字段“网址”：“https://example.gov.cn/\\evil.com/”不能用作网址：含有反斜杠“\\”：浏览器把它当作“/”，"
        "“/\\”会被读成“//”，即另一个网站的地址" + SITE_HINT,
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://a@evil.com/", "主机前不能有“a@”：浏览器会把它当作用户名，真正的主机是“evil.com”"),
        ("https://example.gov.cn@evil.com/gkml/", "主机前不能有“example.gov.cn@”：浏览器会把它当作用户名，真正的主机是“evil.com”"),
        ("https://example.gov.cn/gkml%2F..%2Fevil/", "路径中不能有编码后的“/”（%2F）"),
        ("https://example.gov.cn/?from=gkml", "不能带“?”及其后的查询参数"),
        ("https://example.gov.cn/gkml/#top", "不能带“#”及其后的锚点"),
        ("https://example.gov.cn/gk ml/", "含有空格"),
        ("//evil.com/", "应以 http:// 或 https:// 开头"),
        ("https://example.gov.cn:99999/", "端口“99999”无效（应为 1 到 65535 的数字）"),
    ],
)
def test_a_site_url_with_userinfo_or_a_separator_in_disguise_is_refused(project, url, reason):
    project.write("a/x.yml", AGENCY_YML)
    project.write("site.yml", site_yml(url))
    assert_refused(project, f"site.yml:2:5: 字段“网址”：“{url}”不能用作网址：{reason}{SITE_HINT}")


@pytest.mark.parametrize(
    ("base_url", "shown", "reason"),
    [
        ("/\\evil.com/", "/\\evil.com/", "含有反斜杠“\\”：浏览器把它当作“/”，“/\\”会被读成“//”，即另一个网站的地址"),
        ("https://a@evil.com/gkml/", "https://a@evil.com/gkml/", "主机前不能有“a@”：浏览器会把它当作用户名，真正的主机是“evil.com”"),
        ("/gkml%2f..%2fevil/", "/gkml%2f..%2fevil/", "路径中不能有编码后的“/”（%2f）"),
        ("/%5cevil.com/", "/%5cevil.com/", "路径中不能有编码后的“\\”（%5c）"),
        ("/%2e%2e/", "/%2e%2e/", "路径中不能有编码后的“.”（%2e）"),
        ("/../", "/../", "路径中不能有“.”或“..”段"),
        ("//evil.com/", "//evil.com/", "路径中不能有空段“//”"),
        ("/gkml/?x=1", "/gkml/?x=1", "不能带“?”及其后的查询参数"),
        ("/gkml/#top", "/gkml/#top", "不能带“#”及其后的锚点"),
        ("/gk ml/", "/gk ml/", "含有空格"),
        ("/gkml\x01/", "/gkml\ufffd/", "含有不允许的字符 U+0001（控制字符）"),
        ("/<script>/", "/<script>/", "路径中不能有字符“<”：路径只能用英文字母、数字和 - . _ ~ ! $ & * + , ; = : @，其他字符请用百分号编码（如 %E6%94%BF）"),
        ("javascript:alert(1)", "javascript:alert(1)", "应为以“/”开头的路径，或以 http:// 或 https:// 开头的完整地址"),
    ],
)
def test_a_hostile_base_url_is_refused(project, base_url, shown, reason):
    project.write("a/x.yml", AGENCY_YML)
    error = f"--base-url: “{shown}”不能用作网址：{reason}{BASE_HINT}"
    assert build(project, "--base-url", base_url) == (1, f"{error}\n构建失败：发现 1 处错误，{project.out} 未改动。\n")
    assert not project.out.exists()


def head_of(project, path: str = "") -> tuple[str, str, str]:
    """The home page's SiteDomain, canonical link and first script's address."""
    html = (project.out / path / "index.html").read_text(encoding="utf-8")
    domain = re.search(r'<meta name="SiteDomain" content="([^"]*)">', html)
    canonical = re.search(r'<link rel="canonical" href="([^"]*)">', html)
    script = re.search(r'<script[^>]* src="([^"?]*)', html)
    assert domain and canonical and script
    return domain[1], canonical[1], script[1]


@pytest.mark.parametrize(
    ("url", "base_url", "expected"),
    [
        ("https://example.gov.cn/", None, ("example.gov.cn", "https://example.gov.cn/", "/static/js/")),
        ("https://example.gov.cn:8443/gkml/", None, ("example.gov.cn", "https://example.gov.cn:8443/gkml/", "/gkml/static/js/")),
        ("http://127.0.0.1:8000/a-b/c_d.e~f/%E6%94%BF/", None,
         ("127.0.0.1", "http://127.0.0.1:8000/a-b/c_d.e~f/%E6%94%BF/", "/a-b/c_d.e~f/%E6%94%BF/static/js/")),
        ("https://example.gov.cn", "/gkml/", ("example.gov.cn", "https://example.gov.cn/gkml/", "/gkml/static/js/")),
        ("https://example.gov.cn/", "/gkml", ("example.gov.cn", "https://example.gov.cn/gkml/", "/gkml/static/js/")),
        ("https://example.gov.cn/", "https://other.gov.cn/x/", ("other.gov.cn", "https://other.gov.cn/x/", "/x/static/js/")),
    ],
)
def test_a_valid_address_still_builds(project, url, base_url, expected):
    project.write("a/x.yml", AGENCY_YML)
    project.write("site.yml", site_yml(url))
    assert check(project)[0] == 0
    status, output = build(project, *(["--base-url", base_url] if base_url else []))
    assert status == 0 and output.startswith("构建完成："), output
    assert head_of(project)[:2] == expected[:2] and head_of(project)[2].startswith(expected[2])


# 9: files that are not files


def test_a_named_pipe_in_the_content_folder_is_refused_without_being_opened(project):
    project.write("a/x.yml", AGENCY_YML)
    os.mkfifo(project.content / "a" / "y.yml")  # reading it would wait for a writer forever
    assert_refused(project, f"a/y.yml: 不是普通文件，而是命名管道（FIFO）{NOT_REGULAR_HINT}")


def test_a_named_pipe_as_site_yml_is_refused(project):
    project.write("a/x.yml", AGENCY_YML)
    (project.content / "site.yml").unlink()
    os.mkfifo(project.content / "site.yml")
    assert_refused(project, f"site.yml: 不是普通文件，而是命名管道（FIFO）{NOT_REGULAR_HINT}")


def test_a_socket_in_the_content_folder_is_refused(project, monkeypatch):
    project.write("a/x.yml", AGENCY_YML)
    (project.content / "b").mkdir()
    monkeypatch.chdir(project.content / "b")  # a socket's address is short: bound by a relative name
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind("sock")
        assert_refused(project, f"b/sock: 不是普通文件，而是套接字{NOT_REGULAR_HINT}")


# 10: numbers and slugs too large


def test_a_count_of_5000_digits_is_refused(project):
    project.write("a/x.yml", AGENCY_YML + "声明数量:\n  主动公开二级事项: " + "9" * 5000 + "\n")
    assert_refused(
        project,
        "a/x.yml:19:13: 字段“声明数量.主动公开二级事项”：数量“99999999999999999999…（共 5000 个字符）”超过上限 10000（请填写原表表头声明的数量）",
    )


def test_a_count_over_the_maximum_is_refused_and_the_maximum_is_not(project):
    project.write("a/x.yml", AGENCY_YML + "声明数量:\n  主动公开一级事项: 10001\n")
    assert_refused(project, "a/x.yml:19:13: 字段“声明数量.主动公开一级事项”：数量“10001”超过上限 10000（请填写原表表头声明的数量）")
    project.write("a/x.yml", AGENCY_YML + "声明数量:\n  主动公开一级事项: 10000\n")
    assert check(project)[0] == 0  # with a warning: the rows do not match


SLUG_TOO_LONG = "长度为 300 个字符，超过上限 64 个（请缩短到 64 个字符以内；只能使用小写英文字母、数字和连字符，例如 huinong-yibao）"


def test_an_agency_slug_of_300_characters_is_refused(project):
    project.write("a/x.yml", AGENCY_YML + "网址标识: " + "a" * 300 + "\n")
    assert_refused(project, f"a/x.yml:18:7: 字段“网址标识”：{SLUG_TOO_LONG}")


def test_an_entry_slug_of_300_characters_is_refused(project):
    project.write("a/x.yml", AGENCY_YML.replace("      - 二级事项: 领导信息\n", "      - 二级事项: 领导信息\n        网址标识: " + "b" * 300 + "\n"))
    assert_refused(project, f"a/x.yml:18:15: 字段“目录[1].事项[2].网址标识”：{SLUG_TOO_LONG}")
    negative = "负面清单:\n  条目:\n    - 公开事项: 甲\n      网址标识: " + "c" * 300 + "\n"
    project.write("a/x.yml", AGENCY_YML + negative)
    assert_refused(project, f"a/x.yml:21:13: 字段“负面清单.条目[1].网址标识”：{SLUG_TOO_LONG}")


def test_a_file_name_too_long_for_a_slug_is_refused_unless_a_slug_is_given(project):
    name = "d" * 100
    project.write(f"a/{name}.yml", AGENCY_YML)
    assert_refused(project, f"a/{name}.yml: 文件名有 100 个字符，用作网址标识超过上限 64 个（请把文件名缩短到 64 个字符以内，或添加“网址标识: …”）")
    project.write(f"a/{name}.yml", AGENCY_YML + "网址标识: short\n")
    assert check(project)[0] == 0


def test_a_slug_of_64_characters_builds(project):
    slug = "-".join(["abcdefg"] * 8)  # 63 characters
    project.write(f"a/{slug}x.yml", AGENCY_YML.replace("      - 二级事项: 领导信息\n", f"      - 二级事项: 领导信息\n        网址标识: {slug}y\n"))
    assert check(project)[0] == 0
    assert build(project)[0] == 0
    assert (project.out / "agencies" / f"{slug}x" / "items" / f"{slug}y" / "index.html").is_file()


# 11: control characters, noncharacters, names that are not UTF-8


@pytest.mark.parametrize(
    ("file", "text", "error"),
    [
        ("a/x.yml", AGENCY_YML.replace("名称: 测试县医疗保障局", '名称: "测试县\\x01医疗保障局"'),
         "a/x.yml:1:5: 字段“名称”：第 4 个字符是不允许的字符 U+0001（控制字符）"),
        ("a/x.yml", AGENCY_YML.replace("公开内容: 机构职能", '公开内容: "机构\\v职能"'),
         "a/x.yml:11:15: 字段“目录[1].事项[1].公开内容”：第 3 个字符是不允许的字符 U+000B（控制字符）"),
        ("a/x.yml", AGENCY_YML.replace("          - 《中华人民共和国", '          - "\\x85《中华人民共和国"\n          - 《中华人民共和国'),
         "a/x.yml:13:13: 字段“目录[1].事项[1].公开依据[1]”：第 1 个字符是不允许的字符 U+0085（控制字符）"),
        ("a/x.yml", AGENCY_YML + '备注: "待核\\uFFFE"\n', "a/x.yml:18:5: 字段“备注”：第 3 个字符是不允许的字符 U+FFFE（Unicode 非字符）"),
        ("a/x.yml", AGENCY_YML + '"备\\x1b注": x\n', "a/x.yml:18:1: 字段“备\ufffd注”：第 2 个字符是不允许的字符 U+001B（控制字符）"),
        ("a/x.yml", AGENCY_YML + "备注: 待核\x01\n", "a/x.yml:18:7: 文件中有不允许的字符 U+0001（控制字符）"),
        ("site.yml", '网站名称: "测试\\u007f站点"\n网址: https://example.gov.cn/\n',
         "site.yml:1:7: 字段“网站名称”：第 3 个字符是不允许的字符 U+007F（控制字符）"),
    ],
    ids=["name", "text", "c1-in-a-list", "noncharacter", "key", "raw-in-the-file", "site-yml"],
)
def test_a_control_character_in_content_is_refused_with_its_place(project, file, text, error):
    project.write("a/x.yml", AGENCY_YML)
    project.write(file, text)
    assert_refused(project, error + CHARACTER_HINT)


def test_file_names_with_control_characters_or_not_utf8_are_refused(project):
    project.write("a/x.yml", AGENCY_YML)
    project.write("a/y\x01.yml", AGENCY_YML + "网址标识: y\n")
    assert_refused(project, "a/y\ufffd.yml: 文件名中有不允许的字符 U+0001（控制字符）（请给它改名，去掉其中的特殊字符）")
    os.unlink(project.content / "a/y\x01.yml")
    os.makedirs(os.fsencode(project.content) + b"/\xff")
    assert_refused(project, "\ufffd: 文件夹名不是 UTF-8 编码（含有字节 0xFF）（请给它改名，去掉其中的特殊字符）")


def test_the_decoder_refuses_a_lone_surrogate():
    """The C parser refuses `\\ud800`; the pure-Python one gives it: the decoder refuses it either way."""
    decoder = Decoder("a/x.yml")
    assert decoder.decode(Scalar("甲\ud800", Origin(3, 5), plain=False), str, "名称") is INVALID
    assert [e.format() for e in decoder.errors] == [
        "a/x.yml:3:5: 字段“名称”：第 2 个字符是不允许的字符 U+D800（单独的代理码位，不是有效字符）" + CHARACTER_HINT
    ]


def test_control_characters_in_commit_messages_are_replaced_and_the_feed_stays_well_formed(project):
    """A commit message is history, not a file an officer can correct: its characters no page may
    hold are replaced, and the build goes on. The unit and record separators git's output was
    once split on cannot break the history either."""
    project.write("a/x.yml", AGENCY_YML)
    repository = Repository(project)
    repository.commit("录入\x01目录\x0b（第\x1e一\x1f版）\x7f\x9b", "2025-01-02T03:04:05+08:00")
    status, output = build(project)
    assert status == 0, output
    feed = ET.parse(project.out / "feed.xml").getroot()
    titles = [entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in feed.iter("{http://www.w3.org/2005/Atom}entry")]
    assert titles == ["录入\ufffd目录\ufffd（第\ufffd一\ufffd版）\ufffd\ufffd"]
    for path in project.out.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".txt", ".json"}:
            assert FORBIDDEN.search(path.read_text(encoding="utf-8")) is None, path
    assert "录入\ufffd目录" in (project.out / "agencies/x/history/index.html").read_text(encoding="utf-8")
