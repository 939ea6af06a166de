"""Run `gkml build …` and kill it with SIGKILL (as a power cut, the OOM killer or `kill -9` would)
at a chosen point, for tests/test_fault_injection.py.

    GKML_KILL=replace:N  python3 tests/kill_build.py --source … --out …   # at the N-th file swapped in
    GKML_KILL=write:N    …                                               # at the N-th temporary written
    GKML_KILL=record:N   …                                               # at the N-th manifest record
    GKML_KILL=count      …   # no kill: print how many of each happened, as JSON, on the last line

The hooks wrap the standard library's functions and the manifest's method in this process only.
"""

from __future__ import annotations

import builtins
import collections
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gkml_ssg.build.manifest import Manifest
from gkml_ssg.build.write import STAGING_NAME

SPEC = os.environ.get("GKML_KILL", "count")
POINT, _, NUMBER = SPEC.partition(":")
counts: collections.Counter[str] = collections.Counter()


def reached(point: str) -> None:
    counts[point] += 1
    if point == POINT and counts[point] == int(NUMBER):
        os.kill(os.getpid(), signal.SIGKILL)


real_replace, real_open, real_record = os.replace, builtins.open, Manifest.record


def replace(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
    reached("replace")
    real_replace(source, target, *args, **kwargs)


def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
    if "w" in mode and STAGING_NAME in str(file):
        reached("write")
    return real_open(file, mode, *args, **kwargs)


def record(self: Manifest, *args: Any, **kwargs: Any) -> Manifest:
    reached("record")
    return real_record(self, *args, **kwargs)


os.replace = replace
builtins.open = open_
Manifest.record = record  # type: ignore[method-assign]

from gkml_ssg.cli.main import main  # noqa: E402

try:
    main(["build", "--no-cache", *sys.argv[1:]], standalone_mode=False)
finally:
    if POINT == "count":
        print(json.dumps(counts))
