"""gkml publish, verify [--repair] and --archive: a finished build → releases on a web host.

Input: an output folder whose last build finished (`build.manifest.build_finished`). Output: release
folders with SHA256SUMS, each its own copy of the site, switched live by an atomic symlink; the
live history that rollbacks and pruning follow; a verification of a live release, and its repair
from the output folder; a reproducible archive.

Must not know: the content, the page graph, templates.
"""
