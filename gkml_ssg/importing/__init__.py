"""Stage 1.7, importing: an officer's Word, Excel or CSV catalogue → one agency in the content
model, its YAML, and a report in Chinese.

Input: the grids and paragraphs `tables.read_document` gives, the form's words (`form`), and the
officer's options (region, name, slug, a column mapping file).
Output: `agency.Imported`: the agency (with a judgement the table made necessary written as a
`备注` on its row, never silently), its YAML text laid out like a hand-written file, and the
report: what was read, and every cell that could not be placed or had to be judged, named as the
office program names it (`表1 第5行第3列`, `Sheet1!C5`), with what was done.

Must not know: how files are parsed (that is `tables`), where the YAML is written, pages, URLs.
"""
