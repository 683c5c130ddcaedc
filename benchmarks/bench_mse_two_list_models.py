"""All 1,024 hierarchical models with two-list terms on UK 2013, with existence and
identifiability checks, ranked by BIC. Goal 0.5 s; Rcapture 15-22 s."""

from bench_mse_common import UK, best_of, cpu_of, report

from htwork.prevalence import CaptureTable, Design, exhaustive

table = CaptureTable.from_counts(UK)
secs, sel = best_of(lambda: exhaustive(Design.of(table), "bic", max_order=2), repeat=3)
cpu = cpu_of(lambda: exhaustive(Design.of(table), "bic", max_order=2))
report("mse_all_two_list_models_uk5", secs, 0.5, "Rcapture closedpMS.t 15-22 s",
       cpu_seconds=round(cpu, 4),
       models=len(sel.considered), best=sel.fit.model.hierarchy(),
       estimate=round(sel.fit.estimate, 1))
