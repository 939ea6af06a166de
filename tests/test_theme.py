"""A site folder's own templates and static files over the default theme, file by file; the
portal's look from site.yml (masthead, logo, colours checked for contrast); the 嵌入 layout;
errors in a site's own template naming it; and the version every page and the manifest record."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import AGENCY_YML, SITE_YML

from gkml_ssg.build.manifest import Manifest
from gkml_ssg.build.orchestrator import BuildOptions, build
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.content.portal import contrast
from gkml_ssg.keys import gkml_version

PORTAL = """\
门户:
  名称: 惠农区人民政府
  网址: https://www.huinong.gov.cn/
  政府信息公开栏目: https://www.huinong.gov.cn/zwgk/
  标志: logo.svg
  颜色:
    主色: "#1a4f8b"
    链接: "#1a4f8b"
"""
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18" fill="#c00"/></svg>'


def make_site(root: Path, site_yml: str = SITE_YML + PORTAL) -> Path:
    """A site folder: content/ with site.yml and one agency, static/ with the logo."""
    (root / "content" / "x").mkdir(parents=True)
    (root / "content" / "site.yml").write_text(site_yml, encoding="utf-8")
    (root / "content" / "x" / "agency.yml").write_text(AGENCY_YML, encoding="utf-8")
    (root / "static").mkdir()
    (root / "static" / "logo.svg").write_bytes(LOGO)
    return root


def run(root: Path, **options) -> Path:
    out = root / "public"
    build(BuildOptions(source=root / "content", out=out, search_index=False, workers=1, **options))
    return out


def page(out: Path, path: str = "index.html") -> str:
    return (out / path).read_text(encoding="utf-8")


def test_the_portal_masthead_logo_colours_and_way_back(tmp_path):
    out = run(make_site(tmp_path))
    home = page(out)
    assert '<a class="portal-home" href="https://www.huinong.gov.cn/"><img class="portal-logo" src="/static/logo.svg?v=' in home
    assert '<a class="portal-column" href="https://www.huinong.gov.cn/zwgk/">返回政府信息公开</a>' in home
    assert '<link rel="stylesheet" href="/static/css/portal.css?v=' in home
    css = (out / "static/css/portal.css").read_text(encoding="utf-8")
    assert "--accent: #1a4f8b;" in css and "--on-accent: #ffffff;" in css
    assert (out / "static/logo.svg").read_bytes() == LOGO
    assert "portal-bar" in page(out, "agencies/agency/items/1/index.html")


def test_without_a_portal_the_default_theme_is_unchanged(tmp_path):
    out = run(make_site(tmp_path, SITE_YML))
    assert "portal-bar" not in page(out) and "portal.css" not in page(out)
    assert not (out / "static/css/portal.css").exists()


@pytest.mark.parametrize(
    ("colours", "field", "message"),
    [
        ('    链接: "#7fa7d9"\n', "门户.颜色.链接", "链接在白色页面上的对比度只有 2.4"),
        ('    主色: "#ffd700"\n', "门户.颜色.主色", "页头文字在主色背景上的对比度只有 1.4"),
        ('    浅色背景: "#57606a"\n', "门户.颜色.浅色背景", "文字在浅色背景上的对比度只有 2.47"),
    ],
)
def test_colours_below_wcag_aa_are_an_error_naming_the_colour(tmp_path, colours, field, message):
    site_yml = SITE_YML + "门户:\n  名称: 某县人民政府\n  网址: https://www.example.gov.cn/\n  颜色:\n" + colours
    root = make_site(tmp_path, site_yml)
    with pytest.raises(ContentInvalid) as refused:
        run(root)
    errors = [error for error in refused.value.errors if error.field == field]
    assert errors and message in errors[0].message and "WCAG AA" in errors[0].message, refused.value.errors
    assert errors[0].path == "site.yml" and not (root / "public").exists()


def test_contrast_is_wcags():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#b3261e", "#ffffff") == pytest.approx(6.54, abs=0.01)  # the default header
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # just below AA


def test_a_logo_missing_from_static_is_an_error(tmp_path):
    root = make_site(tmp_path)
    (root / "static" / "logo.svg").unlink()
    with pytest.raises(ContentInvalid, match=r"找不到标志图片 static/logo.svg"):
        run(root)


def test_a_sites_templates_and_static_override_the_theme_file_by_file(tmp_path):
    root = make_site(tmp_path)
    (root / "templates").mkdir()
    (root / "templates" / "home.html").write_text(textwrap.dedent("""\
        {% extends "base.html" %}
        {% block head_extra %}<link rel="stylesheet" href="{{ asset('css/county.css') }}">{% endblock %}
        {% block main %}<h1>惠农区政务公开目录（本站首页）</h1>{% endblock %}
    """), encoding="utf-8")  # fmt: skip
    (root / "static" / "css").mkdir()
    (root / "static" / "css" / "county.css").write_text("h1 { letter-spacing: 0.1em; }\n", encoding="utf-8")
    (root / "static" / "favicon.svg").write_bytes(LOGO)  # replaces the theme's file of that path
    out = run(root)
    home = page(out)
    assert "惠农区政务公开目录（本站首页）" in home and "/static/css/county.css?v=" in home
    item = page(out, "agencies/agency/items/1/index.html")
    assert "本站首页" not in item and "county.css" not in item and "机构信息" in item  # the theme's template
    assert (out / "static/favicon.svg").read_bytes() == LOGO
    assert (out / "static/css/site.css").read_bytes() == (BuildOptions().static / "css/site.css").read_bytes()
    # the site's base.html then serves every page
    (root / "templates" / "base.html").write_text("<!DOCTYPE html><html lang=\"zh-CN\"><title>x</title>{% block main %}{% endblock %}</html>\n", encoding="utf-8")
    out = run(root)
    assert "site-header" not in page(out, "agencies/agency/items/1/index.html")


def test_an_error_in_a_sites_template_names_its_file_and_line(tmp_path):
    root = make_site(tmp_path)
    (root / "templates").mkdir()
    (root / "templates" / "home.html").write_text('{% extends "base.html" %}\n{% block main %}\n{% if %}\n{% endblock %}\n', encoding="utf-8")
    with pytest.raises(ContentInvalid) as refused:
        run(root)
    assert refused.value.errors[0].format().startswith("templates/home.html:3:1: 模板错误：")
    (root / "templates" / "home.html").write_text('{% extends "base.html" %}\n{% block main %}\n\n{{ site.nope.x }}\n{% endblock %}\n', encoding="utf-8")
    with pytest.raises(ContentInvalid) as refused:
        run(root)
    assert refused.value.errors[0].format().startswith("templates/home.html:4:1: 模板错误："), refused.value.errors[0].format()


@pytest.mark.parametrize("from_site_yml", [False, True], ids=["--layout embed", "布局: 嵌入"])
def test_the_embed_layout_leaves_out_the_sites_header_and_footer(tmp_path, from_site_yml):
    includes = "  页头引用: /include/header.shtml\n  页脚引用: /include/footer.shtml\n"
    site_yml = SITE_YML + PORTAL + includes + ("布局: 嵌入\n" if from_site_yml else "")
    out = run(make_site(tmp_path, site_yml), **({} if from_site_yml else {"embed": True}))
    for path in ("index.html", "agencies/agency/index.html", "agencies/agency/items/1/index.html"):
        html = page(out, path)
        assert "site-header" not in html and "site-footer" not in html
        assert '<!--#include virtual="/include/header.shtml" -->' in html and '<!--#include virtual="/include/footer.shtml" -->' in html
        assert 'class="embed-nav wrap"' in html and 'id="main"' in html


def test_every_page_and_the_manifest_record_gkmls_version(tmp_path):
    out = run(make_site(tmp_path, SITE_YML))
    assert f'<meta name="generator" content="gkml {gkml_version()}">' in page(out)
    assert Manifest.read(out).generator == f"gkml {gkml_version()}"


def test_gkml_check_reports_a_missing_logo_as_the_build_does(tmp_path):
    from gkml_ssg.check.command import check_content

    root = make_site(tmp_path)
    assert check_content(root / "content", workers=1).passed(strict=True)
    (root / "static" / "logo.svg").unlink()
    report = check_content(root / "content", workers=1)
    assert report.error_count == 1 and "找不到标志图片 static/logo.svg" in report.diagnostics[0].problem.message
