"""Stage 1.6, form: the officers' table form of a catalogue, as words.

Input: nothing but the content model's vocabulary.
Output: the columns of the national catalogue form and the words officers head them with
(`columns`), the 13 channels and the words a cell names them by (`channels`), legal-basis cells
split into one citation each (`citations`), and the gaps Word or PDF put inside Chinese text
(`text`). The importer reads tables with these words and the exporter writes tables with them, so
the two always agree.

Must not know: files (Word, Excel, CSV), grids and cell positions, YAML, pages.
"""
