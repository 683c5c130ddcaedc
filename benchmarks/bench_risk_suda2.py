"""SUDA2 on 5,000 and 1,000,000 records x 4 keys.

Goal: <= 60 s on 1,000,000 x 4; sdcMicro 5.8.1 measures 0.02-0.05 s on 5,000.
"""

from bench_risk_common import categorical_table, report, timed

from htwork.risk import suda2

for n, goal, reference in (
    (5_000, 0.05, "sdcMicro 0.02-0.05 s"),
    (1_000_000, 60.0, "not measured for sdcMicro at this size"),
):
    df = categorical_table(n, 4, seed=2)
    keys = list(df.columns)
    wall, cpu, r = timed(lambda df=df, keys=keys: suda2(df, keys), repeat=3 if n < 10**5 else 1)
    d = r.to_dict()
    report(
        f"risk_suda2_{n}x4",
        wall,
        cpu,
        goal,
        reference,
        records=n,
        keys=4,
        records_above_zero=d["records_above_zero"],
        total_score=d["total_score"],
        contributions={k: round(v, 2) for k, v in d["contributions"].items()},
    )
