"""Chunked assembly of the demo sources and their truth, and the file-writing entry point.

Every random decision comes from a `random.Random` seeded with the run's seed and a
purpose ('world', 'membership', 'billing-plan', 'billing', 'crm', 'orders', …), so the same
arguments always give byte-identical files and one stream's changes leave the others alone.

The world, who is a customer and what each billing account holds are cheap and decided
first; rendering the CRM and the billing side is the expensive part. The two sides only
share those early decisions, so they run in two processes that both replay the same world
and each write their own files: twice as fast on two cores, identical bytes either way.
"""

from __future__ import annotations

import gc
import json
import random
import shutil
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import get_context
from pathlib import Path

from crm_quality.demo import defects as dq
from crm_quality.demo.phones import PhoneBook
from crm_quality.demo.pools import country_weights
from crm_quality.demo.render import iso_date
from crm_quality.demo.sources import (
    BILLING_COLUMNS,
    CRM_COLUMNS,
    DROPPABLE_FIELDS,
    ORDER_COLUMNS,
    AccountPlan,
    BillingBuilder,
    BillingPlanner,
    CrmBuilder,
    OrderBuilder,
    SourceRecord,
    opened_ordinal,
)
from crm_quality.demo.truth import (
    ACTIVITIES,
    SOURCE_TRUTH_DEFECT_COLUMNS,
    SOURCE_TRUTH_RECORD_COLUMNS,
    TRUTH_DEFECT_COLUMNS,
    TRUTH_RECORD_COLUMNS,
    TruthTally,
    household_key,
    person_key,
)
from crm_quality.demo.world import Person, World
from crm_quality.demo.writer import CsvTableWriter, open_table

DEFAULT_AS_OF = date(2026, 6, 30)
CUSTOMER_SHARE = 0.80  # people with at least one billing account
CRM_COVERAGE = 0.88  # billing customers the CRM knows
PROSPECT_SHARE = 0.15  # CRM people who are not (yet) customers
CHUNK_PEOPLE = 20_000
SYSTEMS = ("crm", "billing")
PARALLEL_FROM_PEOPLE = 50_000  # below this, a second process costs more than it saves
ACTIVE_CUSTOMER_DAYS = 365  # dbt var active_customer_days: an order this recent is 'active'
UNKNOWN = "unknown"  # mart_customer_shortage's bucket for no valid country
LAYOUTS = ("contract", "sources")


@dataclass(frozen=True)
class DemoConfig:
    """Arguments of one generation run.

    `without`: columns neither system captures (DROPPABLE_FIELDS), written but empty.
    `countries`: ISO codes the population is restricted to; empty means the default mix.
    `leads`: people added on top of `people` who are CRM-only leads (never customers).
    `layout`: 'contract' writes crm_contacts.csv; 'sources' writes Salesforce, HubSpot and
    newsletter exports with a sources.yml (crm_sources.py). Billing and orders are the same.
    """

    people: int
    seed: int = 42
    as_of: date = DEFAULT_AS_OF
    fmt: str = "csv"
    chunk_people: int = CHUNK_PEOPLE
    without: frozenset[str] = frozenset()
    countries: tuple[str, ...] = ()
    leads: int = 0
    layout: str = "contract"

    def __post_init__(self) -> None:
        if self.leads < 0:
            raise ValueError("leads must not be negative")
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown layout {self.layout!r}; expected one of {LAYOUTS}")
        if self.layout == "sources" and self.fmt != "csv":
            raise ValueError("the sources layout writes CSV exports only")
        unknown = sorted(set(self.without) - set(DROPPABLE_FIELDS))
        if unknown:
            raise ValueError(f"cannot drop {unknown}; droppable: {list(DROPPABLE_FIELDS)}")
        country_weights(self.countries)  # raises on an unknown code


@dataclass
class Chunk:
    """People of one chunk and their finished source rows (ids, row numbers, defects)."""

    people: list[Person]
    billing: list[SourceRecord] = field(default_factory=list)
    crm: list[SourceRecord] = field(default_factory=list)
    orders: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    order_defects: list[tuple[int, str, dq.Defect]] = field(default_factory=list)
    crm_files: dict[str, list] = field(default_factory=dict)  # sources layout: rows per file


