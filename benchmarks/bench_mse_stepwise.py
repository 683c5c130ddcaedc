"""Stepwise (SparseMSE rule) on the UK 2013 five-list table. Goal 0.05 s; SparseMSE 0.16 s."""

from bench_mse_common import UK, best_of, cpu_of, report

from htwork.prevalence import CaptureTable, Design, stepwise

table = CaptureTable.from_counts(UK)
secs, sel = best_of(lambda: stepwise(Design.of(table), 0.02), repeat=5)
cpu = cpu_of(lambda: stepwise(Design.of(table), 0.02))
report("mse_stepwise_uk5", secs, 0.05, "SparseMSE 0.16 s", cpu_seconds=round(cpu, 4),
       estimate=round(sel.fit.estimate, 1), model=sel.fit.terms)
