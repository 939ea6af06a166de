"""Write a synthetic corpus in gkml's content schema, for search-quality measurements and benchmarks.

Usage: python bench/make_corpus.py N DIR

DIR receives site.yml and N agency files, DIR/<province>/<city>/<kind>-<number>.yml. Agency number n
is generated from n alone (its own random.Random, never N or a shared state), so the same N gives
byte-identical files and the first K agencies of any corpus are those of the K-agency corpus.
Regions are real administrative divisions; the agencies and their catalogues are invented, with
the wording of the real catalogues in content/ (the value pools are in corpus_vocab.py).
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
import sys
from pathlib import Path
from typing import NamedTuple

import corpus_vocab as vocab
import yaml

from gkml_ssg.content.index_numbers import credit_code_check, index_number, mark_of

USAGE = "usage: python bench/make_corpus.py N DIR\n  writes N synthetic agencies and site.yml into DIR (new or empty)"

SITE = {
    "网站名称": "政务公开目录（合成语料）",
    "网址": "https://gkml.example.gov.cn/",
    "网站简介": "由 bench/make_corpus.py 生成的合成政务公开目录，用于搜索质量评测和性能测试；地区为真实行政区划，"
    "机构目录内容均为虚构。",
    "主办单位": "gkml 项目组（测试站点）",
}
AGENCY_REMARK = "合成数据：本目录由 bench/make_corpus.py 生成，机构名称取自真实行政区划，目录内容为虚构，不代表该机构的实际公开目录。"
CHINESE_NUMERALS = "一二三四五六七八九十"
INDEX_YEAR = 2024


class County(NamedTuple):
    province: str
    province_slug: str
    city: str
    city_slug: str
    name: str


COUNTIES = tuple(
    County(province, province_slug, city, city_slug, county)
    for province, province_slug, cities in vocab.PROVINCES
    for city, city_slug, counties in cities
    for county in counties.split()
)
# Agency n gets kind n mod K and, within its kind, a county found by a stride coprime with the
# number of counties: no (kind, county) pair repeats before K × counties agencies, and
# consecutive agencies are spread over the provinces rather than filling one county after another.
STRIDE = next(s for s in range(int(len(COUNTIES) * 0.618), len(COUNTIES)) if math.gcd(s, len(COUNTIES)) == 1)


def placement(number: int) -> tuple[vocab.Kind, County]:
    position = number - 1
    kind_index, round_ = position % len(vocab.KINDS), position // len(vocab.KINDS)
    county_index = (round_ * STRIDE + kind_index * (len(COUNTIES) // len(vocab.KINDS))) % len(COUNTIES)
    return vocab.KINDS[kind_index], COUNTIES[county_index]


def pick(rng: random.Random, population, count: int, weight=lambda x: 1.0) -> list:
    """`count` distinct elements, heavier ones more likely, in their original order."""
    keys = [rng.random() ** (1.0 / weight(x)) for x in population]
    chosen = sorted(range(len(population)), key=keys.__getitem__, reverse=True)[:count]
    return [population[i] for i in sorted(chosen)]


def weighted_choice(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


class Agency:
    """One agency's identity and the habits of its form: each is decided once, as a real form would."""

    def __init__(self, number: int):
        self.rng = rng = random.Random(f"gkml-corpus-{number}")
        self.kind, self.county = kind, county = placement(number)
        self.slug = f"{kind.slug}-{number:05d}"
        self.fields = {"区县": county.name, "市": county.city, "省": county.province, "领域": kind.domain}
        self.name = self.fill(kind.name)
        self.fields["机构"] = self.name
        self.fields["简称"] = kind.short.format(级=county.name[-1])

        self.regulation = weighted_choice(rng, vocab.REGULATION_WORDINGS)
        self.general_bases = pick(rng, vocab.GENERAL_BASES, rng.choice((0, 0, 1, 1, 2)))
        self.general_bases += [b for b in vocab.PROVINCE_BASES.get(county.province, ()) if rng.random() < 0.5]
        if rng.random() < 0.1:
            level = "自治区" if county.province.endswith("自治区") else "省"
            self.general_bases.append(self.fill(vocab.WORK_POINTS, 省级=level, 年=rng.randint(2020, 2023)))
        self.deadline = weighted_choice(rng, vocab.DEADLINES)
        website = rng.choice(vocab.WEBSITE_NAMES)
        self.website = {"渠道": "政府网站", "名称": self.fill(website)} if website else "政府网站"
        self.extra_channels = [  # (channel, how often this agency ticks it); many forms tick only the website
            (self.channel(kind_name, names), rng.choice((0.3, 0.6, 0.9)))
            for kind_name, names in vocab.CHANNELS[1:]
            if rng.random() < (0.35 if kind_name in vocab.SERVICE_CHANNELS else 0.12)
        ] if rng.random() < 0.65 else []
        self.bodies_are_offices = rng.random() < 0.4
        self.numbered = rng.random() < 0.65
        self.staged = rng.random() < 0.25
        self.has_audience = rng.random() < 0.9
        self.has_mode = rng.random() < 0.85
        self.level = ("区级" if county.name.endswith("区") else "县级") if rng.random() < 0.2 else None
        self.section = f"{county.name}政府网站-政务公开-{self.name}" if rng.random() < 0.15 else None
        self.varied_cycles = rng.random() < 0.25

    def fill(self, text: str, **extra) -> str:
        return text.format_map({**self.fields, **extra})

    def channel(self, kind_name: str, names: tuple[str, ...]):
        if names and self.rng.random() < 0.5:
            return {"渠道": kind_name, "名称": self.fill(self.rng.choice(names))}
        return kind_name

    def person(self) -> str:
        given = "".join(self.rng.choice(vocab.GIVEN_NAME_CHARACTERS) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(vocab.SURNAMES) + given

    def office(self, own_row: bool) -> str:
        """The office answering for a list entry: a business office for the kind's own rows."""
        if own_row or self.rng.random() < 0.2:
            return self.rng.choice(self.kind.offices)
        return "办公室"

    def update_cycle(self) -> str:
        return self.rng.choice(vocab.UPDATE_CYCLES) if self.varied_cycles else "不定期"


def make_catalogue(agency: Agency) -> list[dict]:
    rng = agency.rng
    optional = [c for c in vocab.CATEGORIES if not c.mandatory]
    mandatory_count = len(vocab.CATEGORIES) - len(optional)
    kept = pick(rng, optional, rng.randint(5, 8) - mandatory_count, lambda c: c.weight)
    chosen = [c for c in vocab.CATEGORIES if c.mandatory or c in kept]
    by_key = {c.key: c for c in vocab.CATEGORIES}
    pools: dict[str, list[tuple[vocab.Seed, bool]]] = {c.key: [] for c in chosen}  # (row, is the kind's own)
    for category in vocab.CATEGORIES:
        home = category
        while home.key not in pools:
            home = by_key[home.fallback]
        pools[home.key] += [(s, False) for s in category.seeds]
        if category.kind_rows:
            pools[home.key] += [(s, True) for s in getattr(agency.kind, category.kind_rows)]

    # Two rows for every category first, so that none is empty; then the rest from all pools.
    rows = {key: pick(rng, range(len(pool)), 2, lambda i, pool=pool: pool[i][0].weight) for key, pool in pools.items()}
    leftover = [(key, i) for key, pool in pools.items() for i in range(len(pool)) if i not in rows[key]]
    extra = rng.randint(35, 45) - sum(len(r) for r in rows.values())
    for key, i in pick(rng, leftover, extra, lambda row: pools[row[0]][row[1]][0].weight):
        rows[key].append(i)

    catalogue, number = [], 0
    for index, category in enumerate(chosen):
        name = rng.choice(category.names)
        entry = {"一级事项": name}
        if agency.numbered:
            entry["序号"] = CHINESE_NUMERALS[index]
        if agency.staged:
            entry["过程"] = category.stage
        entry["事项"] = []
        for i in sorted(rows[category.key]):
            number += 1
            entry["事项"].append(make_item(agency, *pools[category.key][i], name, number))
        catalogue.append(entry)
    return catalogue


def make_item(agency: Agency, seed: vocab.Seed, from_kind: bool, category: str, number: int) -> dict:
    rng = agency.rng
    title = agency.fill(rng.choice(seed.titles))
    item = {"二级事项": title}
    if agency.numbered:
        item["序号"] = str(number)
    item["公开内容"] = agency.fill(rng.choice(seed.contents), 事项=title)
    bases = [agency.regulation] if rng.random() < 0.95 else []
    bases += seed.basis
    if from_kind and not seed.basis:
        bases += pick(rng, agency.kind.laws, rng.choice((0, 1, 1, 2)))
    elif not from_kind:
        bases += agency.general_bases
    item["公开依据"] = list(dict.fromkeys(bases)) or [agency.regulation]
    item["公开时限"] = rng.choice(seed.deadlines) if seed.deadlines else agency.deadline
    if not agency.bodies_are_offices or rng.random() < 0.05:
        item["公开主体"] = agency.name
    elif seed.offices:
        item["公开主体"] = rng.choice(seed.offices)
    elif from_kind:
        office = rng.choice(agency.kind.offices)
        item["公开主体"] = f"办公室、{office}" if rng.random() < 0.15 else office
    else:
        item["公开主体"] = "办公室"
    channels = [agency.website]
    for channel, frequency in agency.extra_channels:
        kind_name = channel["渠道"] if isinstance(channel, dict) else channel
        boost = 0.4 if seed.service and kind_name in vocab.SERVICE_CHANNELS else 0.0
        if rng.random() < frequency + boost:
            channels.append(channel)
    item["公开渠道"] = channels
    if agency.has_audience:
        item["公开对象"] = "特定群体" if rng.random() < (0.25 if seed.service else 0.02) else "全社会"
    if agency.has_mode:
        item["公开方式"] = "依申请" if rng.random() < 0.03 else "主动"
    if agency.level:
        item["公开层级"] = agency.level
    if agency.section:
        item["网站所属栏目"] = f"{agency.section}-{category}"
    if rng.random() < 0.03:
        item["备注"] = rng.choice(vocab.ITEM_REMARKS)
    return item


def make_negative_list(agency: Agency) -> dict:
    rng = agency.rng
    own = list(agency.kind.negative)
    seeds = own + pick(rng, vocab.NEGATIVE_GENERAL, rng.randint(12, 18) - len(own))
    entries = []
    for number, seed in enumerate(seeds, start=1):
        entries.append({
            "序号": str(number),
            "事项类别": seed.category,
            "公开事项": agency.fill(seed.title),
            "内容": agency.fill(seed.content),
            "不予公开的依据": list(seed.grounds),
            "责任科室": agency.office(seed in own),
            "信息产生时间或更新周期": agency.update_cycle(),
        })
    header = {"附件": "附件3"} if rng.random() < 0.6 else {}
    return {**header, "名称": f"{agency.name}政府信息公开负面清单", "条目": entries}


def make_on_request_list(agency: Agency) -> dict:
    rng = agency.rng
    seeds = pick(rng, agency.kind.on_request + vocab.ON_REQUEST_GENERAL, rng.randint(2, 4))
    procedure = rng.choice(vocab.REVIEW_PROCEDURES)
    entries = []
    for number, seed in enumerate(seeds, start=1):
        entries.append({
            "序号": str(number),
            "一级事项": seed.category,
            "二级事项": agency.fill(seed.title),
            "不予主动公开的内容": agency.fill(seed.content),
            "不予主动公开的依据": list(seed.grounds),
            "责任科室": agency.office(seed in agency.kind.on_request),
            "信息产生时间或更新周期": agency.update_cycle(),
            "依申请公开审核程序": procedure,
        })
    header = {"附件": "附件2"} if rng.random() < 0.6 else {}
    return {**header, "名称": f"{agency.name}依申请公开政府信息目录", "条目": entries}


def make_agency(number: int) -> tuple[str, dict]:
    """The path (relative to the corpus folder) and content of agency `number`, counted from 1."""
    agency = Agency(number)
    rng, county = agency.rng, agency.county
    title = agency.fill(rng.choice(vocab.CATALOGUE_TITLES)) if rng.random() < 0.85 else None
    form = None
    if rng.random() < 0.3:
        form = {
            "责任单位": agency.name,
            "填表人": agency.person(),
            "复核人": agency.person(),
            "审签人": agency.person(),
            "填表时间": f"{rng.randint(2019, 2023)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
        }
    declares_counts = rng.random() < 0.25
    catalogue = make_catalogue(agency)
    on_request = make_on_request_list(agency) if rng.random() < 1 / 3 else None
    negative = make_negative_list(agency)

    document = {"名称": agency.name, "地区": {"省": county.province, "市": county.city, "区县": county.name}}
    if title:
        document["目录名称"] = title
    source = hashlib.sha1(f"gkml-corpus-{number}".encode()).hexdigest()[:16]
    document["来源文件"] = f"{number:05d}_{source}.txt"
    if form:
        document["填表信息"] = form
    if declares_counts:
        document["声明数量"] = {
            "主动公开一级事项": len(catalogue),
            "主动公开二级事项": sum(len(c["事项"]) for c in catalogue),
            "依申请公开二级事项": len(on_request["条目"]) if on_request else 0,
        }
    code = synthetic_code(number)
    rows = [*(item for category in catalogue for item in category["事项"]), *(on_request["条目"] if on_request else ()), *negative["条目"]]
    for serial, row in enumerate(rows, start=1):  # numbered as `gkml index-numbers` numbers them
        numbered = {"索引号": index_number(code, INDEX_YEAR, serial), **row}
        row.clear()
        row.update(numbered)
    document["机构代码"] = code
    document["索引号已编至"] = mark_of(INDEX_YEAR, len(rows))
    document["备注"] = AGENCY_REMARK
    document["目录"] = catalogue
    if on_request:
        document["依申请公开"] = on_request
    document["负面清单"] = negative
    return f"{county.province_slug}/{county.city_slug}/{agency.slug}.yml", document


def synthetic_code(number: int) -> str:
    """An 18-character 统一社会信用代码 for agency `number`, its check character right (机关 `11`,
    a made-up region and body: the agencies are invented)."""
    body = f"11{100000 + number % 900000:06d}MB{number:07d}"
    return body + credit_code_check(body)


# --- YAML, written by hand: fast, and plain scalars wherever YAML reads them back as the same string.

_RESOLVER = yaml.resolver.Resolver()
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


@functools.lru_cache(maxsize=1 << 16)
def scalar(value: str | int) -> str:
    if isinstance(value, int):
        return str(value)
    plain = (
        value
        and value == value.strip()
        and "\n" not in value
        and value[0] not in _INDICATORS
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
    )
    return value if plain else "'" + value.replace("'", "''") + "'"


def emit(mapping: dict, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            emit(value, indent + 2, lines)
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            for element in value:
                if isinstance(element, dict):
                    start = len(lines)
                    emit(element, indent + 2, lines)
                    lines[start] = f"{pad}- {lines[start][indent + 2:]}"
                else:
                    lines.append(f"{pad}- {scalar(element)}")
        else:
            lines.append(f"{pad}{key}: {scalar(value)}")


def to_yaml(mapping: dict) -> bytes:
    lines: list[str] = []
    emit(mapping, 0, lines)
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_corpus(count: int, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "site.yml").write_bytes(to_yaml(SITE))
    for number in range(1, count + 1):
        path, document = make_agency(number)
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(to_yaml(document))


def main(argv: list[str]) -> int:
    if len(argv) != 3 or not argv[1].isdigit() or int(argv[1]) < 1:
        print(USAGE, file=sys.stderr)
        return 2
    out = Path(argv[2])
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(f"{out} exists and is not an empty folder; choose a new one\n{USAGE}", file=sys.stderr)
        return 2
    write_corpus(int(argv[1]), out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
