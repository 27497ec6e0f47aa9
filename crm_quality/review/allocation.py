"""How many pairs each stratum of the review sample gets.

The strata are the four match bands (macro match_band) and the near misses of missing
customers. Most of the sample goes to the uncertain bands between the lenient and the
conservative thresholds, where labels move the precision estimate most; every other stratum
keeps a share, so each band the estimate weighs has labels of its own.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

NEAR_MISS = "near_miss"
BANDS = ("below_lenient", "lenient_to_headline", "headline_to_conservative", "conservative")
UNCERTAIN_BANDS = ("lenient_to_headline", "headline_to_conservative")
# Each stratum's share of the sample before redistribution: the uncertain bands 70 %.
STRATUM_SHARES: Mapping[str, float] = {
    NEAR_MISS: 0.10,
    "below_lenient": 0.10,
    "lenient_to_headline": 0.35,
    "headline_to_conservative": 0.35,
    "conservative": 0.10,
}


def allocate(
    available: Mapping[str, int], size: int, shares: Mapping[str, float] = STRATUM_SHARES
) -> dict[str, int]:
    """Pairs to draw per stratum: `size` split by `shares` (largest remainders), no stratum
    given more than it has available; what a small stratum cannot take goes to the others in
    proportion to their shares. The total is `size`, or every pair available when fewer."""
    taken = {stratum: 0 for stratum in shares}
    remaining = min(size, sum(max(0, available.get(stratum, 0)) for stratum in shares))
    while remaining > 0:
        open_strata = [s for s in shares if taken[s] < available.get(s, 0) and shares[s] > 0]
        if not open_strata:  # only strata with no share have pairs left: take them in order
            open_strata = [s for s in shares if taken[s] < available.get(s, 0)]
            weights = {s: 1.0 for s in open_strata}
        else:
            weights = {s: shares[s] for s in open_strata}
        total = sum(weights.values())
        exact = {s: remaining * weights[s] / total for s in open_strata}
        portions = {s: math.floor(exact[s]) for s in open_strata}
        by_remainder = sorted(open_strata, key=lambda s: (portions[s] - exact[s], s))
        for stratum in by_remainder[: remaining - sum(portions.values())]:
            portions[stratum] += 1
        for stratum in open_strata:
            grant = min(portions[stratum], available.get(stratum, 0) - taken[stratum])
            taken[stratum] += grant
            remaining -= grant
    return taken
