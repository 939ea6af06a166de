"""The files of a new site folder, and the text of a new agency file.

Every text is made from the package alone (the model, the schemas, `files/`), never from the clock
or the machine, so `gkml new` writes the same bytes every time.
"""

from __future__ import annotations

import posixpath
from importlib import resources

from gkml_ssg.content.dump import dump_yaml
from gkml_ssg.content.load import SITE_CONFIG_NAME
from gkml_ssg.content.model import Agency, Region
from gkml_ssg.content.schema import schema_texts
from gkml_ssg.scaffold.example import EXAMPLE_NAME, EXAMPLE_REGION, example_agency, placeholder_agency
from gkml_ssg.scaffold.names import default_slug, place_folder
from gkml_ssg.scaffold.site_config import site_config_text

CONTENT = "content"
SCHEMA = "schema"
AGENCY_SCHEMA = f"{SCHEMA}/agency.schema.json"
# content/shili/shili/shili-yibao.yml: where `gkml new --agency` would put the example agency
EXAMPLE_FILE = "/".join(
    (CONTENT, place_folder(EXAMPLE_REGION.province), place_folder(EXAMPLE_REGION.city), f"{default_slug(EXAMPLE_NAME, EXAMPLE_REGION.county)}.yml")
)

# name in the package's files/ → path in the site folder
TEXT_FILES = {
    "README.md.txt": "README.md",
    "gitignore.txt": ".gitignore",
    "vscode-settings.json.txt": ".vscode/settings.json",
    "pre-commit-config.yaml.txt": ".pre-commit-config.yaml",
    "gitlab-ci.yml.txt": ".gitlab-ci.yml",
    "github-workflow.yml.txt": ".github/workflows/gkml.yml",
    "gitea-workflow.yml.txt": ".gitea/workflows/gkml.yml",
}

AGENCY_HEADER = (
    "由 gkml new 生成：目录中的事项是占位示例，请按本单位的政务公开目录改写",
    "（或用 gkml import 导入本单位的 Word/Excel 表格），改完后删除这两行说明。",
)


def agency_text(agency: Agency, schema: str | None, header: tuple[str, ...] = ()) -> str:
    """An agency file: the editor-schema comment (`schema`: the schema's path relative to the file's
    folder), the `header` lines as comments, then the agency."""
    comments = [*([f"yaml-language-server: $schema={schema}"] if schema else []), *header]
    return dump_yaml(agency, comments)


def new_agency(name: str, region: Region, schema: str | None) -> str:
    """What `gkml new --agency` writes: the agency with one placeholder item, marked as such."""
    return agency_text(placeholder_agency(name, region), schema, AGENCY_HEADER)


def new_site() -> dict[str, bytes]:
    """Every file of a new site folder: its path in the folder (with /) → its bytes."""
    schema = posixpath.relpath(AGENCY_SCHEMA, posixpath.dirname(EXAMPLE_FILE))
    files = {
        f"{CONTENT}/{SITE_CONFIG_NAME}": site_config_text(posixpath.relpath(f"{SCHEMA}/site.schema.json", CONTENT)).encode("utf-8"),
        EXAMPLE_FILE: agency_text(example_agency(), schema).encode("utf-8"),
        **{f"{SCHEMA}/{name}": text.encode("utf-8") for name, text in schema_texts().items()},
        **{path: _packaged(name) for name, path in TEXT_FILES.items()},
    }
    return dict(sorted(files.items()))


def _packaged(name: str) -> bytes:
    return resources.files(__package__).joinpath("files", name).read_bytes()
