"""Stage 2, site: the model → the page graph.

Input: the loaded agencies (`content.load.Content`) or, for the agencies a build does not load,
their summaries. Output: `graph.SiteGraph`, every page this build renders with its kind, URL and
outputs, the pages that list other pages made from every agency's summary (`summaries`). The page
kinds, their URLs, labels, outputs, search and sitemap rules are declared once, in `kinds`.

Must not know: how pages are rendered or written, the manifest, what the previous build did.
"""
