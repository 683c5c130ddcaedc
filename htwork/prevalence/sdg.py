"""SDG indicator 16.2.2: detected and undetected victims per 100,000 population."""

from __future__ import annotations

from htwork.errors import InputError
from htwork.prevalence.results import MSEResult

__all__ = ["per_100k", "SDG_CAVEATS"]

SDG_CAVEATS = (
    "closed population: the lists must cover the same people over the same period; people "
    "who arrive, leave or stop being exploited during the year break the model",
    "linkage: the same person must be recognised on every list they are on; missed links "
    "shrink the overlaps and inflate the estimate, false links do the opposite",
    "dependence and heterogeneity: the model can adjust for dependence it can see between the "
    "lists, but not for victims who are invisible to every agency alike, so estimates are "
    "usually too low and their intervals too narrow",
    "definitions: agencies count 'potential victims' by their own criteria",
    "model choice: different defensible models give very different totals; report the "
    "model-aware interval and the sensitivity of the estimate (Whitehead et al. 2021)",
)


def per_100k(result: MSEResult, population: float) -> dict[str, float | str | list[str]]:
    """Express an estimate and its interval per 100,000 population (SDG 16.2.2).

    Parameters
    ----------
    result : MSEResult
        A population-size estimate of victims, observed and unobserved.
    population : float
        The total population of the area and period (same year as the lists).

    Returns
    -------
    dict
        ``rate``, ``rate_low``, ``rate_high`` per 100,000, the interval kind and the caveats.
    """
    if population <= 0:
        raise InputError("population must be positive")
    scale = 100_000 / population
    return {
        "rate": result.estimate * scale,
        "rate_low": result.ci_low * scale,
        "rate_high": result.ci_high * scale,
        "observed_rate": result.observed * scale,
        "interval_kind": result.interval_kind,
        "caveats": list(SDG_CAVEATS),
    }
