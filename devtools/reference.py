"""Write chalicelib/assets/reference.csv: the reference columns of data/nrw_kommunen.csv.

    python -m devtools.reference

data/ holds the researched table with its sources and research notes; the Lambda
package gets only app.py and chalicelib/, so the write path's reference checks read
this derived copy. tests/unit/write/test_reference.py fails when the two disagree.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "nrw_kommunen.csv"
TARGET = ROOT / "chalicelib" / "assets" / "reference.csv"
COLUMNS = ("ags", "name", "type", "regierungsbezirk", "seat", "lat", "lon", "population")


def derived(source: Path = SOURCE) -> str:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([row[column] for column in COLUMNS] for row in rows)
    return out.getvalue()


def main() -> int:
    TARGET.write_text(derived(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} from {SOURCE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
