"""Column layouts of the CRM exports people actually have, as data.

Field names are the vendors' own:
- Salesforce: the API names of the Contact and Lead objects (Salesforce Object Reference and
  Field Reference, developer.salesforce.com: "Contact", "Lead"), which Data Loader, the weekly
  Data Export and ELT connectors write as headers. Lead's birth date is `BirthDate` (Contact's
  is `Birthdate`); header matching is case-insensitive anyway, so connectors that lowercase
  them (Stitch: `firstname`) match too. Contact has no company text field (Account.Name lives
  on Account), so a contact source does not collect company_name. Fivetran lands the same
  fields in snake_case (`first_name`, `mailing_postal_code`, `is_deleted`: the column lists of
  its dbt_salesforce_source package), a second naming of each preset.
- HubSpot: the internal names of the default contact properties (developers.hubspot.com,
  CRM properties / contacts API: hs_object_id, firstname, lastname, email, phone, mobilephone,
  address, city, zip, country, date_of_birth, company, createdate, lastmodifieddate,
  hs_analytics_source) and the labels HubSpot's own export writes instead ("Record ID",
  "First Name", "Phone Number", "Country/Region", "Original Source", …; HubSpot's knowledge
  base, "HubSpot's default contact properties"). Older portals label `zip` "Zip". ELT
  connectors land the properties under a prefix (HUBSPOT_LANDINGS).
Several columns for one field: the first non-blank wins (Phone before MobilePhone).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# A record of a person must carry at least one of these, or the source is useless.
PERSON_FIELDS = ("first_name", "last_name", "email", "phone")


@dataclass(frozen=True)
class Naming:
    """One header vocabulary of a preset; a file uses exactly one."""

    label: str
    columns: Mapping[str, tuple[str, ...]]  # contract field → candidate file columns
    channel_column: str | None = None
    deleted_column: str | None = None
    converted_flag_column: str | None = None
    converted_id_column: str | None = None

    @property
    def id_column(self) -> str:
        return self.columns["contact_id"][0]


@dataclass(frozen=True)
class Preset:
    name: str
    role: str
    namings: tuple[Naming, ...]
    # A lead source converts into the contact source of this preset by default.
    converts_into_preset: str | None = None
    description: str = ""

    def naming_for(self, header: Sequence[str]) -> Naming | None:
        """The naming whose id column the (lowercased) header has, if any; of several (`Id`
        and `id` are one to a case-insensitive match), the one with most of its columns."""
        present = set(header)
        candidates = [naming for naming in self.namings if naming.id_column.lower() in present]
        return max(candidates, key=lambda naming: _columns_present(naming, present), default=None)


def _columns_present(naming: Naming, header: set[str]) -> int:
    columns = [column for found in naming.columns.values() for column in found]
    links = (naming.channel_column, naming.deleted_column, naming.converted_flag_column,
             naming.converted_id_column)  # fmt: skip
    return sum(column.lower() in header for column in [*columns, *links] if column)


SALESFORCE_CONTACT_FIELDS = Naming(
    label="Salesforce API field names",
    columns={
        "contact_id": ("Id",),
        "first_name": ("FirstName",),
        "last_name": ("LastName",),
        "email": ("Email",),
        "phone": ("Phone", "MobilePhone", "HomePhone"),
        "street_address": ("MailingStreet",),
        "city": ("MailingCity",),
        "postal_code": ("MailingPostalCode",),
        "country": ("MailingCountry", "MailingCountryCode"),
        "birth_date": ("Birthdate",),
        "created_at": ("CreatedDate",),
        "updated_at": ("LastModifiedDate",),
    },
    channel_column="LeadSource",
    deleted_column="IsDeleted",
)

SALESFORCE_LEAD_FIELDS = Naming(
    label="Salesforce API field names",
    columns={
        "contact_id": ("Id",),
        "first_name": ("FirstName",),
        "last_name": ("LastName",),
        "email": ("Email",),
        "phone": ("Phone", "MobilePhone"),
        "street_address": ("Street",),
        "city": ("City",),
        "postal_code": ("PostalCode",),
        "country": ("Country", "CountryCode"),
        "birth_date": ("BirthDate",),
        "company_name": ("Company",),
        "created_at": ("CreatedDate",),
        "updated_at": ("LastModifiedDate",),
    },
    channel_column="LeadSource",
    deleted_column="IsDeleted",
    converted_flag_column="IsConverted",
    converted_id_column="ConvertedContactId",
)


def _snake_case(name: str) -> str:
    """An API name as Fivetran writes it: `MailingPostalCode` → `mailing_postal_code`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _snake_cased(naming: Naming) -> Naming:
    """`naming` as Fivetran lands it: every column in snake_case."""
    links = ("channel_column", "deleted_column", "converted_flag_column", "converted_id_column")
    return Naming(
        f"{naming.label.replace('API field names', 'field names')} in snake_case (Fivetran)",
        {field: tuple(map(_snake_case, names)) for field, names in naming.columns.items()},
        **{link: getattr(naming, link) and _snake_case(getattr(naming, link)) for link in links},
    )


