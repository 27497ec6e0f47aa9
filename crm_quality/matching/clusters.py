"""Connected components over record links, with ids that stay stable across builds."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


class _DisjointSet:
    """Union-find with path halving; roots are always the smallest key, which makes ids stable."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._parent = {key: key for key in keys}

    def find(self, key: str) -> str:
        parent = self._parent
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, left: str, right: str) -> None:
        root_left, root_right = self.find(left), self.find(right)
        if root_left == root_right:
            return
        # The smaller key becomes the root, so a cluster's id is its smallest member key.
        if root_right < root_left:
            root_left, root_right = root_right, root_left
        self._parent[root_right] = root_left


def cluster_records(record_keys: Iterable[str], links: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Group records joined by links into clusters.

    Returns one row per record key with `cluster_id` (the smallest member key, so a cluster
    keeps its id as long as that member exists) and `cluster_size`. Links naming an unknown
    key raise a KeyError: they mean the pairs and the records are out of step.
    """
    keys = sorted(set(record_keys))
    components = _DisjointSet(keys)
    for left, right in links:
        components.union(left, right)
    clusters = pd.DataFrame(
        {"record_key": keys, "cluster_id": [components.find(key) for key in keys]}
    )
    clusters["cluster_size"] = clusters.groupby("cluster_id")["record_key"].transform("size")
    return clusters.astype({"cluster_size": "int64"})
