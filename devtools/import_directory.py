"""Import a directory file into the table named by GK_TABLE_NAME (`make import`).

    python -m devtools.import_directory data/directory.json [--prune] [--create-table]

Without GK_TABLE_NAME and AWS_ENDPOINT_URL_DYNAMODB it imports into the service
`make run` is running (devtools.local_service), if there is one.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from chalicelib import bootstrap
from chalicelib.domain.errors import DirectoryError
from chalicelib.write.importer import DEFAULT_DIRECTORY, DEFAULT_REFERENCE, load
from chalicelib.write.writer import DirectoryWriter
from devtools import local_service


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.import_directory", description=__doc__.split("\n")[0]
    )
    parser.add_argument("path", type=Path, nargs="?", default=DEFAULT_DIRECTORY)
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--prune", action="store_true", help="delete municipalities missing from the file")
    parser.add_argument("--create-table", action="store_true", help="create the table first if it is missing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not os.environ.get("GK_TABLE_NAME") and not os.environ.get("AWS_ENDPOINT_URL_DYNAMODB"):
        service = local_service.running(local_service.service_file())
        if service is None:
            print(
                "import failed: no table given. Start `make run` to import into the local service, "
                "or set GK_TABLE_NAME (and AWS credentials) for a table in AWS.",
                file=sys.stderr,
            )
            return 2
        local_service.use(service)
        bootstrap.reset()
        print(f"importing into the local service {service.url} (table {service.table} at {service.endpoint})")

    try:
        if args.create_table:
            bootstrap.store().create_table()
        report = load(
            DirectoryWriter(bootstrap.store()), args.path, prune=args.prune, reference_path=args.reference
        )
    except DirectoryError as error:
        print(
            f"import failed: {error.message} {json.dumps(error.details, ensure_ascii=False)}", file=sys.stderr
        )
        return 1
    print(
        f"imported {args.path}: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.deleted)} deleted; revision {report.revision}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
