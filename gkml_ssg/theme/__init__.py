"""Stage 0, theme: where the default theme (templates, static files) and the editor schemas are.

Input: nothing but the installed package.
Output: `folder(name)`: the folder `templates`, `static`, `schema` or `references` (the shipped
reference catalogues) of the default theme. An
installed gkml (wheel or sdist) carries them inside this package (setup.py maps the repository's
top-level folders here); a checkout of gkml has them at its top level.
Must not know: sites, content, how templates are rendered.
"""

from __future__ import annotations

from pathlib import Path

PACKAGED = Path(__file__).resolve().parent
CHECKOUT = PACKAGED.parents[1]
NAMES = ("templates", "static", "schema", "references")


def folder(name: str) -> Path:
    """The default theme's folder `name` (one of NAMES)."""
    if name not in NAMES:
        raise ValueError(name)
    packaged = PACKAGED / name
    return packaged if packaged.is_dir() else CHECKOUT / name
