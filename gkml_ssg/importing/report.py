"""What an import read and what it had to decide, in Chinese, for the officer."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    """`read`: what the file held (tables, rows, categories, items, attachments); `notes`: every
    cell that could not be placed or had to be judged, each naming its position and what was done;
    `missing`: model fields the table does not give and the officer must fill in."""

    source: str
    read: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    # Judgements about the whole table (a header taken for another word, a column left out, the
    # agency's name read from the title): the agency's 备注 records them, as a row's records its own.
    table_remarks: list[str] = field(default_factory=list)

    def note(self, where: str, what: str, done: str) -> None:
        self.notes.append(f"{where}：{what}；{done}")

    def judge_table(self, where: str, what: str, done: str) -> None:
        self.note(where, what, done)
        self.table_remarks.append(f"原表{where}{what}，{done}。")

    @property
    def lines(self) -> list[str]:
        lines = [f"导入 {self.source}"]
        lines += [f"  读取：{line}" for line in self.read]
        if self.notes:
            lines.append(f"需要核对的单元格（{len(self.notes)} 处，判断已写入该行的“备注”）：")
            lines += [f"  {line}" for line in self.notes]
        if self.missing:
            lines.append("表格中没有、需要补填的字段：")
            lines += [f"  {line}" for line in self.missing]
        lines += [f"错误：{line}" for line in self.errors]
        return lines

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
