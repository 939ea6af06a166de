"""gkml publish, verify and --archive: a finished build → releases on a web host.

Input: an output folder whose last build finished (`build.state.build_finished`). Output: an
immutable release folder with SHA256SUMS switched live by an atomic symlink, a verification of a
live release, or a reproducible archive.

Must not know: the content, the page graph, templates.
"""
