"""Stage 4, build: orchestrate the stages and write the site as one transaction.

Input: `options.BuildOptions`. Output: the site in the output folder and its manifest, and a
`orchestrator.BuildReport`. `state.BuildState` owns everything the build knows (the previous
build's record, which content to load, unit keys, summaries, the search index's plan);
`orchestrator` only runs the stages in order; `write` only writes (atomic, only what changed);
`manifest` records what was written.

Must not know: template contents, YAML syntax, HTTP.
"""
