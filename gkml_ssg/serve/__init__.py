"""gkml serve: the preview server that rebuilds on every save and reloads the open page.

Input: the content, templates and static folders. Output: HTTP on the loopback interface, serving
only files inside the built preview site, and an error page in Chinese while content is invalid.
It runs the ordinary incremental build (`build.orchestrator.build`).

Must not know: how pages are rendered or indexed.
"""
