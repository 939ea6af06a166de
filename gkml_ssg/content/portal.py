"""The portal a site is part of (site.yml's 门户): its name, its home page and 政府信息公开
column, its logo, its colours, and pages without the site's own header and footer (布局: 嵌入).

The State Council asks that a disclosure catalogue be built inside the portal's existing
政府信息公开 column (国办公开办函〔2019〕61号): with these, the default theme shows the portal's
masthead and a way back to its column. The colours become CSS custom properties; each pair a
reader sees together must reach WCAG AA's contrast (4.5:1 for text), checked when site.yml is
loaded (`colour_errors`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum

from gkml_ssg.content.errors import ContentError
from gkml_ssg.content.fields import yaml_field, yaml_key

COLOUR = r"^#[0-9a-fA-F]{6}$"
COLOUR_HINT = "请写六位十六进制颜色，如“#b3261e”"
LINK = r"^https?://[^\s\"'<>\\]+$"
LINK_HINT = "请写以 http:// 或 https:// 开头的完整地址"
# A file in the site's static/ folder: plain names only, so that it stays inside the site.
STATIC_FILE = r"^[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*\.(?:png|svg|jpg|jpeg|gif|webp)$"
# A server-side include: a path on the portal's own server.
SSI_PATH = r"^/(?!.*--)[A-Za-z0-9_./-]+$"  # no "--": it is written inside an HTML comment
AA_TEXT = 4.5


class Layout(str, Enum):
    FULL = "完整"
    EMBED = "嵌入"


@dataclass(frozen=True)
class Colours:
    """The theme's colours (CSS custom properties of the default theme); absent: the default."""

    accent: str | None = yaml_field("主色", "页头背景和标题下划线的颜色，默认“#b3261e”。", default=None, pattern=COLOUR, pattern_hint=COLOUR_HINT)
    on_accent: str | None = yaml_field("页头文字", "页头上文字和链接的颜色，默认“#ffffff”。", default=None, pattern=COLOUR, pattern_hint=COLOUR_HINT)
    text: str | None = yaml_field("文字", "正文文字的颜色，默认“#1f2328”。", default=None, pattern=COLOUR, pattern_hint=COLOUR_HINT)
    muted: str | None = yaml_field("次要文字", "说明、计数等次要文字的颜色，默认“#57606a”。", default=None, pattern=COLOUR, pattern_hint=COLOUR_HINT)
    link: str | None = yaml_field("链接", "链接的颜色，默认“#0b57a4”。", default=None, pattern=COLOUR, pattern_hint=COLOUR_HINT)
    soft: str | None = yaml_field("浅色背景", "页脚等浅色区域的背景色，默认“#f6f8fa”。", default=None, pattern=COLOUR, pattern_hint=COLOUR_HINT)


# The default theme's colours (static/css/site.css), and the property each one sets.
DEFAULTS = Colours("#b3261e", "#ffffff", "#1f2328", "#57606a", "#0b57a4", "#f6f8fa")
PROPERTIES = {"accent": "--accent", "on_accent": "--on-accent", "text": "--text", "muted": "--muted", "link": "--link", "soft": "--soft"}
PAGE = "#ffffff"  # the page's background
# The pairs a reader sees together: (foreground, background, where).
PAIRS = (
    ("on_accent", "accent", "页头文字在主色背景上"),
    ("text", "page", "正文文字在白色页面上"),
    ("muted", "page", "次要文字在白色页面上"),
    ("link", "page", "链接在白色页面上"),
    ("text", "soft", "文字在浅色背景上"),
    ("muted", "soft", "次要文字在浅色背景上"),
    ("link", "soft", "链接在浅色背景上"),
)


@dataclass(frozen=True)
class Portal:
    name: str = yaml_field("名称", "门户网站的名称，如“惠农区人民政府”：每页页头显示，并链接到门户首页。")
    home: str = yaml_field("网址", "门户首页的地址，如“https://www.huinong.gov.cn/”。", pattern=LINK, pattern_hint=LINK_HINT)
    column: str | None = yaml_field(
        "政府信息公开栏目", "门户“政府信息公开”栏目的地址：每页显示“返回政府信息公开”链接。", default=None, pattern=LINK, pattern_hint=LINK_HINT
    )
    logo: str | None = yaml_field(
        "标志", "门户标志图片在站点 static/ 文件夹中的文件名，如“logo.png”（png、svg、jpg、gif、webp）。", default=None,
        pattern=STATIC_FILE, pattern_hint="请写 static/ 文件夹中的文件名，只用英文字母、数字、连字符，如“logo.png”",
    )
    colours: Colours | None = yaml_field("颜色", "主题颜色：页头、文字、链接、浅色背景；每对颜色的对比度须达到 WCAG AA（4.5:1）。", default=None)
    header_include: str | None = yaml_field(
        "页头引用", "嵌入布局时由门户服务器插入的页头文件（服务器端包含 SSI），如“/include/header.shtml”。", default=None,
        pattern=SSI_PATH, pattern_hint="请写门户服务器上的路径，以 / 开头，如“/include/header.shtml”",
    )
    footer_include: str | None = yaml_field(
        "页脚引用", "嵌入布局时由门户服务器插入的页脚文件（SSI），如“/include/footer.shtml”。", default=None,
        pattern=SSI_PATH, pattern_hint="请写门户服务器上的路径，以 / 开头，如“/include/footer.shtml”",
    )


def theme_colours(colours: Colours | None) -> dict[str, str]:
    """Every colour the theme uses: the site's where it sets one, else the default."""
    chosen = {}
    for declared in fields(Colours):
        value = getattr(colours, declared.name) if colours is not None else None
        chosen[declared.name] = (value or getattr(DEFAULTS, declared.name)).lower()
    return chosen


def theme_css(colours: Colours | None) -> bytes | None:
    """The stylesheet that sets the site's colours over the default theme's, or None when it sets none."""
    if colours is None or all(getattr(colours, declared.name) is None for declared in fields(Colours)):
        return None
    chosen = theme_colours(colours)
    lines = [f"  {PROPERTIES[name]}: {value};" for name, value in chosen.items()]
    return ("/* 由 site.yml 的“门户.颜色”生成 */\n:root {\n" + "\n".join(lines) + "\n}\n").encode()


def contrast(foreground: str, background: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def colour_errors(portal: Portal | None, path: str) -> list[ContentError]:
    """A Chinese error for each pair of the site's colours below WCAG AA, naming the colour set."""
    if portal is None or portal.colours is None:
        return []
    chosen = theme_colours(portal.colours) | {"page": PAGE}
    errors = []
    for foreground, background, where in PAIRS:
        ratio = contrast(chosen[foreground], chosen[background])
        if ratio < AA_TEXT:
            named = foreground if getattr(portal.colours, foreground) is not None or background == "page" else background
            key = yaml_key(Colours, named if named != "page" else foreground)
            errors.append(
                ContentError(
                    path,
                    f"{where}的对比度只有 {ratio:.2f}:1（{chosen[foreground]} 与 {chosen[background]}），低于 WCAG AA 要求的 {AA_TEXT}:1",
                    field=f"门户.颜色.{key}",
                    hint="请把两种颜色调得深浅差别更大，例如深色文字配浅色背景",
                    code="colour-contrast",
                )
            )
    return errors
