"""gkml check: every error the build would find, and warnings, without writing anything.

Input: a content folder. Output: diagnostics (file, line, column, field, code, severity, message,
hint) as text or JSON. Uses the content and site stages' own validation; `lint` adds the warnings.

Must not know: the output folder, the manifest, rendering.
"""
