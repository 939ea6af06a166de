"""Folder names and slugs in pinyin, from the Chinese names of regions and agencies.

A region's folder is the pinyin of its name without the administrative suffix (宁夏回族自治区 →
ningxia, 石嘴山市 → shizuishan). An agency's default slug is its county's folder name, a hyphen,
and the pinyin of what its name says after the county: the short name in common use for the
usual county bureaus (医疗保障局 → 医保 → yibao), else the rest of the name without a final 局
(惠农区财政局 → huinong-caizheng). Pinyin comes from `pypinyin`, without tones, ü written v.
A polyphonic character may be read wrongly (朝阳 → zhaoyang): `gkml new --slug` then names it.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from gkml_ssg.content.fields import SLUG_MAX_LENGTH

# Longest first: 自治区 before 区, 地区 before 区.
_SUFFIXES = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区", "省", "市", "盟", "县", "区", "旗",
)
_AUTONOMOUS = ("自治区", "自治州", "自治县", "自治旗")
# The 55 ethnic minorities, whose names stand before 自治区/州/县/旗 (宁夏回族, 新疆维吾尔, 湘西土家族苗族).
_ETHNIC_NAMES = (
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
    "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯",
    "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴",
    "珞巴", "基诺",
)
_ETHNIC = sorted(_ETHNIC_NAMES, key=len, reverse=True)  # longest first: 土家 before 土
# A stripped name keeps at least this many characters: 和县 stays hexian, 城区 chengqu, 内蒙古 neimenggu.
_SHORTEST = 2

# The short names in common use for the usual county bureaus.
SHORT_NAMES = {
    "医疗保障局": "医保",
    "人力资源和社会保障局": "人社",
    "卫生健康局": "卫健",
    "卫生健康委员会": "卫健委",
    "市场监督管理局": "市场监管",
    "发展和改革局": "发改",
    "发展和改革委员会": "发改委",
    "住房和城乡建设局": "住建",
    "退役军人事务局": "退役军人",
    "人民政府办公室": "政府办",
}


def place_name(name: str) -> str:
    """A region's name without its administrative suffix: 宁夏回族自治区 → 宁夏, 石嘴山市 → 石嘴山."""
    name = name.strip()
    suffix = next((s for s in _SUFFIXES if name.endswith(s) and len(name) - len(s) >= _SHORTEST), "")
    stem = name[: len(name) - len(suffix)]
    if suffix in _AUTONOMOUS:
        stem = _without_ethnic_names(stem)
    return stem


def _without_ethnic_names(stem: str) -> str:
    while True:
        for ethnic in _ETHNIC:
            # A one-character name is stripped only as 回族, 藏族…: 西藏 stays 西藏.
            forms = (f"{ethnic}族",) if len(ethnic) == 1 else (f"{ethnic}族", ethnic)
            form = next((f for f in forms if stem.endswith(f) and len(stem) - len(f) >= _SHORTEST), None)
            if form is not None:
                stem = stem[: -len(form)]
                break
        else:
            return stem


def pinyin(text: str) -> str:
    """Lower-case pinyin without tones or spaces; letters and digits kept, anything else dropped."""
    return _letters(_syllables(text))


def place_folder(name: str) -> str:
    """The folder of a region: 宁夏回族自治区 → ningxia, 连云港市 → lianyungang ('' when nothing is left).
    The whole name is read, so that its words decide a polyphonic character (朝阳区 → chaoyang)."""
    name = name.strip()
    stem = place_name(name)
    whole = _syllables(name)
    suffix = _syllables(name[len(stem) :])  # ideographs only, one syllable each
    if suffix and whole[-len(suffix) :] == suffix:
        return _letters(whole[: -len(suffix)])
    return pinyin(stem)


def _syllables(text: str) -> list[str]:
    return lazy_pinyin(text, style=Style.NORMAL, errors="default")


def _letters(syllables: list[str]) -> str:
    return re.sub(r"[^a-z0-9]", "", "".join(syllables).lower())


def default_slug(agency: str, county: str) -> str:
    """`<county>-<kind>`: 惠农区医疗保障局 in 惠农区 → huinong-yibao; '' when the names give no letters."""
    rest = agency.strip()
    for prefix in (county.strip(), place_name(county)):
        if prefix and rest.startswith(prefix):
            rest = rest[len(prefix) :]
            break
    if rest in SHORT_NAMES:
        rest = SHORT_NAMES[rest]
    elif rest.endswith("局") and not rest.endswith("分局") and len(rest) > 1:
        rest = rest[:-1]
    parts = [part for part in (place_folder(county), pinyin(rest)) if part]
    return "-".join(parts)[:SLUG_MAX_LENGTH].strip("-")
