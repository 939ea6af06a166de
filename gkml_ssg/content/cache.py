"""A cache of decoded content files, keyed by the SHA-256 of their bytes.

Parsing and checking a catalogue costs about 10 ms a file; reading it back from here costs a
fraction of that, so a build after an edit decodes only the files that changed. Entries are
pickles of the model's dataclasses, written by gkml itself into a folder of the user's (never into
the published site), under a name that includes a hash of gkml's code, so a new version never
reads an old version's objects. Only files that decoded without errors are cached.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from gkml_ssg.keys import code_version


class ContentCache:
    def __init__(self, folder: Path):
        self.folder = folder / f"content-{code_version()[:16]}"

    def get(self, file_digest: str):
        try:
            return pickle.loads((self.folder / f"{file_digest}.pickle").read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, file_digest: str, value) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f"{file_digest}.pickle.{os.getpid()}.tmp"
            temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, self.folder / f"{file_digest}.pickle")
        except OSError:
            pass  # a cache that cannot be written only costs time
