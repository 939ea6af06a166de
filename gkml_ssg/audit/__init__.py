"""Stage 1.9, audit: the auditors' view of a site — each agency's catalogue against reference
catalogues (标准目录), and the deadlines its items give.

Input: the reference catalogues (`content.references`) and each agency as the auditors see it
(`lines.Audited`: its name, address and catalogue items), which the page graph makes from an
agency's node or keeps in its summary.
Output: per reference catalogue, per item, the agencies that cover it (with their items' pages and
the evidence of each match) and those that do not (`coverage`); each distinct deadline wording
normalised where it can be (`deadlines`); the coverage as `gkml coverage` prints it (`report`).
Must not know: the page graph, the output folder, templates, how a command prints.
"""
