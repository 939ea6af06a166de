"""Stage 1.5, tables: an officer's Word, Excel or CSV catalogue → one uniform grid per table.

Input: one file, .docx, .doc (converted with LibreOffice when it is installed), .xlsx, .xls or
.csv, chosen by its magic bytes and its extension together (`read.read_document`).
Output: `grid.Document`: the file's body in order, text paragraphs (`grid.Paragraph`) and tables
(`grid.Grid`), each table a rectangle of `grid.Cell` with its text as the office program shows
it, its 1-based row and column, the top-left cell of the merged region that covers it, and its
position in the words the office program uses (`表1 第5行第3列`, `Sheet1!C5`, `第5行第3列`);
with notes on what the reading had to decide (nested tables flattened, formulas, unknown
symbols). A cell's text is as written; Word's check-box symbols (Wingdings) become ☑, ☐ or √, and
`grid.check_marks` reads any other box or tick character the same way for those who need it. Every refusal is a `grid.TableError` with a Chinese message naming the file.

Must not know: which column is which (headers, 序号, 一级事项), the content model's fields, YAML,
pages, URLs, the output folder.
"""
