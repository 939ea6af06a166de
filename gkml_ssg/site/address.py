"""Where a site is published: its origin (scheme and host) and the base path its pages are under."""

from __future__ import annotations

from urllib.parse import urlsplit

from gkml_ssg.content.addresses import check_site_address
from gkml_ssg.content.load import SITE_CONFIG_NAME
from gkml_ssg.content.model import SiteConfig


def normalise_base_path(value: str) -> str:
    path = urlsplit(value).path if "://" in value else value
    path = "/" + path.strip("/") + "/"
    return "/" if path == "//" else path


def site_address(config: SiteConfig, base_url: str | None) -> tuple[str, str]:
    """The site's origin and base path: the configured 网址, or `base_url` (a path or a full URL).
    Raises ContentInvalid, in Chinese, when either is not an address a browser reads as written
    (a backslash, user information, an encoded separator, …: see `content.addresses`)."""
    check_site_address(config.base_url, base_url, SITE_CONFIG_NAME)
    configured = urlsplit(config.base_url)
    origin = f"{configured.scheme}://{configured.netloc}"
    if base_url and "://" in base_url:
        override = urlsplit(base_url)
        origin = f"{override.scheme}://{override.netloc}"
    return origin, normalise_base_path(base_url or configured.path or "/")