SALESFORCE_CONTACT = Preset(
    name="salesforce_contact",
    role="crm",
    description="the Salesforce Contact object's API field names",
    namings=(SALESFORCE_CONTACT_FIELDS, _snake_cased(SALESFORCE_CONTACT_FIELDS)),
)

SALESFORCE_LEAD = Preset(
    name="salesforce_lead",
    role="crm",
    description="the Salesforce Lead object's API field names",
    converts_into_preset="salesforce_contact",
    namings=(SALESFORCE_LEAD_FIELDS, _snake_cased(SALESFORCE_LEAD_FIELDS)),
)

HUBSPOT_PROPERTIES = Naming(
    label="HubSpot internal property names",
    columns={
        "contact_id": ("hs_object_id",),
        "first_name": ("firstname",),
        "last_name": ("lastname",),
        "email": ("email",),
        "phone": ("phone", "mobilephone"),
        "street_address": ("address",),
        "city": ("city",),
        "postal_code": ("zip",),
        "country": ("country",),
        "birth_date": ("date_of_birth",),
        "company_name": ("company",),
        "created_at": ("createdate",),
        "updated_at": ("lastmodifieddate",),
    },
    channel_column="hs_analytics_source",
)
# How ELT connectors land the contact properties in a warehouse table: the record id as `id`,
# each property under a prefix (Fivetran: its dbt_hubspot_source package reads property_email;
# Airbyte: properties_email), and Fivetran's flag for rows deleted in HubSpot.
HUBSPOT_LANDINGS = (
    ("HubSpot properties as Fivetran lands them (property_*)", "property_", "_fivetran_deleted"),
    ("HubSpot properties as Airbyte lands them (properties_*)", "properties_", None),
)


def _landed(naming: Naming, label: str, prefix: str, deleted_column: str | None) -> Naming:
    """`naming` with every property under `prefix`, the record id as `id`."""
    columns = {
        field: ("id",) if field == "contact_id" else tuple(prefix + name for name in names)
        for field, names in naming.columns.items()
    }
    channel = naming.channel_column and prefix + naming.channel_column
    return Naming(label, columns, channel_column=channel, deleted_column=deleted_column)


HUBSPOT_CONTACT = Preset(
    name="hubspot_contact",
    role="crm",
    description="HubSpot contact property names or export column labels",
    namings=(
        HUBSPOT_PROPERTIES,
        *(_landed(HUBSPOT_PROPERTIES, *landing) for landing in HUBSPOT_LANDINGS),
        Naming(
            label="HubSpot export column labels",
            columns={
                "contact_id": ("Record ID",),
                "first_name": ("First Name",),
                "last_name": ("Last Name",),
                "email": ("Email",),
                "phone": ("Phone Number", "Mobile Phone Number"),
                "street_address": ("Street Address",),
                "city": ("City",),
                "postal_code": ("Postal Code", "Zip"),
                "country": ("Country/Region",),
                "birth_date": ("Date of birth",),
                "company_name": ("Company Name",),
                "created_at": ("Create Date",),
                "updated_at": ("Last Modified Date",),
            },
            channel_column="Original Source",
        ),
    ),
)

PRESETS: dict[str, Preset] = {
    preset.name: preset for preset in (SALESFORCE_CONTACT, SALESFORCE_LEAD, HUBSPOT_CONTACT)
}