class DemoGenerator:
    """Yields finished chunks for the requested systems; `tally` sums up their truth."""

    def __init__(self, config: DemoConfig, systems: Sequence[str] = SYSTEMS) -> None:
        if config.people < 1:
            raise ValueError("people must be at least 1")
        unknown = set(systems) - set(SYSTEMS)
        if unknown:
            raise ValueError(f"unknown systems {sorted(unknown)}")
        self.config = config
        self.systems = tuple(systems)
        seed = config.seed
        as_of = config.as_of.toordinal()
        self.phones = PhoneBook()
        without = frozenset(config.without)
        self.world = World(seed, config.people, self.phones, config.countries)
        self.planner = BillingPlanner(seed, self.world, self.phones)
        self.billing = BillingBuilder(seed, self.world, self.phones, as_of, without)
        self.crm = CrmBuilder(seed, self.world, self.phones, as_of, without)
        self.orders = OrderBuilder(seed, as_of)
        self._membership = random.Random(f"{seed}/membership")
        self._billing_order = random.Random(f"{seed}/billing-assembly")
        self._crm_order = random.Random(f"{seed}/crm-assembly")
        self._joint = random.Random(f"{seed}/joint-accounts")
        # Non-customers who are prospects, so prospects are PROSPECT_SHARE of CRM people.
        in_crm = CUSTOMER_SHARE * CRM_COVERAGE
        self._prospect_rate = min(
            1.0, PROSPECT_SHARE / (1 - PROSPECT_SHARE) * in_crm / (1 - CUSTOMER_SHARE)
        )
        self.stale_before = iso_date(as_of - dq.STALE_AFTER_DAYS)
        self.tally = TruthTally()
        self._account_seq = 0
        self._contact_seq = 0

    def chunks(self) -> Iterator[Chunk]:
        """The population's chunks, then (with --leads) the leads' chunks."""
        for leads in (False, True):
            if leads:
                if not self.config.leads:
                    return
                self.world.people += self.config.leads
            while True:
                people = self.world.chunk(self.config.chunk_people)
                if not people:
                    break
                self.tally.grow(self.world.emitted)
                yield self._chunk(people, leads)

    def _chunk(self, people: list[Person], leads: bool = False) -> Chunk:
        tally = self.tally
        membership = self._membership
        plans: dict[int, list[AccountPlan]] = {}
        for person in people:
            if leads:
                person.is_customer, person.in_crm = False, True
            else:
                person.is_customer = membership.random() < CUSTOMER_SHARE
                coverage = CRM_COVERAGE if person.is_customer else self._prospect_rate
                person.in_crm = membership.random() < coverage or self._joins_elsewhere(person)
            if person.is_customer:
                plans[person.person_id] = self.planner.plan(person)
                tally.actual_customers += 1
                if person.in_crm:
                    tally.actual_customers_in_crm += 1
                else:
                    tally.missing_by_country[person.country] += 1
            if person.in_crm:
                tally.crm_persons += 1
                tally.crm_prospects += not person.is_customer
        tally.households = self.world.households
        self._plan_joint_accounts(people, plans)

        chunk = Chunk(people)
        if "billing" in self.systems:
            chunk.billing = [
                record
                for person in people
                if person.is_customer
                for record in self.billing.accounts(person, plans[person.person_id])
            ]
            self._billing_order.shuffle(chunk.billing)
            self._number_billing(chunk.billing)
            chunk.orders, chunk.order_defects, last_order = self._orders(chunk.billing)
            self._tally_activity(people, chunk.billing, last_order)
        if "crm" in self.systems:
            for person in people:
                billing_country = person.is_customer and _billing_country(person, plans)
                records = self._crm_records(person, billing_country, leads) if person.in_crm else []
                self._tally_customer_country(person, records, billing_country)
                chunk.crm.extend(records)
            self._crm_order.shuffle(chunk.crm)
            self._number_crm(chunk.crm, plans)
            self._lay_out_crm(chunk)
        return chunk

    # Hooks the sources layout overrides; as here they draw nothing, so a contract run
    # stays byte-identical.
    def _joins_elsewhere(self, person: Person) -> bool:
        """Whether a person the CRM lacks is known through another CRM source."""
        return False

    def _crm_records(
        self, person: Person, billing_country: bool, leads: bool
    ) -> list[SourceRecord]:
        return self.crm.contacts(person, billing_country, leads)

    def _lay_out_crm(self, chunk: Chunk) -> None:
        """Fill `chunk.crm_files` (the sources layout's rows per file)."""

    def _plan_joint_accounts(
        self, people: list[Person], plans: dict[int, list[AccountPlan]]
    ) -> None:
        """A household's first two members, both customers, may hold one account together."""
        for index in range(len(people) - 1):
            first, second = people[index], people[index + 1]
            household = first.household_id
            if not household or second.household_id != household:
                continue
            if index and people[index - 1].household_id == household:
                continue  # not the household's first member
            if first.is_customer and second.is_customer:
                joint = self.planner.joint(self._joint, plans[first.person_id])
                if joint is not None:
                    plans[second.person_id].append(joint)

    def _tally_customer_country(
        self, person: Person, records: list[SourceRecord], billing_country: bool
    ) -> None:
        """The person in the country breakdown (golden country) and their CRM records in
        their own countries' buckets (CRM pass)."""
        counts = self.tally.breakdowns
        countries = self.tally.record_countries
        best: str | None = None
        best_touch: tuple[int, int] = (-1, -1)
        for record in records:
            kind, value = record.states["country"]
            if kind != dq.OK:
                countries[UNKNOWN] += 1
                continue
            countries[value] += 1
            touch = record.touched or (-1, -1)
            if best is None or touch > best_touch:
                best, best_touch = value, touch
        if best is None and billing_country:
            best = person.country
        country = best or UNKNOWN
        if person.is_customer:
            counts["country", country, "actual_customers"] += 1
            counts["country", country, "crm_customers"] += person.in_crm
            self.tally.crm_records_of[person.person_id] = len(records)
        elif person.in_crm:
            counts["country", country, "crm_only_customers"] += 1

    def _tally_activity(
        self, people: list[Person], billing: list[SourceRecord], last_order: dict[int, str]
    ) -> None:
        """Customers and their billing rows per activity bucket (billing pass)."""
        tally = self.tally
        counts = tally.breakdowns
        active_from = iso_date(self.config.as_of.toordinal() - ACTIVE_CUSTOMER_DAYS)
        for person in people:
            if not person.is_customer:
                continue
            day = last_order.get(person.person_id)
            code = 3 if day is None else 1 if day >= active_from else 2
            tally.activity_of[person.person_id] = code
            bucket = ACTIVITIES[code - 1]
            counts["customer_activity", bucket, "actual_customers"] += 1
            counts["customer_activity", bucket, "crm_customers"] += person.in_crm
        countries = tally.record_countries
        for record in billing:
            kind, value = record.states["country"]
            countries[value if kind == dq.OK else UNKNOWN] += 1
            bucket = ACTIVITIES[tally.activity_of[record.person.person_id] - 1]
            counts["customer_activity", bucket, "billing_records"] += 1

    def _number_billing(self, billing: list[SourceRecord]) -> None:
        """Assign account ids, row numbers and defects; a joint account's second holder's
        row repeats the first holder's account id."""
        tally = self.tally
        ids: dict[int, str] = {}
        for record in billing:
            tally.billing_rows += 1
            record.row_number = tally.billing_rows
            if not _joint(record):
                self._account_seq += 1
                record.record_id = f"A{self._account_seq:08d}"
                ids[id(record.account)] = record.record_id
        for record in billing:
            judgement = dq.field_defects(record.states, None, None)
            if _joint(record):
                record.record_id = ids[id(record.account.joint_with)]
                judgement.defects.append(("uniqueness", "duplicate_id", "account_id"))
            record.values[0] = record.record_id
            record.defects = judgement.defects
            tally.billing.add("billing", judgement)

    def _orders(self, billing: list[SourceRecord]) -> tuple[list, list, dict[int, str]]:
        """Order rows of the accounts (a joint account's orders once), their defects, and
        each person's last order date."""
        rows = []
        defects = []
        last_order: dict[int, str] = {}
        tally = self.tally
        first_row = tally.order_rows + 1
        for record in billing:
            if _joint(record):
                continue
            orders = self.orders.orders(record.person.country, opened_ordinal(record))
            for day, amount, currency, valid in orders:
                tally.order_rows += 1
                order_id = f"O{tally.order_rows:09d}"
                rows.append((order_id, record.record_id, iso_date(day), amount, currency))
                if not valid:
                    defects.append((tally.order_rows, order_id, dq.INVALID_AMOUNT))
                    tally.orders.add("billing", dq.Judgement([dq.INVALID_AMOUNT], [], []))
            if orders:
                person_id = record.person.person_id
                last = iso_date(orders[-1][0])
                if last > last_order.get(person_id, ""):
                    last_order[person_id] = last
        tally.orders.add_clean("billing", tally.order_rows - first_row + 1 - len(defects))
        return rows, defects, last_order

    def _number_crm(self, crm: list[SourceRecord], plans: dict[int, list[AccountPlan]]) -> None:
        """Assign contact ids (a few empty or reused), row numbers and defects."""
        tally = self.tally
        rng = self._crm_order
        issued: list[str] = []
        seen_people: set[int] = set()
        billing_values: dict[int, dict[str, set[str]]] = {}
        for record in crm:
            tally.crm_rows += 1
            record.row_number = tally.crm_rows
            person = record.person
            known = None
            if person.is_customer:
                known = billing_values.get(person.person_id)
                if known is None:
                    known = self.planner.valid_values(person, plans[person.person_id])
                    billing_values[person.person_id] = known
            judgement = dq.field_defects(record.states, known, self.stale_before)
            defects = judgement.defects
            if person.person_id in seen_people:
                defects.append(("uniqueness", "duplicate", "record"))
            seen_people.add(person.person_id)
            roll = rng.random()
            if roll < dq.MISSING_ID_RATE:
                record.record_id = ""
                defects.append(("completeness", "missing", "contact_id"))
            elif roll < dq.MISSING_ID_RATE + dq.DUPLICATE_ID_RATE and issued:
                record.record_id = issued[int(rng.random() * len(issued))]
                defects.append(("uniqueness", "duplicate_id", "contact_id"))
            else:
                self._contact_seq += 1
                record.record_id = f"C{self._contact_seq:08d}"
                issued.append(record.record_id)
            record.values[0] = record.record_id
            record.defects = defects
            tally.crm.add(record.values[1], judgement)


