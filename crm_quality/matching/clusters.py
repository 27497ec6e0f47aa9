"""Connected components over record links, with ids that stay stable across builds.

A cluster's id is its smallest member key, so a customer keeps its id for as long as that
record exists, whatever else joins or leaves. Components are found with vectorised
min-label propagation (numpy): a million records and their links take about a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

KeyColumn = Iterable[str] | pa.Array | pa.ChunkedArray | np.ndarray | pd.Series


def _as_arrow(values: KeyColumn) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values.cast(pa.large_string())
    if isinstance(values, pd.Series | np.ndarray):
        return pa.array(np.asarray(values, dtype=object), type=pa.large_string())
    return pa.array(list(values), type=pa.large_string())


def _sorted_keys(record_keys: KeyColumn) -> pa.Array:
    """Distinct keys in code-point order (the order of Python and SQL string comparison)."""
    keys = pc.unique(_as_arrow(record_keys))
    return keys.take(pc.sort_indices(keys))


def _positions(keys: pa.Array, values: KeyColumn) -> np.ndarray:
    """Index of each value in the sorted `keys`; a value not among them is a KeyError."""
    values = _as_arrow(values)
    positions = pc.index_in(values, value_set=keys)
    if positions.null_count:
        raise KeyError(values.filter(pc.is_null(positions))[0].as_py())
    return positions.to_numpy(zero_copy_only=False).astype(np.int64)


def _component_labels(size: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """For every node, the smallest node index in its connected component."""
    labels = np.arange(size, dtype=np.int64)
    if left.size == 0:
        return labels
    while True:
        lowest = np.minimum(labels[left], labels[right])
        before = labels.copy()
        np.minimum.at(labels, left, lowest)
        np.minimum.at(labels, right, lowest)
        # Pointer jumping: follow labels to their own labels until nothing moves.
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels, before):
            return labels


def _strings(values: pa.Array) -> pd.Series:
    return pd.Series(values.to_pandas(types_mapper=pd.ArrowDtype), dtype="str")


def _frame(keys: pa.Array, labels: np.ndarray, prefix: str = "") -> pd.DataFrame:
    sizes = np.bincount(labels, minlength=len(keys))[labels] if len(keys) else labels
    return pd.DataFrame(
        {
            f"{prefix}cluster_id": _strings(keys.take(pa.array(labels))),
            f"{prefix}cluster_size": sizes.astype("int64"),
        }
    )


def cluster_records(record_keys: KeyColumn, links: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """Group records joined by links into clusters.

    Returns one row per record key, sorted, with `cluster_id` (the smallest member key, so
    a cluster keeps its id as long as that member exists) and `cluster_size`. Links naming
    an unknown key raise a KeyError: they mean the pairs and the records are out of step.
    """
    keys = _sorted_keys(record_keys)
    pairs = list(links)
    left = _positions(keys, [pair[0] for pair in pairs])
    right = _positions(keys, [pair[1] for pair in pairs])
    labels = _component_labels(len(keys), left, right)
    clusters = _frame(keys, labels)
    clusters.insert(0, "record_key", _strings(keys))
    return clusters


def _split_at_non_matches(
    labels: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    labelled: np.ndarray,
    non_matches: list[tuple[int, int]],
) -> np.ndarray:
    """Components rebuilt where a labelled non-match's records share one (the reference of
    macros/resolution/split_at_labelled_non_matches.sql): labelled matches first, then the
    strongest links first, each joining two groups unless that would put the records of a
    labelled non-match together. A group's label is its smallest node."""
    split = {labels[a] for a, b in non_matches if labels[a] == labels[b]}
    if not split:
        return labels
    group = {node: node for node in np.flatnonzero(np.isin(labels, list(split))).tolist()}
    members = {node: [node] for node in group}
    apart = [(a, b) for a, b in non_matches if labels[a] in split and labels[a] == labels[b]]
    inside = np.flatnonzero(np.isin(labels[left], list(split)))
    order = sorted(
        inside.tolist(),
        key=lambda i: (not labelled[i], -probability[i], left[i], right[i]),
    )
    for i in order:
        first, second = group[int(left[i])], group[int(right[i])]
        if first == second:
            continue
        if not labelled[i] and any({group[a], group[b]} == {first, second} for a, b in apart):
            continue
        kept, moved = min(first, second), max(first, second)
        for node in members[moved]:
            group[node] = kept
        members[kept].extend(members.pop(moved))
    result = labels.copy()
    for node, label in group.items():
        result[node] = label
    return result


def cluster_pairs_at_thresholds(
    record_keys: KeyColumn,
    pairs: pd.DataFrame | pa.Table,
    thresholds: Mapping[str, float],
    labels: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Cluster scored pairs at several match-probability thresholds at once.

    `pairs` has record_key_l, record_key_r and match_probability; a pair links its records
    at a threshold when its probability is at or above it. For each named threshold the
    result has `<name>_cluster_id`, `<name>_cluster_size` and `<name>_match_probability`:
    the record's strongest link at that threshold (null when it has none, a cluster of one).
    One row per record key, sorted by key.

    `labels` (record_key_a, record_key_b, is_match: a steward's review labels; keys not among
    the records are ignored) constrain the clusters as the SQL model does: a labelled match is
    a link of probability 1, a labelled non-match loses its own link and, where other records
    still join its two records, splits that cluster (_split_at_non_matches).
    """
    keys = _sorted_keys(record_keys)
    left = _positions(keys, pairs["record_key_l"])
    right = _positions(keys, pairs["record_key_r"])
    probability = np.asarray(pairs["match_probability"], dtype=np.float64)
    labelled = np.zeros(len(left), dtype=bool)
    non_matches: list[tuple[int, int]] = []
    if labels is not None and len(labels):
        known = pd.DataFrame(labels)
        key_set = set(_strings(keys))
        known = known[known["record_key_a"].isin(key_set) & known["record_key_b"].isin(key_set)]
        first = _positions(keys, known["record_key_a"])
        second = _positions(keys, known["record_key_b"])
        is_match = known["is_match"].astype(bool).to_numpy()
        non_matches = list(zip(first[~is_match].tolist(), second[~is_match].tolist(), strict=True))
        apart = {(min(a, b), max(a, b)) for a, b in non_matches}
        kept = np.array(
            [(min(a, b), max(a, b)) not in apart for a, b in zip(left, right, strict=True)],
            dtype=bool,
        )
        left = np.concatenate([left[kept], first[is_match]])
        right = np.concatenate([right[kept], second[is_match]])
        probability = np.concatenate([probability[kept], np.ones(int(is_match.sum()))])
        labelled = np.concatenate([labelled[kept], np.ones(int(is_match.sum()), dtype=bool)])
    out = pd.DataFrame({"record_key": _strings(keys)})
    for name, threshold in thresholds.items():
        linked = probability >= threshold
        components = _component_labels(len(keys), left[linked], right[linked])
        components = _split_at_non_matches(
            components,
            left[linked],
            right[linked],
            probability[linked],
            labelled[linked],
            non_matches,
        )
        out = pd.concat([out, _frame(keys, components, f"{name}_")], axis=1)
        strongest = np.full(len(keys), -1.0)
        np.maximum.at(strongest, left[linked], probability[linked])
        np.maximum.at(strongest, right[linked], probability[linked])
        out[f"{name}_match_probability"] = pd.array(
            np.where(strongest >= 0, strongest, np.nan), dtype="Float64"
        )
    return out
