"""Every hierarchical model of every estimable order (6,893 for five lists) on UK 2013, with
checks, ranked by BIC. Goal 5 s; MultipleSystemsEstimation 35-71 s."""

from bench_mse_common import UK, best_of, cpu_of, report

from htwork.prevalence import CaptureTable, Design, all_models, exhaustive

table = CaptureTable.from_counts(UK)
models = all_models(5)
secs, sel = best_of(lambda: exhaustive(Design.of(table), "bic", models=models), repeat=2)
one, _ = best_of(lambda: exhaustive(Design.of(table), "bic", models=models, n_jobs=1), repeat=2)
cpu = cpu_of(lambda: exhaustive(Design.of(table), "bic", models=models, n_jobs=1))
report("mse_all_orders_uk5", secs, 5.0, "MultipleSystemsEstimation 35-71 s",
       one_process_seconds=round(one, 3), one_process_cpu_seconds=round(cpu, 3),
       models=len(models), usable=len(sel.considered), best=sel.fit.model.hierarchy(),
       estimate=round(sel.fit.estimate, 1))
