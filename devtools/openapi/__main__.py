"""`python -m devtools.openapi [--check]`: write chalicelib/assets/openapi.json, or check it is current."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .document import DocumentError, render

TARGET = Path(__file__).resolve().parents[2] / "chalicelib" / "assets" / "openapi.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.openapi", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the committed file is out of date")
    args = parser.parse_args(argv)
    try:
        text = render()
    except DocumentError as error:
        print(error, file=sys.stderr)
        return 1
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run `make openapi`", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(Path.cwd()) if TARGET.is_relative_to(Path.cwd()) else TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
