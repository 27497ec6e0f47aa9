"""Entity resolution: turn pairwise links between records into customers."""

from crm_quality.matching.clusters import cluster_records

__all__ = ["cluster_records"]
