"""Command line: python -m crm_quality.external febrl --dataset 2 --layout link --out DIR."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from crm_quality.external.febrl import DATASETS, LAYOUTS, write_raw


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crm_quality.external")
    commands = parser.add_subparsers(dest="command", required=True)
    febrl = commands.add_parser("febrl", help="FEBRL as raw exports with truth")
    febrl.add_argument("--dataset", choices=DATASETS, required=True)
    febrl.add_argument("--layout", choices=LAYOUTS, required=True)
    febrl.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    print(json.dumps(write_raw(args.dataset, args.layout, args.out), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
