"""Stage 1.7, numbering: `gkml index-numbers` gives each row without a 索引号 its number, in the
agency file itself (the rule is `content.index_numbers`).

Input: one agency file's text and the `Agency` decoded from it, and the year to number in.
Output: `assign.Numbered`: the text with a `索引号` line inserted before each unnumbered row's first
key and the agency's `索引号已编至` set, checked by decoding it again (the same agency, the new
numbers), or `CannotNumber` in Chinese.

Must not know: pages, the output folder, other agencies' files.
"""
