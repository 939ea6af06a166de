"""The straightforward Python build: the baseline bench/run.py compares gkml with.

    python bench/straightforward_build.py SOURCE OUT

One process, no cache, no manifest: load every agency file with PyYAML's C loader, render each
page with a small Jinja template, write it with open().write. Same page set and URLs as gkml
(agencies/<stem>/, …/items/<n>/, …/on-request/<n>/, …/negative/<n>/, and a home page), with
comparable HTML (header, breadcrumbs, the fields, a table per category on the agency page).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import jinja2
import yaml

BASE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} - {{ site['网站名称'] }}</title>
<link rel="canonical" href="{{ site['网址'] }}{{ path }}">
<link rel="stylesheet" href="/static/css/site.css">
</head>
<body>
<header class="site-header"><div class="wrap">
  <a class="site-title" href="/">{{ site['网站名称'] }}</a>
  <form class="header-search" role="search" action="/search/" method="get">
    <input name="q" type="search" placeholder="搜索公开事项"><button type="submit">搜索</button>
  </form>
</div></header>
<nav class="breadcrumbs wrap" aria-label="当前位置"><ol>
{% for label, href in trail %}
  <li>{% if loop.last %}<span aria-current="page">{{ label }}</span>{% else %}<a href="/{{ href }}">{{ label }}</a>{% endif %}</li>
{% endfor %}
</ol></nav>
<main id="main" class="wrap">
{% block main %}{% endblock %}
</main>
<footer class="site-footer"><div class="wrap">{{ site.get('主办单位', '') }}</div></footer>
</body>
</html>
"""

FIELDS = """{% macro fields(pairs) %}
<dl class="fields">
{% for label, value in pairs %}
<div class="field"><dt>{{ label }}</dt>
{% if value is string %}<dd>{{ value }}</dd>{% else %}<dd><ol>{% for v in value %}<li>{{ v }}</li>{% endfor %}</ol></dd>{% endif %}
</div>
{% endfor %}
</dl>
{% endmacro %}"""

HOME = """{% extends "base.html" %}
{% block main %}
<h1>{{ site['网站名称'] }}</h1>
<ul>{% for agency in agencies %}<li><a href="/{{ agency.path }}">{{ agency.name }}</a></li>{% endfor %}</ul>
{% endblock %}"""

AGENCY = """{% extends "base.html" %}
{% from "fields.html" import fields %}
{% block main %}
<h1>{{ agency.name }}</h1>
{% if data.get('目录名称') %}<p class="subtitle">{{ data['目录名称'] }}</p>{% endif %}
{{ fields(details) }}
<h2>主动公开目录 <span class="count">{{ agency['items'] | length }} 项</span></h2>
{% for category, entries in categories %}
<section class="category" id="cat-{{ loop.index }}">
<h3>{{ category }} <span class="count">{{ entries | length }} 项</span></h3>
<table class="catalogue">
<thead><tr><th>序号</th><th>二级事项</th><th>公开内容</th><th>公开时限</th><th>公开主体</th><th>公开方式</th></tr></thead>
<tbody>
{% for entry in entries %}
<tr><td>{{ entry.data.get('序号', '') }}</td><th><a href="/{{ entry.path }}">{{ entry.title }}</a></th>
<td><p>{{ entry.data.get('公开内容', '') }}</p></td><td>{{ entry.data.get('公开时限', '') }}</td>
<td>{{ entry.data.get('公开主体', '') }}</td><td>{{ entry.data.get('公开方式', '') }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
{% endfor %}
{% for anchor, heading, entries, column in lists if entries %}
<section id="{{ anchor }}">
<h2>{{ heading }} <span class="count">{{ entries | length }} 项</span></h2>
<table class="catalogue">
<thead><tr><th>序号</th><th>{{ column }}</th><th>事项</th><th>责任科室</th><th>信息产生时间或更新周期</th></tr></thead>
<tbody>
{% for entry in entries %}
<tr><td>{{ entry.data.get('序号', '') }}</td><td>{{ entry.data.get(column, '') }}</td>
<th><a href="/{{ entry.path }}">{{ entry.title }}</a></th><td>{{ entry.data.get('责任科室', '') }}</td>
<td>{{ entry.data.get('信息产生时间或更新周期', '') }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
{% endfor %}
{% endblock %}"""

ENTRY = """{% extends "base.html" %}
{% from "fields.html" import fields %}
{% block main %}
<p class="kind-label">{{ entry.label }} · <a href="/{{ agency.path }}">{{ agency.name }}</a></p>
<h1>{{ entry.title }}</h1>
{{ fields(pairs) }}
<nav class="prev-next">
{% if previous %}<a rel="prev" href="/{{ previous.path }}">上一条：{{ previous.title }}</a>{% endif %}
{% if next %}<a rel="next" href="/{{ next.path }}">下一条：{{ next.title }}</a>{% endif %}
</nav>
{% endblock %}"""

