"""A synchronous client for Pagefind's indexing service (`pagefind_extended --service`).

Pagefind's own Python wrapper (the `pagefind` package) speaks the same protocol but waits a fixed
100 ms before reading each response, which caps it at ten records a second: 25 minutes for a
14,000-page site. This client writes each request and reads its reply at once. The protocol: every
message is base64-encoded JSON followed by a comma, in both directions; requests carry a message id
that the reply repeats.
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import threading
from pathlib import Path
from typing import Any, cast


class PagefindError(RuntimeError):
    pass


def pagefind_executable() -> Path:
    """The extended Pagefind binary that the `pagefind[extended]` dependency ships."""
    from pagefind_bin_extended import (
        get_executable,  # the registry package carries the binary
    )

    return Path(get_executable())


class PagefindService:
    """One running Pagefind service process, used as a context manager."""

    def __init__(self, executable: Path | None = None):
        self._executable = executable or pagefind_executable()
        self._process: subprocess.Popen[bytes] | None = None
        self._message_id = 0
        self._pending = b""
        self._warming: threading.Thread | None = None
        self._warming_failed: list[BaseException] = []

    def __enter__(self) -> PagefindService:
        self._process = subprocess.Popen(
            [str(self._executable), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._process is not None and self._process.stdin is not None and self._process.stdout is not None
        if self._warming is not None:
            self._warming.join()
        self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        finally:
            self._process.stdout.close()

    def warm_up(self, config: dict[str, Any], language: str, record) -> None:
        """Index `record` into a throwaway index on a thread of its own, now. Pagefind loads its
        language data (0.2–0.3 s for Chinese) when it indexes a first record, so this takes that
        wait off the next index while the caller does other work. Requests wait for it to end."""

        def run() -> None:
            try:
                index = self._pipeline([{"type": "NewIndex", "config": config}])[0]["index_id"]
                self._add_records(index, language, [record])
            except BaseException as error:  # noqa: BLE001 -- reported by the next request
                self._warming_failed.append(error)

        self._warming = threading.Thread(target=run, daemon=True)
        self._warming.start()

    def request(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self.pipeline([payload])[0]

    def pipeline(self, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send every request, then read every reply: no round trip per record."""
        if self._warming is not None:
            self._warming.join()
            self._warming = None
            if self._warming_failed:
                raise PagefindError(f"Pagefind failed while warming up: {self._warming_failed[0]}")
        return self._pipeline(payloads)

    def _pipeline(self, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A thread writes while this one reads, so neither pipe can fill up and block the other."""
        assert self._process is not None and self._process.stdin and self._process.stdout
        first = self._message_id + 1
        self._message_id += len(payloads)
        failure: list[BaseException] = []
        stdin = self._process.stdin

        def write() -> None:
            try:
                for number, payload in enumerate(payloads, start=first):
                    message = json.dumps({"message_id": number, "payload": payload}, ensure_ascii=False)
                    stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
                stdin.flush()
            except BaseException as error:  # noqa: BLE001 -- reported by the reading side
                failure.append(error)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        answers = []
        for number in range(first, first + len(payloads)):
            raw = self._read_message()
            try:
                reply = json.loads(base64.b64decode(raw))
            except ValueError:
                raise PagefindError(f"unreadable reply from Pagefind: {raw[:200]!r}") from None
            if reply.get("message_id") not in (None, number):
                raise PagefindError(f"Pagefind answered message {reply.get('message_id')}, expected {number}")
            answer = reply["payload"]
            if answer.get("type") == "Error":
                raise PagefindError(answer.get("message", "Pagefind error"))
            answers.append(answer)
        writer.join()
        if failure:
            raise PagefindError(f"could not write to Pagefind: {failure[0]}")
        return answers

    def _read_message(self) -> bytes:
        assert self._process is not None and self._process.stdout is not None
        stream = cast(io.BufferedReader, self._process.stdout)  # Popen's pipes are buffered (bufsize -1)
        while b"," not in self._pending:
            chunk = stream.read1(65536)
            if not chunk:
                raise PagefindError("Pagefind service stopped unexpectedly")
            self._pending += chunk
        message, _, self._pending = self._pending.partition(b",")
        return message

    def new_index(self, config: dict[str, Any]) -> int:
        return self.request({"type": "NewIndex", "config": config})["index_id"]

    def add_records(self, index_id: int, language: str, records) -> None:
        """Add records with `url`, `content`, `meta` and `filters` attributes."""
        self.pipeline([])
        self._add_records(index_id, language, records)

    def _add_records(self, index_id: int, language: str, records) -> None:
        self._pipeline(
            [
                {
                    "type": "AddRecord",
                    "index_id": index_id,
                    "url": record.url,
                    "content": record.content,
                    "language": language,
                    "meta": record.meta,
                    "filters": record.filters,
                    "sort": None,
                }
                for record in records
            ]
        )

    def get_files(self, index_id: int) -> dict[str, bytes]:
        """The bundle's files, in memory. (Pagefind's WriteFiles answers before its background
        writes have finished, so files read right after it can still be empty.)"""
        answer = self.request({"type": "GetFiles", "index_id": index_id})
        return {file["path"]: base64.b64decode(file["content"]) for file in answer["files"]}
