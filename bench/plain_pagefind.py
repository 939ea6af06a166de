"""Plain Pagefind, the benchmarks' point of comparison for gkml's search index: the extended
binary that the `pagefind[extended]` package ships (`pip install -e '.[bench]'`)."""

from __future__ import annotations

from pathlib import Path


def pagefind_executable() -> Path:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SystemExit("plain Pagefind is not installed: pip install -e '.[bench]'") from None
    return Path(get_executable())
