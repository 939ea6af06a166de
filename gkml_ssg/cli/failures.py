"""How a command reports what it expects to fail: one Chinese message per problem on stderr, then
exit status 1, never a traceback. Each command names its failure (`构建失败`, `发布失败`, `无法校验`…);
the message is the refusal's own, or the system error worded with the file it concerns."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import click

from gkml_ssg.build.write import OutputRefused
from gkml_ssg.content.errors import ContentInvalid
from gkml_ssg.publish.failures import os_failure
from gkml_ssg.publish.files import SiteRefused
from gkml_ssg.publish.releases import PublishRefused

# Exceptions whose message is already the sentence for the user.
REFUSALS = (OutputRefused, SiteRefused, PublishRefused)


@contextlib.contextmanager
def reported(failure: str, path: Path | None = None, unchanged: Path | None = None) -> Iterator[None]:
    """Run the block; what it expects to fail ends in `fail`."""
    try:
        yield
    except (ContentInvalid, *REFUSALS, OSError) as error:
        fail(failure, error, path, unchanged)


def fail(failure: str, error: Exception, path: Path | None = None, unchanged: Path | None = None) -> NoReturn:
    """Invalid content: every error, then `{failure}：发现 N 处错误，{unchanged} 未改动。`; a refusal:
    `{failure}：{message}`; an OSError: `{failure}：` and the error worded with its file (`path`
    when it names none). Then exit with status 1."""
    if isinstance(error, ContentInvalid):
        for problem in error.errors:
            click.echo(problem.format(), err=True)
        untouched = f"，{unchanged} 未改动" if unchanged is not None else ""
        click.echo(f"{failure}：发现 {len(error.errors)} 处错误{untouched}。", err=True)
    elif isinstance(error, OSError) and not isinstance(error, REFUSALS):
        click.echo(f"{failure}：{os_failure(error, path)}", err=True)
    else:
        click.echo(f"{failure}：{error}", err=True)
    sys.exit(1)