TEMPLATES = {"base.html": BASE, "fields.html": FIELDS, "home.html": HOME, "agency.html": AGENCY, "entry.html": ENTRY}
LISTS = (("依申请公开", "on-request", "一级事项"), ("负面清单", "negative", "事项类别"))  # YAML key, URL segment, column


def shown(value) -> str | list[str]:
    """A field as the page shows it: text, or a list of texts (a channel reads 渠道（名称）)."""
    if isinstance(value, list):
        return [str(shown(v)) for v in value]
    if isinstance(value, dict):
        if "渠道" in value:
            return f"{value['渠道']}（{value['名称']}）" if value.get("名称") else str(value["渠道"])
        return "；".join(f"{k}：{v}" for k, v in value.items())
    return str(value)


def agency_entries(stem: str, data: dict) -> dict:
    path = f"agencies/{data.get('网址标识', stem)}/"
    agency = {"name": data["名称"], "path": path, "items": [], "categories": []}
    for category in data.get("目录", []):
        entries = []
        for item in category.get("事项", []):
            slug = item.get("网址标识") or str(len(agency["items"]) + 1)
            entry = {"title": item.get("二级事项") or category["一级事项"], "path": f"{path}items/{slug}/",
                     "label": "主动公开事项", "category": category["一级事项"], "data": item}
            agency["items"].append(entry)
            entries.append(entry)
        agency["categories"].append((category["一级事项"], entries))
    for label, segment, _ in LISTS:
        agency[segment] = [
            {"title": row.get("二级事项") or row.get("公开事项", ""), "path": f"{path}{segment}/{row.get('网址标识') or n}/",
             "label": label, "category": row.get("一级事项") or row.get("事项类别"), "data": row}
            for n, row in enumerate((data.get(label) or {}).get("条目", []), start=1)
        ]
    return agency


def write(out: Path, relative: str, html: str) -> None:
    target = out / relative
    os.makedirs(target.parent, exist_ok=True)
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(html)


def build(source: Path, out: Path) -> int:
    env = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    with open(source / "site.yml", encoding="utf-8") as handle:
        site = yaml.load(handle, Loader=yaml.CSafeLoader)
    site["网址"] = site["网址"].rstrip("/") + "/"
    agencies = []
    for path in sorted(source.rglob("*.yml")):
        if path.parent != source:  # site.yml is the only file at the top
            with open(path, encoding="utf-8") as handle:
                data = yaml.load(handle, Loader=yaml.CSafeLoader)
            agencies.append((agency_entries(path.stem, data), data))

    agency_page, entry_page = env.get_template("agency.html"), env.get_template("entry.html")
    pages = 0
    for agency, data in agencies:
        home = ("首页", "")
        details = [(k, shown(data[k])) for k in ("地区", "来源文件", "填表信息", "声明数量", "备注") if k in data]
        lists = [(segment, heading, agency[segment], column) for heading, segment, column in LISTS]
        write(out, agency["path"] + "index.html", agency_page.render(
            site=site, title=agency["name"], path=agency["path"], trail=[home, (agency["name"], agency["path"])],
            agency=agency, data=data, details=details, categories=agency["categories"], lists=lists))
        chain = agency["items"] + agency["on-request"] + agency["negative"]
        for index, entry in enumerate(chain):
            pairs = [(k, shown(v)) for k, v in entry["data"].items() if k != "网址标识"]
            if entry["label"] == "主动公开事项":
                pairs.insert(0, ("一级事项", entry["category"]))
            write(out, entry["path"] + "index.html", entry_page.render(
                site=site, title=f"{entry['title']} - {agency['name']}", path=entry["path"],
                trail=[home, (agency["name"], agency["path"]), (entry["title"], entry["path"])],
                agency=agency, entry=entry, pairs=pairs,
                previous=chain[index - 1] if index else None, next=chain[index + 1] if index + 1 < len(chain) else None))
        pages += 1 + len(chain)
    write(out, "index.html", env.get_template("home.html").render(
        site=site, title="首页", path="", trail=[("首页", "")], agencies=[a for a, _ in agencies]))
    return pages + 1


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python bench/straightforward_build.py SOURCE OUT", file=sys.stderr)
        return 2
    start = time.perf_counter()
    pages = build(Path(argv[1]), Path(argv[2]))
    print(f"straightforward build: {pages} pages in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
