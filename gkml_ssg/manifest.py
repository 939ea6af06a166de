"""The build manifest: what the last build was made from, and which files each part of it wrote.

A site is built in units: one per agency (its page and its entries' pages), one per page that lists
other pages, one for the static files, one per search shard and one for their catalogue. A unit's
key is a hash of everything its files are made from; a build re-renders only units whose key
changed, writes only files whose bytes changed, and deletes files whose unit is gone. The manifest is written atomically
inside the output folder; while files are being swapped it lists only the units that are not being
touched, so a build that dies half way is repaired by the next one.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = ".gkml-manifest.json"
FORMAT = 2


@dataclass(frozen=True)
class UnitRecord:
    key: str
    outputs: dict[str, str]  # output path → SHA-256 of its bytes


@dataclass(frozen=True)
class Manifest:
    settings: str = ""  # hash of what every page depends on: code, templates, static, site.yml, options
    sources: dict[str, str] = field(default_factory=dict)  # content file → SHA-256
    units: dict[str, UnitRecord] = field(default_factory=dict)

    def changed(self, name: str, key: str) -> bool:
        """Whether unit `name` was not built from `key` last time (or not built at all)."""
        unit = self.units.get(name)
        return unit is None or unit.key != key

    @property
    def outputs(self) -> dict[str, str]:
        return {path: digest for unit in self.units.values() for path, digest in unit.outputs.items()}

    @classmethod
    def read(cls, out: Path) -> Manifest:
        """The manifest in `out`, or an empty one (a first build, or a file from another version)."""
        try:
            data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls()
            return cls(
                settings=str(data["settings"]),
                sources={str(k): str(v) for k, v in data["sources"].items()},
                units={
                    str(name): UnitRecord(str(unit["key"]), {str(p): str(d) for p, d in unit["outputs"].items()})
                    for name, unit in data["units"].items()
                },
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def write(self, out: Path) -> None:
        data = {
            "format": FORMAT,
            "settings": self.settings,
            "sources": dict(sorted(self.sources.items())),
            "units": {
                name: {"key": unit.key, "outputs": dict(sorted(unit.outputs.items()))}
                for name, unit in sorted(self.units.items())
            },
        }
        temporary = out / (MANIFEST_NAME + ".gkml-tmp")
        # compact: with `indent`, json uses its pure-Python encoder (0.5 s against 0.3 s at 2,500 agencies)
        temporary.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        os.replace(temporary, out / MANIFEST_NAME)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def combined_key(*parts: str) -> str:
    return digest("\0".join(parts).encode("utf-8"))


def folder_key(folder: Path, suffixes: tuple[str, ...] = ()) -> str:
    """A hash of the names and bytes of the files in `folder` (only those ending in `suffixes`)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and (not suffixes or p.suffix in suffixes))
    return combined_key(*(f"{p.relative_to(folder).as_posix()}={digest(p.read_bytes())}" for p in files))


def code_version() -> str:
    """A hash of gkml's own code: output and cached objects made by other code are not reused."""
    return folder_key(Path(__file__).parent, (".py",))
