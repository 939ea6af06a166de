"""The default theme and the editor schemas ship inside the package.

They stay at the repository's top level (`templates/`, `static/`, `schema/`, `references/`, where this
repository's own site and its contributors use them) and are mapped into the wheel and sdist as
`gkml_ssg/theme/templates`, `gkml_ssg/theme/static`, `gkml_ssg/theme/schema` and
`gkml_ssg/theme/references` (the shipped reference catalogues), where
`gkml_ssg.theme` finds them in an installed gkml. Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

THEME = {
    "gkml_ssg.theme.templates": "templates",
    "gkml_ssg.theme.static": "static",
    "gkml_ssg.theme.schema": "schema",
    "gkml_ssg.theme.references": "references",
}

setup(packages=[*find_packages(include=["gkml_ssg", "gkml_ssg.*"]), *THEME], package_dir=THEME)
