"""Stage 4, write: put the rendered files into the output folder as one transaction.

Phase 1 writes every changed file to a temporary name beside its target; if anything fails there,
the temporaries are removed and the published folder is untouched. Phase 2 swaps them in with
`os.replace` (atomic per file). Files whose bytes did not change are not touched at all, and files
an earlier build wrote that this build no longer produces are deleted. A manifest of what gkml
wrote (path → SHA-256) makes that possible without ever cleaning the folder first, and leaves
files gkml did not write alone.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST_NAME = ".gkml-manifest.json"
_TEMP_SUFFIX = ".gkml-tmp"


class OutputRefused(Exception):
    """The output folder or an output path is unsafe; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    deleted: int


def check_output_folder(out: Path, protected: list[Path]) -> None:
    """Refuse an output folder that is `/`, the home folder, or overlaps a protected folder."""
    target = out.resolve()
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise OutputRefused(f"拒绝把网站写入 {target}：输出目录不能是根目录或主目录")
    for folder in protected:
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target) or target.is_relative_to(folder):
            raise OutputRefused(
                f"拒绝把网站写入 {target}：它与 {folder} 重叠（输出目录不能是内容目录、包含它或位于其中）"
            )
    if target.exists() and not target.is_dir():
        raise OutputRefused(f"拒绝把网站写入 {target}：它已存在且不是目录")


def output_path(out: Path, relative: str) -> Path:
    """The file for `relative` inside `out`; anything that could land outside is refused."""
    pure = PurePosixPath(relative)
    if (
        not relative
        or "\\" in relative
        or "\0" in relative
        or pure.is_absolute()
        or any(part in ("", ".", "..") for part in relative.split("/"))
    ):
        raise OutputRefused(f"拒绝写入不安全的输出路径“{relative}”")
    target = out.joinpath(*pure.parts)
    if not target.resolve().is_relative_to(out.resolve()):
        raise OutputRefused(f"拒绝写入输出目录之外的路径“{relative}”")
    return target


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(out: Path) -> dict[str, str]:
    try:
        manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = manifest.get("files") if isinstance(manifest, dict) else None
    return files if isinstance(files, dict) else {}


def write_site(out: Path, files: dict[str, bytes]) -> WriteReport:
    out.mkdir(parents=True, exist_ok=True)
    previous = read_manifest(out)
    digests = {path: _digest(data) for path, data in files.items()}
    targets = {path: output_path(out, path) for path in files}
    changed = [
        path
        for path in sorted(files)
        if previous.get(path) != digests[path]
        or not targets[path].is_file()
        or targets[path].stat().st_size != len(files[path])
    ]

    temporaries: list[tuple[Path, Path]] = []
    try:
        for path in changed:
            target = targets[path]
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + _TEMP_SUFFIX)
            temporary.write_bytes(files[path])
            temporaries.append((temporary, target))
    except BaseException:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in temporaries:
        os.replace(temporary, target)

    stale = sorted(set(previous) - set(files))
    for path in stale:
        try:
            target = output_path(out, path)
        except OutputRefused:
            continue  # a tampered manifest must not delete anything outside the folder
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, out)

    manifest = json.dumps({"files": dict(sorted(digests.items()))}, ensure_ascii=False, indent=0, sort_keys=True)
    if previous != digests or not (out / MANIFEST_NAME).is_file():
        temporary = out / (MANIFEST_NAME + _TEMP_SUFFIX)
        temporary.write_text(manifest + "\n", encoding="utf-8")
        os.replace(temporary, out / MANIFEST_NAME)
    return WriteReport(written=len(changed), unchanged=len(files) - len(changed), deleted=len(stale))


def _remove_empty_parents(folder: Path, out: Path) -> None:
    out = out.resolve()
    while folder.resolve() != out and folder.resolve().is_relative_to(out):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
