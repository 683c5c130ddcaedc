"""Local suppression to k-anonymity.

Goals: <= 0.5 s on 5,000 x 4 keys (k = 3), <= 30 s on 1,000,000 x 6 keys (k = 5); ``minimal``
blanks no more cells than ``sdcmicro``. sdcMicro 5.8.1 measures 2.3-4.1 s on 5,000 records,
about 5 s on 50,000-200,000, and more than 20 minutes on 1,000,000 x 6 at k = 5.
"""

from bench_risk_common import categorical_table, report, timed

from htwork.anonymise.suppression import LocalSuppression
from htwork.risk import frequencies


def run(n, p, k, method, seed, goal, reference, repeat=1):
    df = categorical_table(n, p, seed=seed)
    keys = list(df.columns)
    wall, cpu, ls = timed(lambda: LocalSuppression(keys, k=k, method=method).fit(df), repeat)
    after = frequencies(ls.transform(df), keys).violations(k)
    report(
        f"risk_local_suppression_{method}_{n}x{p}_k{k}",
        wall,
        cpu,
        goal,
        reference,
        records=n,
        keys=p,
        k=k,
        violations_before=ls.violations_before_,
        violations_after=after,
        total_suppressions=ls.total_suppressions_,
        suppressions=ls.suppressions_.to_dict(),
    )
    return ls.total_suppressions_


for seed in (3, 4):
    minimal = run(5_000, 4, 3, "minimal", seed, 0.5, "sdcMicro 2.3-4.1 s", repeat=3)
    parity = run(5_000, 4, 3, "sdcmicro", seed, 0.5, "sdcMicro 2.3-4.1 s", repeat=3)
    print(
        f'{{"minimal_no_more_cells_than_sdcmicro": {str(minimal <= parity).lower()}, '
        f'"minimal": {minimal}, "sdcmicro": {parity}, "seed": {seed}}}',
        flush=True,
    )

for n in (50_000, 200_000):
    run(n, 4, 3, "minimal", 5, 5.0, "sdcMicro about 5 s")
run(1_000_000, 6, 5, "minimal", 6, 30.0, "sdcMicro more than 20 minutes")
