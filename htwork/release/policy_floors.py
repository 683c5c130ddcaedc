"""Floors no release policy can go below, and the rule that a policy must protect someone.

A threshold below its floor checks nothing (``k: 1`` or ``k: -5`` is met by any table,
``min_cell: 1`` publishes counts of one person), so such a policy is refused when it is loaded,
with a sentence naming the threshold and its floor. A policy whose thresholds are all empty
(``thresholds: {}``) or protect nobody on its route is refused too.
"""

from __future__ import annotations

import math
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from htwork.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from htwork.release.policy import Policy

__all__ = ["FLOORS", "PROTECTING", "check_policy", "protection_missing"]

#: threshold -> (kind, lowest allowed, highest allowed, why the floor)
FLOORS: dict[str, tuple[str, float, float | None, str]] = {
    "k": ("whole", 2, None, "k = 1 is met by every table"),
    "global_risk": ("share", 0.0, 1.0, "a risk is a share between 0 and 1"),
    "individual_risk": ("share", 0.0, 1.0, "a risk is a share between 0 and 1"),
    "suda_records": ("whole", 0, None, "a number of records cannot be negative"),
    "l_diversity": ("whole", 2, None, "l = 1 is met by every table"),
    "min_cell": ("whole", 2, None, "a cell of 1 is one person"),
    "rounding": ("whole", 1, None, "counts are rounded to a multiple of at least 1"),
    "anonymeter": ("share", 0.0, 1.0, "an attack's success is a share between 0 and 1"),
}

#: Thresholds that protect people on each route: a policy needs at least one of them.
PROTECTING: dict[str, tuple[str, ...]] = {
    "anonymise": ("k", "global_risk", "individual_risk"),
    "synthesise": ("anonymeter", "k", "global_risk", "individual_risk"),
    "aggregate": ("min_cell",),
}


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def _check_threshold(policy: str, name: str, value: Any) -> None:
    kind, low, high, why = FLOORS[name]
    if kind == "whole":
        if not _is_whole(value) or value < low:
            raise InputError(
                f"policy {policy!r}: threshold {name} must be a whole number of at least "
                f"{low:g}, not {value!r} ({why})",
                hint=f"set {name}: {int(low)} or more, or leave {name} out")
        return
    if not _is_number(value) or not low < value <= high:
        raise InputError(
            f"policy {policy!r}: threshold {name} must be a number above {low:g} and at most "
            f"{high:g}, not {value!r} ({why})",
            hint=f"write {name} as a share, e.g. 0.03 for 3%")


def protection_missing(policy: Policy) -> str | None:
    """The sentence saying why ``policy`` protects nobody, or ``None`` when it does."""
    wanted = PROTECTING[policy.route]
    th = policy.thresholds
    if any(getattr(th, name) is not None for name in wanted):
        return None
    set_ = {f.name: getattr(th, f.name) for f in fields(th) if getattr(th, f.name) is not None}
    shown = ", ".join(f"{k}: {v}" for k, v in set_.items()) or "none"
    return (f"policy {policy.name!r} would publish {policy.route}d data with no protection: "
            f"it sets none of the thresholds that protect people on the {policy.route} route "
            f"({', '.join(wanted)}; thresholds set: {shown}), so any table, however "
            f"identifying, would pass the gate")


def check_policy(policy: Policy) -> None:
    """Refuse a policy with a threshold below its floor or with no protection at all.

    Raises
    ------
    InputError
        Naming the threshold, the value and the floor, or saying why the policy protects nobody.
    """
    th = policy.thresholds
    for f in fields(th):
        value = getattr(th, f.name)
        if value is not None:
            _check_threshold(policy.name, f.name, value)
    if not _is_whole(policy.reporting_length) or policy.reporting_length < 1:
        raise InputError(
            f"policy {policy.name!r}: reporting_length must be a whole number of at least 1, "
            f"not {policy.reporting_length!r}",
            hint="it is the largest number of attributes combined in one published count")
    if not _is_whole(policy.synth_attacks) or policy.synth_attacks < 1:
        raise InputError(
            f"policy {policy.name!r}: synth_attacks must be a whole number of at least 1, "
            f"not {policy.synth_attacks!r}")
    _check_privacy_budget(policy)
    missing = protection_missing(policy)
    if missing:
        wanted = PROTECTING[policy.route]
        raise InputError(missing, hint=f"set at least one of {', '.join(wanted)} under "
                                       f"thresholds (e.g. k: 11), or use a preset")


def _check_privacy_budget(policy: Policy) -> None:
    """``synth_epsilon`` and ``synth_delta``: set exactly when the method is ``dp``, in range."""
    dp = policy.route == "synthesise" and str(policy.synth_method).lower() == "dp"
    eps, delta = policy.synth_epsilon, policy.synth_delta
    if not dp:
        given = [k for k, v in (("synth_epsilon", eps), ("synth_delta", delta)) if v is not None]
        if given:
            raise InputError(
                f"policy {policy.name!r}: {' and '.join(given)} apply only to the synthesise "
                f"route with synth_method: dp (this policy: route {policy.route}, "
                f"synth_method {policy.synth_method})",
                hint="set route: synthesise and synth_method: dp, or leave them out")
        return
    if eps is None:
        raise InputError(
            f"policy {policy.name!r}: synth_method dp needs synth_epsilon, the privacy budget",
            hint="e.g. synth_epsilon: 1 (smaller protects more and keeps less)")
    if not _is_number(eps) or eps <= 0:
        raise InputError(
            f"policy {policy.name!r}: synth_epsilon must be a number above 0, not {eps!r}",
            hint="e.g. synth_epsilon: 1")
    if delta is not None and (not _is_number(delta) or not 0 < delta < 1e-3):
        raise InputError(
            f"policy {policy.name!r}: synth_delta must be above 0 and below 0.001, not "
            f"{delta!r} (it is the chance the guarantee fails: far below one in the number "
            "of people)", hint="e.g. synth_delta: 1e-9, or leave it out")
