"""Deterministic demo data for the warehouse, with the truth about every record.

`generate(DemoConfig(people=3000, seed=42), "data/demo")` writes the raw CRM, billing and
order exports plus truth_records.csv, truth_defects.csv and truth.json; the command line is
`python -m crm_quality.demo --people N --seed S --out DIR`. `layout="sources"`
(`--layout sources`) writes the CRM as Salesforce, HubSpot and newsletter exports with a
sources.yml instead (crm_sources.py).
"""

from crm_quality.demo.generator import DEFAULT_AS_OF, DemoConfig, DemoGenerator, generate
from crm_quality.demo.pools import country_aliases

__all__ = ["DEFAULT_AS_OF", "DemoConfig", "DemoGenerator", "country_aliases", "generate"]
