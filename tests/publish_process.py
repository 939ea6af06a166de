"""`gkml publish` as a separate process, killed with SIGKILL while it fills a release: what a
power cut or an operator's `kill -9` does. Shared by test_publish and test_publish_nginx."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from gkml_ssg.publish.releases import RELEASES


@dataclass(frozen=True)
class KilledPublish:
    saw_partial: bool  # the release was being filled when the kill was decided
    exited_first: bool  # the publish finished before the kill came


def publish_and_kill(dest: Path, out: Path, delay: float, timeout: float = 30.0) -> KilledPublish:
    """Start `gkml publish DEST --out OUT --no-build`, wait until its partial release appears
    (or it exits), wait `delay` seconds more and kill it with SIGKILL. The kill may come at any
    step: filling the release, syncing, naming it, switching `current`, pruning."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gkml_ssg", "publish", str(dest), "--out", str(out), "--no-build"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    releases = dest / RELEASES
    before = set(os.listdir(releases)) if releases.is_dir() else set()
    deadline = time.monotonic() + timeout
    saw_partial = False
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if releases.is_dir() and any(n.endswith(".partial") for n in set(os.listdir(releases)) - before):
                saw_partial = True
                break
            time.sleep(0.0005)
        time.sleep(delay)
        exited_first = process.poll() is not None
        if not exited_first:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout)
        if exited_first and process.returncode != 0:
            raise AssertionError(f"gkml publish failed before the kill: {process.stderr.read().decode()}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    return KilledPublish(saw_partial, exited_first)
