"""Stage 5, search: the searchable pages → Pagefind bundles.

Input: the agency nodes of the page graph (their searchable texts come from the model's field
declarations) and the search shards they belong to. Output: the bundle files of each shard as bytes
(`records.build_bundle`, made deterministic by `canonical`), and the text rules a query and a page
share (`text`). Pagefind runs as a service (`pagefind`).

Must not know: the output folder, the manifest, which shards are stale (the build decides that).
"""
