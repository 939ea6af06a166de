"""Stage 2.5, audit: the auditors' view of a site — each agency's catalogue against reference
catalogues (标准目录).

Input: the reference catalogues (`content.references`) and the agency nodes of the page graph.
Output: per reference catalogue, per item, the agencies that cover it (with their entries' pages
and the evidence of each match) and those that do not (`coverage`), as data for `gkml coverage`
(`report`: JSON, CSV rows, text) and for the pages that show it.
Must not know: the output folder, templates, how a command prints.
"""