def _joint(record: SourceRecord) -> bool:
    """A joint account's second holder's row (it repeats the first holder's account id)."""
    return record.account is not None and record.account.joint_with is not None


def _billing_country(person: Person, plans: dict[int, list[AccountPlan]]) -> bool:
    """Whether a billing account of the person carries a valid country."""
    for plan in plans[person.person_id]:
        if plan.outcomes["country"] == dq.OK:
            return True
    return False


def scenario_summary(config: DemoConfig) -> dict[str, object]:
    """truth.json's record of --without, --countries and --leads; absent for a default run."""
    summary: dict[str, object] = {}
    if config.without:
        summary["without"] = [name for name in DROPPABLE_FIELDS if name in config.without]
    if config.countries:
        summary["countries"] = list(country_weights(config.countries))
    if config.leads:
        summary["leads"] = config.leads
    return summary


def _truth_rows(
    system: str, records: list[SourceRecord], source_name: str | None = None
) -> tuple[list, list]:
    """truth_records and truth_defects rows; with `source_name` (sources layout) each
    record row ends in (source_name, 'active') and each defect row in source_name."""
    record_extra = () if source_name is None else (source_name, "active")
    defect_extra = () if source_name is None else (source_name,)
    record_rows = []
    defect_rows = []
    for record in records:
        person = record.person
        record_rows.append(
            (
                system,
                record.row_number,
                record.record_id,
                person_key(person.person_id),
                "false" if person.is_customer else "true",
                household_key(person.household_id),
                *record_extra,
            )
        )
        for dimension, defect_type, field_name in record.defects:
            defect_rows.append(
                (
                    system,
                    record.row_number,
                    record.record_id,
                    dimension,
                    defect_type,
                    field_name,
                    *defect_extra,
                )
            )
    return record_rows, defect_rows


