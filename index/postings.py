"""Posting lists as the store keeps them: sorted task ids packed as uint32, and the
cut of a list to some documents' id ranges (a search scoped to a jurisdiction)."""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right


def unpack(blob: bytes) -> array:
    out = array("I")
    out.frombytes(blob)
    return out


def restrict(ids: array, only: list[tuple[int, int]] | set[int]) -> array:
    """The ids (sorted) inside the given id ranges (sorted, disjoint) or set."""
    if isinstance(only, set):
        return array("I", (t for t in ids if t in only))
    out = array("I")
    for lo, hi in only:
        out += ids[bisect_left(ids, lo) : bisect_right(ids, hi)]
    return out


def restrict_np(np, ids, only):
    """restrict for a numpy array."""
    if isinstance(only, set):
        return ids[np.isin(ids, np.fromiter(only, dtype=np.uint32, count=len(only)))]
    if not only:
        return ids[:0]
    return np.concatenate([ids[np.searchsorted(ids, lo, "left") : np.searchsorted(ids, hi, "right")] for lo, hi in only])
