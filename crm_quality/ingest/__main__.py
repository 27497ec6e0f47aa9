"""`python -m crm_quality.ingest declare --raw-dir D --out DIR [--check]`: write (or check)
the dbt declarations of the sources CRM_RAW_DIR declares."""

from __future__ import annotations

import argparse
import os
import sys

from crm_quality.ingest.dbt_declarations import check_dbt_declarations, write_dbt_declarations
from crm_quality.ingest.files import RawInputError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_quality.ingest")
    commands = parser.add_subparsers(dest="command", required=True)
    declare = commands.add_parser("declare", help="write the dbt declarations of the sources")
    declare.add_argument("--raw-dir", default=os.environ.get("CRM_RAW_DIR", "data/demo"))
    declare.add_argument("--out", default=".", help="the dbt project directory")
    declare.add_argument(
        "--check", action="store_true", help="only fail when existing declarations are stale"
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            check_dbt_declarations(args.raw_dir, args.out)
        else:
            for path in write_dbt_declarations(args.raw_dir, args.out):
                print(f"wrote {path}")
    except RawInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
