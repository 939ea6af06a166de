"""Progress on a terminal for long builds; silent when output is not a terminal or in CI."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Never, Protocol

if TYPE_CHECKING:  # imported when a bar starts: the build stages never import it
    from tqdm import tqdm


class Progress(Protocol):
    def start(self, stage: str, total: int) -> None: ...
    def advance(self, amount: int) -> None: ...
    def close(self) -> None: ...


class TerminalProgress:
    """A tqdm bar per stage, shown only once a stage has run for two seconds."""

    def __init__(self) -> None:
        self._bar: tqdm[Never] | None = None

    def start(self, stage: str, total: int) -> None:
        from tqdm import tqdm  # the CLI's dependency; the build stages never import it

        self.close()
        self._bar = tqdm(total=total, desc=stage, unit="页", delay=2, leave=False, file=sys.stderr, dynamic_ncols=True)

    def advance(self, amount: int) -> None:
        if self._bar is not None:
            self._bar.update(amount)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class NoProgress:
    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, amount: int) -> None:
        pass

    def close(self) -> None:
        pass


def terminal_progress() -> Progress:
    if os.environ.get("CI") or not sys.stderr.isatty():
        return NoProgress()
    return TerminalProgress()
