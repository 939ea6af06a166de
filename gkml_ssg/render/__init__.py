"""Stage 3, render: a page of the graph → its files.

Input: a `site.graph.SiteGraph`, a page, the templates and the static files' versions. Output:
bytes for each output the page's kind declares, escaped for that output's format (`formats`).
Each page is a pure function of the graph and the page; `parallel` renders units on several cores.

Must not know: the output folder, the manifest, which pages changed, the search index.
"""