def _part_path(out: Path, name: str, system: str) -> Path:
    return out / f".{name}.{system}.part"


def _write_system(config: DemoConfig, out: Path, system: str) -> TruthTally:
    """Generate and write one system's tables and truth parts; return its tally."""
    collecting = gc.isenabled()
    # The generator builds no reference cycles; the cyclic collector would only rescan
    # millions of live records (a third of the run time at 100k people).
    gc.disable()
    try:
        sources = config.layout == "sources"
        crm_files = None
        if sources:
            from crm_quality.demo.crm_sources import CrmSourceFiles, SourcesDemoGenerator

            generator: DemoGenerator = SourcesDemoGenerator(config, (system,))
        else:
            generator = DemoGenerator(config, (system,))
        if system == "crm" and sources:
            crm_files = CrmSourceFiles(out)
            tables = []
        elif system == "crm":
            tables = [open_table(out, "crm_contacts", CRM_COLUMNS, config.fmt)]
        else:
            tables = [
                open_table(out, "billing_customers", BILLING_COLUMNS, config.fmt),
                open_table(out, "orders", ORDER_COLUMNS, config.fmt),
            ]
        truth_records = CsvTableWriter(_part_path(out, "truth_records", system), ())
        truth_defects = CsvTableWriter(_part_path(out, "truth_defects", system), ())
        parts = [truth_records, truth_defects]
        if system == "billing":
            parts.append(CsvTableWriter(_part_path(out, "truth_defects", "orders"), ()))
        try:
            for chunk in generator.chunks():
                if crm_files is not None:
                    record_rows, defect_rows = crm_files.write(chunk)
                    truth_records.write(record_rows)
                    truth_defects.write(defect_rows)
                    continue
                records = chunk.crm if system == "crm" else chunk.billing
                tables[0].write([record.values for record in records])
                if system == "billing":
                    tables[1].write(chunk.orders)
                    parts[2].write(
                        [
                            ("orders", row_number, order_id, *defect, *(("orders",) * sources))
                            for row_number, order_id, defect in chunk.order_defects
                        ]
                    )
                record_rows, defect_rows = _truth_rows(system, records, system if sources else None)
                truth_records.write(record_rows)
                truth_defects.write(defect_rows)
        finally:
            for table in (*tables, *parts):
                table.close()
            if crm_files is not None:
                crm_files.close()
        return generator.tally
    finally:
        if collecting:
            gc.enable()


