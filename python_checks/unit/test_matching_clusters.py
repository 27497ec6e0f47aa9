"""Clustering of record links into customers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_quality.matching import cluster_records


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
