"""From pairwise links to persons: one record per list per person.

Each agency's list is taken to hold each person once (agencies deduplicate their own lists
before linkage). Clustering therefore joins records greedily, the most probable link first, and
never joins two clusters that both hold a record of the same list (as splink's
``cluster_using_single_best_links``). Plain connected components would chain ``A1-B1-A2`` into
one "person" with two police records, which the capture table cannot hold.

The same function clusters the links kept at a threshold (the linkage) and the links drawn at
random from their probabilities (:mod:`.uncertainty`), so that a linkage whose probabilities are
all 0 or 1 gives the same persons both ways.
"""

from __future__ import annotations

import numpy as np

__all__ = ["cluster_links", "pattern_counts"]


def cluster_links(node_list: np.ndarray, left: np.ndarray, right: np.ndarray,
                  keep: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Cluster records, joining kept links in the given order, one record per list per cluster.

    Parameters
    ----------
    node_list : ndarray of int
        For each record (node ``0..n-1``), the number of its list (0-based, fewer than 63).
    left, right : ndarray of int
        The two records of each link.
    keep : ndarray of bool
        Which links to use.
    order : ndarray of int
        Order in which links are tried (most probable first); a permutation of the links.

    Returns
    -------
    ndarray of int
        Cluster label of each record: the smallest record number in its cluster.
    """
    n = len(node_list)
    parent = list(range(n))
    mask = [1 << int(x) for x in node_list]

    def find(a: int) -> int:
        root = a
        while parent[root] != root:
            root = parent[root]
        while parent[a] != root:
            parent[a], a = root, parent[a]
        return root

    sel = order[keep[order]]
    lft = left[sel].tolist()
    rgt = right[sel].tolist()
    for a, b in zip(lft, rgt, strict=True):
        ra, rb = find(a), find(b)
        if ra == rb or mask[ra] & mask[rb]:
            continue
        if ra < rb:
            parent[rb] = ra
            mask[ra] |= mask[rb]
        else:
            parent[ra] = rb
            mask[rb] |= mask[ra]
    return np.fromiter((find(i) for i in range(n)), dtype=np.int64, count=n)


def pattern_counts(node_list: np.ndarray, labels: np.ndarray, n_lists: int) -> np.ndarray:
    """Counts of persons by capture pattern (bit ``i`` set: on list ``i``), length
    ``2 ** n_lists``; entry 0 is 0."""
    bits = np.zeros(len(labels), dtype=np.int64)
    np.bitwise_or.at(bits, labels, (1 << node_list.astype(np.int64)))
    counts = np.bincount(bits[bits > 0], minlength=1 << n_lists)
    counts[0] = 0
    return counts
