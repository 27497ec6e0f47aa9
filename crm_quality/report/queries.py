"""Read the report's figures from a built warehouse: one function per figure, each a DataFrame.

Every query returns aggregates (marts, histories): no name, email, phone or record id.
The history tables may be missing in a warehouse built before monitoring existed: the
queries over them then return empty frames rather than failing.
"""

from __future__ import annotations

import duckdb
import pandas as pd

CRM_RECORD_LEVEL = "source_system = 'crm' and defect_type = 'any' and field = 'record'"


def table_exists(connection: duckdb.DuckDBPyConnection, name: str) -> bool:
    """True when a table or view of that name exists in any schema of the warehouse."""
    found = connection.execute(
        "select count(*) from information_schema.tables where table_name = ?", [name]
    ).fetchone()
    return bool(found and found[0])


def _frame(connection: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return connection.execute(sql).fetchdf()


def headline(connection: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Overall customer shortage and CRM defect rate of the current build."""
    shortage = connection.execute(
        """
        select actual_customers, missing_customers, shortage_rate_pct
        from mart_customer_shortage
        where breakdown = 'overall' and breakdown_value = 'all'
        """
    ).fetchone()
    defects = connection.execute(
        f"""
        select records_checked, defective_records, defect_rate_pct
        from mart_defect_rate
        where {CRM_RECORD_LEVEL}
          and source_name = 'all' and source_channel = 'all' and quality_dimension = 'all'
        """
    ).fetchone()
    actual, missing, shortage_pct = shortage or (0, 0, None)
    checked, defective, defect_pct = defects or (0, 0, None)
    return {
        "actual_customers": int(actual),
        "missing_customers": int(missing),
        "shortage_rate_pct": None if shortage_pct is None else float(shortage_pct),
        "crm_records": int(checked),
        "defective_crm_records": int(defective),
        "defect_rate_pct": None if defect_pct is None else float(defect_pct),
    }


def headline_trend(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per build: the overall shortage rate and the CRM defect rate (all and per dimension)."""
    if not table_exists(connection, "mart_data_quality_history"):
        return pd.DataFrame(columns=["run_started_at", "series", "value"])
    return _frame(
        connection,
        """
        select
            run_started_at,
            case
                when metric = 'shortage_rate_pct' then 'customer shortage'
                else 'CRM defect rate: ' || split_part(breakdown_value, '/', 3)
            end as series,
            cast(value as double precision) as value
        from mart_data_quality_history
        where
            (metric = 'shortage_rate_pct' and breakdown = 'overall')
            or (
                metric = 'defect_rate_pct'
                and breakdown_value like 'crm/all/%/any/record'
                and denominator > 0
            )
        order by series, run_started_at
        """,
    )


def defect_rate_by_field(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """CRM defect rate per field × dimension over all channels (field-level checks only).

    A field with two checks in one dimension gets one row per check, labelled with its
    defect type, so no cell mixes two denominators.
    """
    return _frame(
        connection,
        """
        select
            case
                when count(*) over (partition by field, quality_dimension) > 1
                    then field || ' (' || defect_type || ')'
                else field
            end as field,
            quality_dimension,
            defective_records,
            records_checked,
            cast(defect_rate_pct as double precision) as defect_rate_pct
        from mart_defect_rate
        where source_system = 'crm'
          and source_name = 'all' and source_channel = 'all' and defect_type <> 'any'
        order by field, quality_dimension
        """,
    )


def defect_rate_by_channel(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """CRM records with at least one defect, per source channel and dimension."""
    return _frame(
        connection,
        f"""
        select
            source_channel,
            quality_dimension,
            records_checked,
            defective_records,
            cast(defect_rate_pct as double precision) as defect_rate_pct
        from mart_defect_rate
        where {CRM_RECORD_LEVEL}
          and source_name = 'all' and source_channel <> 'all' and records_checked > 0
        order by source_channel, quality_dimension
        """,
    )


def largest_duplicate_clusters(
    connection: duckdb.DuckDBPyConnection, limit: int = 10
) -> pd.DataFrame:
    """The customers with the most CRM records: counts only, ranked, no identifiers."""
    return _frame(
        connection,
        f"""
        with clusters as (
            select
                customer_id,
                count(*) filter (where source_system = 'crm') as crm_records,
                count(*) filter (where source_system = 'billing') as billing_records,
                count(*) as records
            from customer_xref
            where link_type = 'entity_resolution'  -- a converted lead is no second record
            group by customer_id
        )
        select
            cast(
                row_number() over (order by crm_records desc, records desc, customer_id) as integer
            ) as cluster_rank,
            crm_records,
            billing_records,
            records
        from clusters
        where crm_records > 1
        order by cluster_rank
        limit {int(limit)}
        """,
    )


def missing_customers_by_country(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Actual customers missing from the CRM, per country, most missing first."""
    return _frame(
        connection,
        """
        select
            breakdown_value as country,
            actual_customers,
            missing_customers,
            cast(shortage_rate_pct as double precision) as shortage_rate_pct
        from mart_customer_shortage
        where breakdown = 'country'
        order by missing_customers desc, country
        """,
    )


def coverage_by_crm_source(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Which system lacks whom: per CRM source, the actual customers it has and lacks; first
    the CRM as a whole (every source together), then the sources, most missing first."""
    return _frame(
        connection,
        """
        select
            case when breakdown = 'overall' then 'all CRM sources' else breakdown_value end
                as crm_source,
            actual_customers,
            crm_customers,
            missing_customers,
            cast(shortage_rate_pct as double precision) as shortage_rate_pct
        from mart_customer_shortage
        where breakdown = 'crm_source' or breakdown = 'overall'
        order by breakdown = 'crm_source', missing_customers desc, crm_source
        """,
    )


def latest_anomalies(connection: duckdb.DuckDBPyConnection, limit: int = 25) -> pd.DataFrame:
    """The most recent anomalous builds of any series, newest first."""
    if not table_exists(connection, "mart_quality_anomalies"):
        return pd.DataFrame(
            columns=[
                "run_started_at",
                "is_latest_build",
                "metric",
                "breakdown_value",
                "value",
                "baseline_median",
                "allowed_departure",
                "robust_z",
            ]
        )
    return _frame(
        connection,
        f"""
        select
            run_started_at,
            is_latest_build,
            metric,
            breakdown_value,
            cast(value as double precision) as value,
            cast(baseline_median as double precision) as baseline_median,
            cast(allowed_departure as double precision) as allowed_departure,
            robust_z
        from mart_quality_anomalies
        where is_anomaly
        order by run_started_at desc, abs(coalesce(robust_z, 0)) desc, metric, breakdown_value
        limit {int(limit)}
        """,
    )


def latest_test_results(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Monitors (every one) and other tests (failing ones) of the newest recorded build."""
    if not table_exists(connection, "fct_test_results_history"):
        return pd.DataFrame(
            columns=[
                "test_name",
                "tested_model",
                "is_monitor",
                "status",
                "failures",
                "measured_pct",
                "warn_pct",
                "error_pct",
            ]
        )
    return _frame(
        connection,
        """
        with latest as (
            select run_id from fct_test_results_history
            order by run_started_at desc
            limit 1
        )
        select
            results.test_name,
            results.tested_model,
            results.is_monitor,
            results.status,
            results.failures,
            results.measured_pct,
            results.warn_pct,
            results.error_pct
        from fct_test_results_history as results
        inner join latest on results.run_id = latest.run_id
        where results.is_monitor or results.status <> 'pass'
        order by
            case results.status
                when 'error' then 0 when 'fail' then 1 when 'warn' then 2 else 3
            end,
            results.is_monitor desc,
            results.test_name
        """,
    )


def build_count(connection: duckdb.DuckDBPyConnection) -> int:
    """Builds recorded in the quality history."""
    if not table_exists(connection, "mart_data_quality_history"):
        return 0
    return int(
        connection.execute(
            "select count(distinct run_id) from mart_data_quality_history"
        ).fetchone()[0]
    )


def recorded_test_runs(connection: duckdb.DuckDBPyConnection) -> int:
    """Builds (or test invocations) recorded in the test-results history."""
    if not table_exists(connection, "fct_test_results_history"):
        return 0
    return int(
        connection.execute(
            "select count(distinct run_id) from fct_test_results_history"
        ).fetchone()[0]
    )


MATCH_QUALITY_COLUMNS = [
    "run_started_at", "labelled_pairs", "labelled_scored_pairs", "estimated_precision",
    "precision_ci_low", "precision_ci_high", "estimated_recall", "recall_ci_low",
    "recall_ci_high", "estimate_note",
]  # fmt: skip


def match_quality_history(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per build: entity resolution's precision and recall estimated from review labels."""
    if not table_exists(connection, "mart_match_quality"):
        return pd.DataFrame(columns=MATCH_QUALITY_COLUMNS)
    return _frame(
        connection,
        f"select {', '.join(MATCH_QUALITY_COLUMNS)} from mart_match_quality"
        " order by run_started_at",
    )
