"""Clustering of record links, and of scored pairs at thresholds, into customers."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_quality.matching import cluster_records
from crm_quality.matching.clusters import cluster_pairs_at_thresholds


def as_dict(frame) -> dict[str, tuple[str, int]]:
    return {
        row.record_key: (row.cluster_id, row.cluster_size) for row in frame.itertuples(index=False)
    }


def test_links_chain_into_one_cluster_named_by_smallest_key():
    clusters = cluster_records(
        ["crm:3", "crm:2", "billing:9", "crm:7"], [("crm:3", "crm:2"), ("crm:2", "billing:9")]
    )
    assert as_dict(clusters) == {
        "billing:9": ("billing:9", 3),
        "crm:2": ("billing:9", 3),
        "crm:3": ("billing:9", 3),
        "crm:7": ("crm:7", 1),
    }


def test_no_records_gives_empty_frame():
    clusters = cluster_records([], [])
    assert list(clusters.columns) == ["record_key", "cluster_id", "cluster_size"]
    assert clusters.empty


def test_link_to_unknown_record_is_an_error():
    with pytest.raises(KeyError):
        cluster_records(["a"], [("a", "b")])


keys = st.lists(
    st.text(alphabet="abcdef", min_size=1, max_size=3), min_size=1, max_size=30, unique=True
)


@given(keys, st.data())
def test_cluster_ids_do_not_depend_on_link_order(record_keys, data):
    links = data.draw(
        st.lists(st.tuples(st.sampled_from(record_keys), st.sampled_from(record_keys)))
    )
    forward = as_dict(cluster_records(record_keys, links))
    backward = as_dict(
        cluster_records(
            list(reversed(record_keys)), [(right, left) for left, right in reversed(links)]
        )
    )
    assert forward == backward
    for key, (cluster_id, size) in forward.items():
        members = [k for k, (c, _) in forward.items() if c == cluster_id]
        assert cluster_id == min(members) and size == len(members)
        assert key in members


# --- Clustering scored pairs at several thresholds ------------------------------------------


def scored(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["record_key_l", "record_key_r", "match_probability"])


def test_each_threshold_gets_its_own_clusters_and_strongest_links():
    pairs = scored([("a", "b", 0.95), ("b", "c", 0.6), ("d", "e", 0.99), ("a", "f", 0.2)])
    result = cluster_pairs_at_thresholds(
        ["f", "e", "d", "c", "b", "a"], pairs, {"strict": 0.9, "loose": 0.5}
    ).set_index("record_key")
    assert result["strict_cluster_id"].to_dict() == {
        "a": "a", "b": "a", "c": "c", "d": "d", "e": "d", "f": "f"
    }  # fmt: skip
    assert result["loose_cluster_id"].to_dict() == {
        "a": "a", "b": "a", "c": "a", "d": "d", "e": "d", "f": "f"
    }  # fmt: skip
    assert result["loose_cluster_size"].to_dict() == {
        "a": 3, "b": 3, "c": 3, "d": 2, "e": 2, "f": 1
    }  # fmt: skip
    strongest = result["strict_match_probability"]
    assert strongest["a"] == 0.95 and strongest["b"] == 0.95 and strongest["d"] == 0.99
    assert pd.isna(strongest["c"]) and pd.isna(strongest["f"])
    assert result.loc["c", "loose_match_probability"] == 0.6


def test_a_pair_exactly_at_the_threshold_links():
    result = cluster_pairs_at_thresholds(["x", "y"], scored([("x", "y", 0.9)]), {"t": 0.9})
    assert list(result["t_cluster_id"]) == ["x", "x"]


def test_a_scored_pair_naming_an_unknown_record_is_an_error():
    with pytest.raises(KeyError):
        cluster_pairs_at_thresholds(["a"], scored([("a", "zz", 0.99)]), {"t": 0.5})


def reference_clusters(record_keys, links) -> dict[str, str]:
    """Naive connected components: repeatedly merge until nothing changes."""
    label = {key: key for key in record_keys}
    changed = True
    while changed:
        changed = False
        for left, right in links:
            low = min(label[left], label[right])
            for key in (left, right):
                if label[key] != low:
                    label = {k: (low if v == label[key] else v) for k, v in label.items()}
                    changed = True
    return label


@given(keys, st.data())
def test_thresholds_refine_clusters_and_match_a_naive_reference(record_keys, data):
    pairs = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(record_keys),
                st.sampled_from(record_keys),
                st.floats(min_value=0, max_value=1),
            )
        )
    )
    frame = scored(pairs)
    result = cluster_pairs_at_thresholds(record_keys, frame, {"low": 0.3, "high": 0.8})
    for name, threshold in (("low", 0.3), ("high", 0.8)):
        links = [(left, right) for left, right, p in pairs if p >= threshold]
        expected = reference_clusters(record_keys, links)
        assert (
            dict(zip(result["record_key"], result[f"{name}_cluster_id"], strict=True)) == expected
        )
    # Every cluster at the higher threshold lies inside one cluster at the lower one.
    nested = result.groupby("high_cluster_id")["low_cluster_id"].nunique()
    assert (nested == 1).all()
