"""Stage 5, scaffold: the files of a new site (`gkml new DIR`) and of a new agency (`gkml new --agency`).

Input: the content model (`content/model.py`: the fields of site.yml and of an agency, with their
Chinese docs), the YAML writer (`content/dump.py`), the editor schemas (`content/schema.py`), the
texts kept as plain files in `scaffold/files/`, and an agency's name and region.
Output: `site.new_site()`: every file of a new site folder, as relative path → bytes (the same bytes
every time); `site.new_agency()`: the text of an agency file that passes `gkml check`, with the
editor-schema comment on top; `names`: folder names and slugs in pinyin, from region and agency names.
Must not know: how files are written or refused (the command does that), the page graph, templates,
the build.
"""
