"""The git history of the content folder: when each file last changed, and the commits behind it.

Read with one `git log` over the content folder. Outside a git checkout (or without git) the
history is empty and the pages show no dates: a build never falls back to the clock, so the same
sources give the same bytes."""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from gkml_ssg.content.characters import replace_forbidden

# With -z, git ends every path with NUL and writes them as they are (no quoting); a commit's
# fields are NUL-separated too, and it starts with an empty field. Git's commands write no NUL
# into a subject, name or path (one written by other means only mis-splits that commit, never
# fails), while any other character may occur: the unit and record separators an earlier format
# split on could be typed into a subject, and broke the build.
_FORMAT = "--format=%x00%H%x00%aI%x00%an%x00%s"


@dataclass(frozen=True)
class Commit:
    id: str  # the full hash
    date: str  # author date with its offset, ISO 8601: when the change was made, not when it landed
    author: str
    subject: str
    paths: tuple[str, ...]  # the content files it touched, relative to the content folder

    @property
    def day(self) -> str:
        """The date in the author's own time zone (YYYY-MM-DD)."""
        return self.date[:10]

    @property
    def minute(self) -> str:
        """The date and time in the author's own time zone (YYYY-MM-DD HH:MM)."""
        return f"{self.date[:10]} {self.date[11:16]}"

    @property
    def short_id(self) -> str:
        return self.id[:10]


@dataclass(frozen=True)
class SourceHistory:
    head: str = ""  # the commit checked out; "" outside git
    commits: tuple[Commit, ...] = ()  # every commit that touched the content folder, newest first
    _by_path: dict[str, tuple[Commit, ...]] = field(default_factory=dict, repr=False, compare=False)

    def of(self, path: str) -> tuple[Commit, ...]:
        """The commits that touched one content file, newest first."""
        return self._by_path.get(path, ())

    def key(self, path: str) -> str:
        """What an agency's pages show of its file's history, hashed ("" when it has none)."""
        commits = self.of(path)
        if not commits:
            return ""
        text = "\n".join(f"{c.id}|{c.date}|{c.subject}" for c in commits)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def recent(self, limit: int) -> tuple[Commit, ...]:
        return self.commits[:limit]


# The history of a content folder outside git (shared: a SourceHistory is never changed).
NO_HISTORY = SourceHistory()


def git_head(source: Path) -> str:
    """The commit checked out in the repository holding `source`; "" outside git. Cheap: the
    build compares it with the previous build's before it reads any history."""
    found = _git(source, "rev-parse", "--verify", "--quiet", "HEAD")
    return found.strip() if found is not None else ""


def read_history(source: Path, head: str | None = None) -> SourceHistory:
    """Every commit up to `head` (default: HEAD) that touched a file under `source`."""
    head = git_head(source) if head is None else head
    if not head:
        return NO_HISTORY
    # --relative: paths relative to the content folder; --no-merges: a merge repeats its parents'
    # changes and names no file of its own.
    found = _git(source, "log", "-z", "--no-merges", "--relative", "--name-only", _FORMAT, head, "--", ".")
    if found is None:
        return NO_HISTORY
    return _parse(head, found)


def _parse(head: str, text: str) -> SourceHistory:
    """The commits of `git log -z` output: per commit an empty field, hash, date, author and
    subject, then its paths (the first after a line feed); an empty field starts the next."""
    commits = []
    fields = text.split("\0")
    at = 0
    while at + 5 <= len(fields) and fields[at] == "":
        commit_id, date, author, subject = fields[at + 1 : at + 5]
        at += 5
        names: list[str] = []
        while at < len(fields) and fields[at] != "":
            names.append(fields[at].removeprefix("\n") if not names else fields[at])
            at += 1
        # Commit messages and names are not content an officer can correct in a file (the commit
        # is history): characters no page may hold are replaced with U+FFFD, never refused.
        paths = tuple(sorted({replace_forbidden(name) for name in names if name}))
        commits.append(Commit(commit_id, date, replace_forbidden(author), replace_forbidden(subject), paths))
    by_path: dict[str, list[Commit]] = {}
    for commit in commits:
        for path in commit.paths:
            by_path.setdefault(path, []).append(commit)
    return SourceHistory(head, tuple(commits), {path: tuple(found) for path, found in by_path.items()})


def _git(source: Path, *arguments: str) -> str | None:
    """Git's output, or None when `source` is not in a git checkout or git is missing."""
    try:
        result = subprocess.run(
            ["git", "-C", str(source), *arguments],
            capture_output=True,
            check=False,
            # no pager, no prompt, and the same output whatever the user's locale
            env={**os.environ, "GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", errors="replace")

