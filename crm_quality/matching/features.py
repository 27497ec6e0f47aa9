"""The columns entity resolution compares, derived from standardized person records.

Written as plain SQL expressions (string functions and casts that DuckDB and Spark SQL both
accept) so every engine prepares the same input. Only valid standardized values reach
matching: a field the standardizer judged missing or invalid is null here, and a null never
counts as agreement or disagreement.
"""

from __future__ import annotations

# Output column -> SQL expression over int_person_records_standardized.
FEATURE_EXPRESSIONS: dict[str, str] = {
    "record_key": "record_key",
    "source_system": "source_system",
    "first_name_key": "first_name_key",
    "last_name_key": "last_name_key",
    # Both names in either field order ('anna|muller' for Anna Muller and for Muller Anna), so a
    # blocking key finds a record whose names were entered into each other's fields.
    "name_pair_key": (
        "case when first_name_key is not null and last_name_key is not null then"
        " least(first_name_key, last_name_key) || '|' || greatest(first_name_key, last_name_key)"
        " end"
    ),
    "email": "email",
    # E.164, or the digits of a national number whose country is unknown ('unverifiable'),
    # so records writing the same number alike still meet; digits never equal an E.164 '+…'.
    "phone": "phone_key",
    # Case, spaces and commas vary between systems ('30 CHURCH LANE', 'Via Roma, 8').
    "street_key": "nullif(lower(replace(replace(street_address, ' ', ''), ',', '')), '')",
    "postal_key": "nullif(upper(replace(postal_code, ' ', '')), '')",
    "city_key": "lower(city)",
    "birth_date": "cast(birth_date as date)",
    # The ISO text, for digit typos ('1944-08-05' / '1944-09-05').
    "birth_date_text": "cast(cast(birth_date as date) as string)",
    "birth_year": "cast(substr(cast(cast(birth_date as date) as string), 1, 4) as int)",
    "birth_month": "cast(substr(cast(cast(birth_date as date) as string), 6, 2) as int)",
    "birth_day": "cast(substr(cast(cast(birth_date as date) as string), 9, 2) as int)",
    # 'MM-DD' and its day/month swap 'DD-MM', for transposed and year-slipped birth dates.
    "birth_month_day": "substr(cast(cast(birth_date as date) as string), 6, 5)",
    "birth_day_month": (
        "substr(cast(cast(birth_date as date) as string), 9, 2) || '-' || "
        "substr(cast(cast(birth_date as date) as string), 6, 2)"
    ),
}

FEATURE_COLUMNS: tuple[str, ...] = tuple(FEATURE_EXPRESSIONS)

# Feature columns built from other identifying fields, and those fields: a blocking key on one
# is usable where they are populated (crm_quality.matching.profile.IDENTIFYING_FIELDS).
DERIVED_FIELDS: dict[str, tuple[str, ...]] = {"name_pair_key": ("first_name_key", "last_name_key")}

# The standardized columns FEATURE_EXPRESSIONS read: all that training pulls from the warehouse
# (the records' other columns doubled the training step's memory at a million records).
INPUT_COLUMNS: tuple[str, ...] = (
    "record_key",
    "source_system",
    "first_name_key",
    "last_name_key",
    "email",
    "phone_key",
    "street_address",
    "postal_code",
    "city",
    "birth_date",
)


# Identifiers that many records share (info@ inboxes, a switchboard number) identify no one,
# and as blocking keys they would pair every record with every other: above this many
# records a value is treated as missing.
SHARED_KEY_COLUMNS: tuple[str, ...] = ("email", "phone")


# An inbox whose records name more than one first name and more than one birth date belongs to
# several people (a family address, a joint account's holders): it says nothing about which
# of them a record is. A duplicate with a mistyped first name keeps its inbox unless its birth
# date differs too. Where the records give no birth dates, first names as alike as the name
# comparisons' "similar" ('marie', 'maire') are one name mistyped; less alike, or with no first
# names either, the inbox cannot be told from a family's and is not kept.
PERSON_EVIDENCE_COLUMNS: tuple[str, ...] = ("first_name_key", "birth_date")

# Names at least this Jaro-Winkler-similar are the name comparisons' "similar" level.
NAME_SIMILARITY = 0.88


def _several_people() -> str:
    """An aggregate condition, per e-mail: its records name several people.

    Without the similarity test a duplicate with a mistyped first name lost its inbox wherever
    birth dates are not collected, so EM never saw an e-mail typo among matches.
    """
    first_name, birth_date = (FEATURE_EXPRESSIONS[column] for column in PERSON_EVIDENCE_COLUMNS)
    unalike = f"jaro_winkler_similarity(min({first_name}), max({first_name})) < {NAME_SIMILARITY}"
    return (
        f"min({first_name}) <> max({first_name})"
        f" and coalesce(min({birth_date}) <> max({birth_date}), {unalike})"
    )


def features_sql(relation: str, max_key_group_size: int | None = None) -> str:
    """The query that turns the standardized records in `relation` into matching input.

    With `max_key_group_size`, an e-mail or phone carried by more records than that is null,
    and so is an e-mail whose records name several people (`PERSON_EVIDENCE_COLUMNS`): a
    value is kept only where that is known to be false. The shared values are counted with one
    GROUP BY each and joined back; windows over every record took twice the CPU.
    """
    columns = []
    for name, expression in FEATURE_EXPRESSIONS.items():
        if max_key_group_size is not None and name in SHARED_KEY_COLUMNS:
            expression = f"case when shared_{name}.shared is null then {expression} end"
        columns.append(expression if expression == name else f"{expression} as {name}")
    select = "select\n    " + ",\n    ".join(columns) + f"\nfrom {relation}"
    if max_key_group_size is None:
        return select
    shared = []
    for name in SHARED_KEY_COLUMNS:
        value = FEATURE_EXPRESSIONS[name]
        condition = f"count(*) > {int(max_key_group_size)}"
        if name == "email":
            condition = f"{condition} or ({_several_people()})"
        shared.append(
            f"shared_{name} as (select {value} as shared from {relation}"
            f" where {value} is not null group by {value}"
            f" having coalesce({condition}, true))"
        )
    joins = "".join(
        f"\nleft join shared_{name} on {FEATURE_EXPRESSIONS[name]} = shared_{name}.shared"
        for name in SHARED_KEY_COLUMNS
    )
    return "with " + ",\n".join(shared) + "\n" + select + joins
