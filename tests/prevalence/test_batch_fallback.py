"""A worker process that dies while models are fitted in parallel does not fail the fit."""

from __future__ import annotations

import concurrent.futures

import pytest

from htwork.prevalence.batch import fit_many
from htwork.prevalence.loglinear import Design
from htwork.prevalence.selection import exhaustive


class _DyingPool:
    """Stands for a process pool whose worker is killed (as by the kernel for memory)."""

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    calls = 0

    def map(self, *args, **kwargs):
        _DyingPool.calls += 1
        raise concurrent.futures.process.BrokenProcessPool("a worker was terminated abruptly")


@pytest.mark.slow
def test_a_dead_worker_leaves_the_fits_to_this_process(uk, monkeypatch):
    reference = Design.of(uk)
    exhaustive(reference, "bic", max_order=3, n_jobs=1)
    models = [fit.model for fit in reference._fits.values()]
    assert len(models) >= 2000            # enough for the parallel route
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _DyingPool)
    fits = fit_many(Design.of(uk), models, n_jobs=2)
    assert [f.estimate for f in fits] == pytest.approx(
        [reference._fits[m.terms].estimate for m in models], nan_ok=True)
    assert _DyingPool.calls == 1          # the pool was tried, and died
