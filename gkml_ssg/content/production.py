"""What a build for publishing (`--production`) requires of the site configuration: the footer
every government website must carry (主办单位, 网站标识码, ICP备案号, 公安备案号, 联系方式)."""

from __future__ import annotations

from pathlib import Path

from gkml_ssg.content.errors import ContentError, ContentInvalid
from gkml_ssg.content.fields import yaml_fields
from gkml_ssg.content.load import SITE_CONFIG_NAME, load_site_config
from gkml_ssg.content.model import SiteConfig

# attribute → how to find the value when it is missing
REQUIRED_FOOTER = {
    "sponsor": "填写网站的主办单位全称，如“惠农区医疗保障局”",
    "site_code": "填写政府网站标识码（10 位，见全国政府网站基本信息数据库），如“6402050001”",
    "icp": "填写工信部 ICP 备案号，如“宁ICP备12345678号-1”",
    "police_record": "填写公安机关互联网备案号，如“宁公网安备 64020502000123号”",
    "contact": "填写公众联系方式，如电话或电子邮箱",
}


def production_errors(config: SiteConfig) -> list[ContentError]:
    """The required footer fields that are missing or blank, as errors naming their key."""
    errors = []
    for field, info in yaml_fields(SiteConfig):
        hint = REQUIRED_FOOTER.get(field.name)
        if hint is not None and not (getattr(config, field.name) or "").strip():
            errors.append(
                ContentError(
                    SITE_CONFIG_NAME,
                    "正式发布（--production）时页脚必须填写此项",
                    field=info.key,
                    hint=hint,
                    code="production-field-missing",
                )
            )
    return errors


def require_publishable(source: Path) -> None:
    """Raise ContentInvalid when the site configuration lacks a field a published site needs."""
    errors = production_errors(load_site_config(source))
    if errors:
        raise ContentInvalid(errors)
