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

from dataclasses import dataclass

import numpy as np

__all__ = ["cluster_links", "cluster_joins", "Joins", "pattern_counts"]


@dataclass
class Joins:
    """How the clustering went: which links joined two clusters.

    Attributes
    ----------
    link : ndarray of int
        The links (indices into ``left``/``right``) that joined two clusters, in order.
    lists_a, lists_b : ndarray of int
        Bit masks of the lists of the two clusters each of those links joined.
    """

    link: np.ndarray
    lists_a: np.ndarray
    lists_b: np.ndarray


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
    return cluster_joins(node_list, left, right, keep, order)[0]


def cluster_joins(node_list: np.ndarray, left: np.ndarray, right: np.ndarray,
                  keep: np.ndarray, order: np.ndarray) -> tuple[np.ndarray, Joins]:
    """:func:`cluster_links`, and the record of its joins (:class:`Joins`)."""
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
    joined: list[int] = []
    sides: list[tuple[int, int]] = []
    for e, a, b in zip(sel.tolist(), lft, rgt, strict=True):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if mask[ra] & mask[rb]:     # both hold a record of one list
            continue
        joined.append(e)
        sides.append((mask[ra], mask[rb]))
        if ra < rb:
            parent[rb] = ra
            mask[ra] |= mask[rb]
        else:
            parent[ra] = rb
            mask[rb] |= mask[ra]
    labels = np.fromiter((find(i) for i in range(n)), dtype=np.int64, count=n)
    side = np.array(sides, dtype=np.int64).reshape(-1, 2)
    return labels, Joins(np.array(joined, dtype=np.int64), side[:, 0], side[:, 1])


def pattern_counts(node_list: np.ndarray, labels: np.ndarray, n_lists: int) -> np.ndarray:
    """Counts of persons by capture pattern (bit ``i`` set: on list ``i``), length
    ``2 ** n_lists``; entry 0 is 0."""
    bits = np.zeros(len(labels), dtype=np.int64)
    np.bitwise_or.at(bits, labels, (1 << node_list.astype(np.int64)))
    counts = np.bincount(bits[bits > 0], minlength=1 << n_lists)
    counts[0] = 0
    return counts