def generate(
    config: DemoConfig, out_dir: str | Path, workers: int | None = None
) -> dict[str, object]:
    """Write the demo sources and truth files into `out_dir`; return truth.json's content.

    `workers` 2 renders CRM and billing in parallel processes, 1 one after the other; by
    default 2 from PARALLEL_FROM_PEOPLE people on. The files are the same either way.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if workers is None:
        workers = 2 if config.people >= PARALLEL_FROM_PEOPLE else 1
    if workers > 1:
        with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(_write_system, config, out, system) for system in SYSTEMS]
            crm_tally, billing_tally = (future.result() for future in futures)
    else:
        crm_tally, billing_tally = (_write_system(config, out, system) for system in SYSTEMS)

    several = config.layout == "sources"
    for name, columns in (
        ("truth_records", TRUTH_RECORD_COLUMNS + (SOURCE_TRUTH_RECORD_COLUMNS if several else ())),
        ("truth_defects", TRUTH_DEFECT_COLUMNS + (SOURCE_TRUTH_DEFECT_COLUMNS if several else ())),
    ):
        CsvTableWriter(out / f"{name}.csv", columns).close()
        with (out / f"{name}.csv").open("a", encoding="utf-8", newline="") as target:
            for system in (*SYSTEMS, "orders") if name == "truth_defects" else SYSTEMS:
                part = _part_path(out, name, system)
                with part.open(encoding="utf-8", newline="") as source:
                    shutil.copyfileobj(source, target, 1 << 20)
                part.unlink()

    tally = TruthTally.combine(crm=crm_tally, billing=billing_tally)
    summary = tally.summary(config.seed, config.people, config.as_of)
    summary.update(scenario_summary(config))
    if several:
        from crm_quality.demo.crm_sources import write_sources_yml

        write_sources_yml(out)
    (out / "truth.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    elapsed = time.perf_counter() - started
    sources = (tally.crm, tally.billing, tally.orders)
    other_rows = sum(
        count
        for (_, figure), count in tally.source_counts.items()
        if figure in ("deleted_rows", "converted_leads")
    )
    print(
        f"{'crm_records' if several else 'crm_contacts'}={tally.crm_rows} "
        f"billing_customers={tally.billing_rows} orders={tally.order_rows} "
        f"truth_records={tally.crm_rows + other_rows + tally.billing_rows} "
        f"truth_defects={sum(sum(source.total().values()) for source in sources)} "
        f"(people={config.people} seed={config.seed} format={config.fmt}) "
        f"-> {out} in {elapsed:.1f}s"
    )
    return summary
