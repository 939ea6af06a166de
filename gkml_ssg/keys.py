"""The bottom of gkml: digests, and the names and keys of the units a site is built in.

Every other module may import this one; it imports nothing of gkml. A unit is a part of the site
whose files are made from one set of inputs (see `build.state`): one per agency, one per page that
lists other pages, one for the static files, and the search index's units. Its name says what it
is; its key is a hash of what its files are made from.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
from pathlib import Path

AGENCY_UNIT_PREFIX = "agency:"
LISTING_UNIT_PREFIX = "page:"
INDEX_UNIT_PREFIX = "index:"
STATIC_UNIT = "static"
DOWNLOADS_UNIT = "downloads"  # the site's downloads, gathered from every agency's, and their page
CATALOGUE_UNIT = INDEX_UNIT_PREFIX + "catalogue"  # the list of search shards
EDITS_UNIT = INDEX_UNIT_PREFIX + "edits"  # the edit bundle, present only between a build's two passes


def agency_unit(slug: str) -> str:
    """The unit of an agency's own pages (its page, history and entries)."""
    return AGENCY_UNIT_PREFIX + slug


def listing_unit(output: str) -> str:
    """The unit of one page that lists other pages, named by its output file."""
    return LISTING_UNIT_PREFIX + output


def index_unit(name: str) -> str:
    return INDEX_UNIT_PREFIX + name


def is_agency_unit(name: str) -> bool:
    return name.startswith(AGENCY_UNIT_PREFIX)


def is_listing_unit(name: str) -> bool:
    return name.startswith(LISTING_UNIT_PREFIX)


def is_index_unit(name: str) -> bool:
    return name.startswith(INDEX_UNIT_PREFIX)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def combined_key(*parts: str) -> str:
    return digest("\0".join(parts).encode("utf-8"))


def folder_key(folder: Path, suffixes: tuple[str, ...] = ()) -> str:
    """A hash of the names and bytes of the files in `folder` (only those ending in `suffixes`)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and (not suffixes or p.suffix in suffixes))
    return combined_key(*(f"{p.relative_to(folder).as_posix()}={digest(p.read_bytes())}" for p in files))


@functools.cache
def gkml_version() -> str:
    """The installed gkml's version (`gkml --version`), which every page and the manifest record."""
    try:
        return importlib.metadata.version("gkml")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


@functools.cache
def code_version() -> str:
    """A hash of gkml's own code: output and cached objects made by other code are not reused.
    Computed once per process: the code that runs is the code imported."""
    return folder_key(Path(__file__).parent, (".py",))
