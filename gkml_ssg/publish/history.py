"""Which releases were live, in order: what `--rollback` goes back to and what pruning keeps.

DEST/.gkml-history lists release ids, one a line, oldest first: the *live history*, a stack whose
top is the live release. A publish pushes its release; a rollback pops the live one off (it was
rolled back *from*: it is no longer in the history); a repair puts the repaired copy in the
damaged release's place. So:

- the **rollback target** is the release below the live one in the history: the release that was
  live before the live one was made live, not counting releases rolled back from. After publishing
  v1, v2, v3, rolling back to v2 and publishing v4, the history is v1, v2, v4, and a rollback from
  v4 goes to v2, the release that was live before, not to v3, which was rolled back from;
- pruning keeps the live release, its rollback target and, of the rest, the releases most recently
  live first (down the history), then those off it (rolled back from) newest first, `--keep` in
  all.

The file is written after `current` is switched (by a repair just before, see publish/repair.py),
and read back reconciled with `current`: a publish or rollback killed in between leaves a history
that reading repairs (a live release missing from it is pushed; one inside it cuts off what is
above it). Ids of releases that no longer exist are dropped. A publish folder without the file (made by an earlier gkml) starts from
the time order: every release up to the live one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

HISTORY_NAME = ".gkml-history"


def live_history(dest: Path, releases: list[str], live: str | None) -> list[str]:
    """The live history, oldest first, ending with `live` when there is a live release."""
    existing = set(releases)
    try:
        text = (dest / HISTORY_NAME).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        history = [release for release in releases if live is not None and release <= live]
    else:
        history = [line for line in text.splitlines() if line in existing]
    if live is not None:
        if live in history:
            del history[len(history) - history[::-1].index(live) :]
        else:
            history.append(live)
    return history


def rollback_target(history: list[str]) -> str | None:
    return history[-2] if len(history) >= 2 else None


def retention_order(history: list[str], releases: list[str]) -> list[str]:
    """Every release, the first to keep first: down the history, then the others newest first."""
    rest = sorted(set(releases) - set(history), reverse=True)
    return history[::-1] + rest


def write_history(dest: Path, history: list[str]) -> None:
    """Replace the history file atomically and durably."""
    temporary = dest / f"{HISTORY_NAME}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{release}\n" for release in history))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, dest / HISTORY_NAME)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
