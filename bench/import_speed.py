"""How long `gkml import` takes for a real-sized table (40 rows) and a large one (2,000 rows).

    python bench/import_speed.py [--repeats N]

The 40-row table is a seed (haiyuan-yibao: 37 items) written by `gkml export`; the 2,000-row
table joins the catalogues of synthetic agencies (bench/make_corpus.py) into one agency of
2,000 items. Each is written as .xlsx and .docx (by the exporter), as .xls (xlwt, with the same
merges) and as .csv (every merged value repeated, as a CSV has no merges). Prints, per table and
form, the median and the spread of N in-process imports (`import_file`, the whole import: reading,
placing, building, YAML and its check), and one run of the command as an officer starts it
(`gkml import … --dry-run`, Python's start-up and imports included).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import make_corpus
import openpyxl

from gkml_ssg.content.load import decode_agency
from gkml_ssg.content.model import Agency
from gkml_ssg.export.office import export_agency
from gkml_ssg.importing.agency import ImportOptions, import_file

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "content" / "ningxia" / "zhongwei" / "haiyuan-yibao.yml"


def load(path: Path) -> Agency:
    agency, errors = decode_agency(path.name, path.read_bytes())
    assert agency is not None, errors
    return agency


def large_agency(items: int, folder: Path) -> Agency:
    """Synthetic agencies' categories joined until `items` items, in corpus order."""
    count = 1
    while True:
        make_corpus.write_corpus(count, folder / str(count))
        agencies = [load(path) for path in sorted((folder / str(count)).rglob("*.yml")) if path.name != "site.yml"]
        categories = []
        total = 0
        for agency in agencies:
            for category in agency.catalogue:
                if total >= items:
                    break
                taken = category.items[: items - total]
                categories.append(dataclasses.replace(category, items=taken))
                total += len(taken)
        if total >= items:
            return dataclasses.replace(agencies[0], catalogue=tuple(categories), on_request=None, negative=None)
        count *= 2


def write_forms(agency: Agency, stem: str, folder: Path) -> dict[str, Path]:
    paths = {}
    for form in ("xlsx", "docx"):
        paths[form] = folder / f"{stem}.{form}"
        paths[form].write_bytes(export_agency(agency, form))
    sheet = openpyxl.load_workbook(paths["xlsx"])["目录"]
    rows = [[("" if cell.value is None else str(cell.value)) for cell in row] for row in sheet.iter_rows()]
    merges = [(r.min_row, r.max_row, r.min_col, r.max_col) for r in sheet.merged_cells.ranges]
    filled = [list(row) for row in rows]
    for top, bottom, left, right in merges:
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                filled[row - 1][column - 1] = rows[top - 1][left - 1]
    paths["csv"] = folder / f"{stem}.csv"
    with paths["csv"].open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows(filled)
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    xls_sheet = book.add_sheet("目录")
    covered = set()
    for top, bottom, left, right in merges:
        xls_sheet.write_merge(top - 1, bottom - 1, left - 1, right - 1, rows[top - 1][left - 1])
        covered |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if (number, column) not in covered and value:
                xls_sheet.write(number - 1, column - 1, value)
    paths["xls"] = folder / f"{stem}.xls"
    book.save(str(paths["xls"]))
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gkml-import-bench-") as temporary:
        folder = Path(temporary)
        tables = {"40 行（海原县，37 项）": write_forms(load(SEED), "seed", folder),
                  "2,000 行（合成）": write_forms(large_agency(2000, folder / "corpus"), "large", folder)}  # fmt: skip
        options = ImportOptions(region=("甲省", "乙市", "丙县"), name="某局")
        print(f"{'table':24} {'form':5} {'items':>6} {'median s':>9} {'min–max s':>13} {'command s':>10}")
        for label, paths in tables.items():
            for form, path in paths.items():
                seconds = []
                for _ in range(args.repeats):
                    start = time.perf_counter()
                    imported = import_file(path, options)
                    seconds.append(time.perf_counter() - start)
                items = sum(len(category.items) for category in imported.agency.catalogue)
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "gkml_ssg", "import", str(path), "--dry-run", "--region", "甲省/乙市/丙县"],
                               check=True, capture_output=True)  # fmt: skip
                command = time.perf_counter() - start
                print(f"{label:24} {form:5} {items:>6} {statistics.median(seconds):>9.3f} {min(seconds):>6.3f}–{max(seconds):<6.3f} {command:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
