"""BCa bootstrap with stepwise re-selection in every replicate, 1,000 replicates plus the
jackknife, on UK 2013, 2 processes. Goal 20 s; SparseMSE 70-900 s."""

import time

from bench_mse_common import UK, report

from htwork.prevalence import CaptureTable, estimate

table = CaptureTable.from_counts(UK)
t0 = time.perf_counter()
r = estimate(table, "stepwise", nboot=1000, seed=2024, n_jobs=2, progress=False)
secs = time.perf_counter() - t0
report("mse_bca_stepwise_1000_uk5", secs, 20.0, "SparseMSE estimatepopulation 70-900 s",
       estimate=round(r.estimate, 1), ci_low=round(r.ci_low, 1), ci_high=round(r.ci_high, 1),
       interval_kind=r.interval_kind)
