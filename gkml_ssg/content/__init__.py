"""Stage 1, content: the officers' files → the typed model.

Input: a content folder (site.yml and one YAML file per agency), and its git history.
Output: `load.Content` (the `model` dataclasses, each row with the line and column it came from),
or `errors.ContentInvalid` carrying every error of the run with file, line, column, field and the
fix, in Chinese. Also: the model's field declarations (`fields`: YAML key, description, whether a
reader searches it), the JSON Schema made from them (`schema`), the decoded-file cache, the git
history of the files, the reading of legal citations, the characters no text may hold
(`characters`) and the form of the site's address, 网址 or `--base-url` (`addresses`).

Must not know: pages, URLs, templates, the output folder, the search index.
"""
