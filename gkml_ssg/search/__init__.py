"""Stage 5, search: the searchable pages → search index bundles.

Input: the agency nodes of the page graph (their searchable texts come from the model's field
declarations, `records`) and the search shards they belong to (`shards`). Output: the files of each
shard's bundle as bytes (`bundle`, in the binary layout of `encoding`), the catalogue that lists
them, and the text rules a query and a page share (`text`).

Must not know: the output folder, the manifest, which shards are stale (the build decides that).
"""
