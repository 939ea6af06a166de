"""The 13 channels of the form, and how a channel cell names them.

A cell lists channels either as check boxes (`☑灵武市人民政府门户网站 ☐两微一端 …`; the tables
stage writes every kind of box as ☑ or ☐) or as plain words (`政府网站、两微一端`). A ticked
box's text names its channel by the form's label (`☑两微一端`), by the label with the specific
account in brackets (`☑其他（注明）：公示牌`, `☑政府网站（部门网站）`), or by the specific site or
account alone (`☑海原县人民政府门户网站`), which a keyword places; the specific text is kept as
the channel's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gkml_ssg.content.model import Channel, ChannelKind
from gkml_ssg.form.text import close_gaps

# Tried in this order: the more specific words first (a 政务服务中心公示栏 is a notice board).
_KEYWORDS: tuple[tuple[ChannelKind, tuple[str, ...]], ...] = (
    (ChannelKind.NOTICE_BOARD, ("公示栏", "公告栏", "宣传栏", "公开栏", "橱窗", "公示牌")),
    (ChannelKind.SERVICE_CENTER, ("政务服务中心", "政务大厅", "服务大厅", "办事大厅", "行政服务中心", "服务窗口")),
    (ChannelKind.SERVICE_STATION, ("便民服务", "服务站")),
    (ChannelKind.READING_ROOM, ("查阅点", "查阅室", "查阅场所", "档案馆", "图书馆")),
    (ChannelKind.SOCIAL_MEDIA, ("两微一端", "微信", "微博", "客户端", "公众号", "新媒体", "APP", "抖音")),
    (ChannelKind.GAZETTE, ("公报",)),
    (ChannelKind.PRESS_CONFERENCE, ("发布会", "听证会", "新闻发布")),
    (ChannelKind.BROADCAST, ("广播", "电视")),
    (ChannelKind.NEWSPAPER, ("报刊", "报纸", "杂志", "日报")),
    (ChannelKind.DOOR_TO_DOOR, ("入户", "现场")),
    (ChannelKind.TARGETED_PUSH, ("精准推送", "推送", "短信")),
    (ChannelKind.GOV_WEBSITE, ("网站", "门户网", "公众网", "公开平台", "网页", "官网")),
    (ChannelKind.OTHER, ("其他", "其它")),
)
_WIDTH = str.maketrans({"(": "（", ")": "）"})
# The form's own hint after 精准推送 and 其他: “(注明)”, “（请注明）”.
_HINT = re.compile(r"[（(]\s*(?:请)?注明\s*[）)]")
_SEPARATORS = re.compile(r"[、，,；;\n]+")


@dataclass(frozen=True)
class ChannelReading:
    """What a channel cell says: the ticked channels in its order, and the texts it could only
    judge (`unmatched`: placed under 其他) or could not read as channels at all (`unreadable`)."""

    channels: tuple[Channel, ...]
    unmatched: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()


def read_channels(text: str) -> ChannelReading:
    """The channels a cell ticks (or, without boxes, lists)."""
    text = close_gaps(text)
    if not text:
        return ChannelReading(())
    if "☑" in text or "☐" in text:
        return _boxes(text)
    parts = [part for part in _SEPARATORS.split(text) if part.strip()]
    if len(parts) > 1 and all(channel_of(part) is not None for part in parts):
        return _collect(parts)
    return _collect([text])


def _boxes(text: str) -> ChannelReading:
    head, *segments = re.split(r"(?=[☑☐])", text)
    ticked = [segment[1:] for segment in segments if segment.startswith("☑")]
    reading = _collect([close_gaps(part) for part in ticked if close_gaps(part)])
    stray = close_gaps(head)
    return ChannelReading(reading.channels, reading.unmatched, reading.unreadable + ((stray,) if stray else ()))


def _collect(parts: list[str]) -> ChannelReading:
    channels: list[Channel] = []
    unmatched: list[str] = []
    for part in parts:
        channel = channel_of(part)
        if channel is None:
            unmatched.append(part)
            channel = Channel(ChannelKind.OTHER, part)
        channels.append(channel)
    return ChannelReading(tuple(channels), tuple(unmatched))


def channel_of(text: str) -> Channel | None:
    """The channel one ticked text names, its specific wording kept as the name; None when it
    names none of the 13."""
    text = close_gaps(_HINT.sub("", text)).strip("：: ")
    if not text:
        return None
    wide = text.translate(_WIDTH)
    for kind in ChannelKind:
        label = kind.value
        if wide == label:
            return Channel(kind)
        if wide.startswith(label) and wide[len(label)] in "（：:":
            rest = text[len(label) :].strip()
            name = rest[1:-1] if rest[0] in "（(" and rest[-1] in "）)" else rest.lstrip("：:")
            name = close_gaps(name)
            return Channel(kind, name or None)
    for kind, words in _KEYWORDS:
        if any(word in wide for word in words):
            return Channel(kind, text)
    return None


def channel_text(channel: Channel) -> str:
    """How the exporter writes a ticked channel so that `channel_of` reads it back the same."""
    if channel.name is None:
        return channel.kind.value
    if channel_of(channel.name) == Channel(channel.kind, channel.name):
        return channel.name
    return f"{channel.kind.value}（{channel.name}）"
