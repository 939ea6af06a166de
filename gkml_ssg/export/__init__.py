"""Stage 1.7, export: an agency written back out as the officers' table, in Excel or Word.

Input: one `Agency` of the content model, and the form to write (`"xlsx"` or `"docx"`).
Output: the bytes of one .xlsx or .docx file laid out as the catalogue form officers keep
(`office.export_agency`): title, 单位, declared counts and overview above the main table, 注 and the
sign-off below it, the on-request and negative lists after it, and a 说明 table with the facts the
form has no place for. The headers are the form's words (`gkml_ssg.form.columns`) and ticked
channels are written as `gkml_ssg.form.channels` reads them, so that the importer reads every file
back to the same agency. The same agency always gives the same bytes.

Must not know: files on disk, YAML, pages, the importer.
"""
