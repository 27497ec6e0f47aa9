"""Command line: python -m crm_quality.demo --people N --seed S --out DIR [--leads N]
[--layout contract|sources]."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date

from crm_quality.demo.generator import DEFAULT_AS_OF, LAYOUTS, DemoConfig, generate
from crm_quality.demo.pools import COUNTRIES
from crm_quality.demo.sources import DROPPABLE_FIELDS
from crm_quality.demo.writer import FORMATS


def comma_list(allowed: Sequence[str], upper: bool = False):
    """An argparse type: 'a,b' → ('a', 'b'), each one of `allowed`, without repeats."""

    def parse(text: str) -> tuple[str, ...]:
        items = [item.strip() for item in text.split(",") if item.strip()]
        items = [item.upper() if upper else item for item in items]
        unknown = [item for item in items if item not in allowed]
        if unknown or not items:
            raise argparse.ArgumentTypeError(
                f"expected a comma list of {', '.join(allowed)}; got {text!r}"
            )
        return tuple(dict.fromkeys(items))

    return parse


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crm_quality.demo",
        description="Write deterministic CRM, billing and order demo data with its truth.",
    )
    parser.add_argument("--people", type=int, required=True, help="true people in the world")
    parser.add_argument("--seed", type=int, required=True, help="random seed")
    parser.add_argument("--out", required=True, help="output directory (created if needed)")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=DEFAULT_AS_OF,
        help=f"reference date for 'future' and 'stale' (default {DEFAULT_AS_OF})",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="csv", help="format of the three source tables"
    )
    parser.add_argument(
        "--without",
        type=comma_list(DROPPABLE_FIELDS),
        default=(),
        metavar="FIELDS",
        help="columns neither CRM nor billing captures: kept in the files, every value empty "
        f"({','.join(DROPPABLE_FIELDS)}; street_address means no address at all)",
    )
    parser.add_argument(
        "--countries",
        type=comma_list(COUNTRIES, upper=True),
        default=(),
        metavar="CODES",
        help=f"only people of these countries ({','.join(COUNTRIES)}); default: the usual mix",
    )
    parser.add_argument(
        "--leads",
        type=int,
        default=0,
        metavar="N",
        help="add N CRM-only leads on top of --people: people who are never customers, "
        "mostly from web forms and events, each with one or more CRM records (default 0)",
    )
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="contract",
        help="contract: crm_contacts.csv in the contract's columns (default); sources: the CRM "
        "as Salesforce Contact.csv and Lead.csv, a HubSpot export and a newsletter list, "
        "declared in sources.yml (CSV only)",
    )
    args = parser.parse_args(argv)
    if args.people < 1:
        parser.error("--people must be at least 1")
    if args.leads < 0:
        parser.error("--leads must not be negative")
    if args.layout == "sources" and args.format != "csv":
        parser.error("--layout sources writes CSV exports only")
    config = DemoConfig(
        args.people,
        args.seed,
        args.as_of,
        args.format,
        without=frozenset(args.without),
        countries=args.countries,
        leads=args.leads,
        layout=args.layout,
    )
    generate(config, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
