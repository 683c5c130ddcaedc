"""Ceiling study: the best recall any pairwise classifier could reach on the plain fields.

``python benchmarks/bench_linkage_ceiling.py [--records 10000] [--seeds 14 15]
[--dump DIR] [--features plain|encoded]`` prints one JSON object per seed (and a last one with
all seeds).

With ``--features encoded`` the same candidates get features from htwork's encodings alone
(fixed key :data:`ENCODED_KEY`), what the coordinator sees: Dice of the Bloom filters and
htwork's level codes, each keyed field's agreement, the keyed tokens and token keys two records
share and the count of the rarest, each side's tokens and the count of its rarest, how many
records hold each side's name, date and year, and the pair of lists (not which plain rule made
the candidate, nor the scripts). That bounds what any classifier, even one trained on the
truth, can do from the encodings.

The linkage goal (issue 14) asks for pairwise precision >= 0.98 and recall >= 0.95 on four
simulated lists of about 10,000 records (``_simulate`` of ``bench_linkage.py``). This script
measures how much of that is reachable at all from what the lists hold: name, birth date and
sex as written, *in plain text* (no encoding), with a classifier *trained on the simulator's
truth*. It is an optimistic upper bound (an "oracle"), not a linkage method:

1. **Candidates**: pairs of records on different lists that share the normalised full birth
   date (or it with day and month swapped), the birth year and a name token, the day and month
   and a name token, two name tokens, a name token at most ``RARE_TOKEN`` records hold, the
   whole normalised name, or a bracketed nickname with a token or nickname of the other (birth
   years at most one apart or missing); or whose concatenated normalised names have
   Jaro-Winkler >= ``JW_MIN`` with birth years equal, one apart or missing on a side. This is
   a superset of htwork's blocking rules, its token caps lifted, with the Jaro-Winkler rule in
   place of its MinHash bands. True pairs outside the candidates count as missed.
2. **Features** of each pair: string similarities of the normalised names (Jaro-Winkler,
   Jaro, Levenshtein ratio; on the sorted tokens and on their concatenation), token overlap
   (shared, Jaccard, containment, best Jaro-Winkler of each token), how common the names,
   tokens, birth dates and years are, birth-date agreement (parts, swap, year difference,
   what each side holds), sex, script and list of each side, and how many candidates each
   record has.
3. **Cross-fitting by person**: each person falls in one of two folds at random (seeded); a
   pair goes to the fold of its smaller person id, so all true pairs of a person are in one
   fold, and a non-matching pair lies in a fold drawn independently of its features. A
   gradient-boosted classifier trained on one fold scores the other. A second stage adds, from
   the first stage's out-of-fold scores, what a record's other candidates score (the best rival
   on the same list, the pair's rank, support through a third record), as a collective
   linkage would use; it is cross-fitted the same way.
4. **Ceiling**: the largest pairwise recall (over *all* true pairs) at precision >= 0.98 (and
   0.97, 0.99) over thresholds; and the same after clustering the links into persons with one
   record per list (:func:`htwork.linkage.cluster.cluster_links`, most probable link first),
   scored by :func:`htwork.linkage.evaluate.pairwise_quality`. The missed true pairs at that
   point are broken down by birth date and name (the categories of htwork's own misses).

The threshold is chosen on the scored pairs themselves, another optimistic step. Peak memory
is the process's resident peak.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
# OpenMP threads that sleep rather than spin while waiting: on a shared 2-core machine,
# spinning made the gradient boosting five times slower under a load of one other job.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

RARE_TOKEN = 300        # a token at most this many records hold blocks on its own
JW_MIN = 0.85           # Jaro-Winkler of the concatenated names for the fuzzy rule
PRECISIONS = (0.97, 0.98, 0.99)
PERSON_FOLD_SEED = 20261204
RANDOM_STATE = 0
SCRIPTS = ["latin", "thai", "lao", "khmer", "myanmar", "other"]
RULES = {"date": 1, "year_token": 2, "daymonth_token": 4, "token_pair": 8, "rare_token": 16,
         "same_tokens": 32, "jaro_winkler": 64, "nickname": 128}
#: What a name holds in brackets or quotes (a nickname), which normalisation drops.
NICKNAME = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]|\"([^\"]*)\"|“([^”]*)”")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _mark(timings: dict, name: str, since: float) -> None:
    """Record a phase's wall time, and say so on stderr (progress)."""
    timings[name] = round(time.perf_counter() - since, 1)
    print(f"{name} {timings[name]} (peak {_peak_mb():.0f} MB)", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- records


def _nickname_tokens(names: pd.Series) -> list[tuple[str, ...]]:
    """Normalised tokens of what each name holds in brackets or quotes."""
    from htwork.linkage.normalise import normalise_name

    out = []
    for n in names:
        found = NICKNAME.findall(n) if isinstance(n, str) else []
        out.append(tuple(t for groups in found for g in groups if g
                         for t in normalise_name(g)))
    return out


def records_frame(sim) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One row per record (``id`` 0..n-1, lists in order) with its normalised fields; one
    row per distinct name token of a record (``id``, ``tok``, ``tfreq``); one row per token of
    its nickname (``id``, ``tok``)."""
    from htwork.linkage.normalise import (
        detect_script,
        normalise_dob,
        normalise_names,
        normalise_sex,
    )

    lists = list(sim.lists)
    raw = pd.concat([df.assign(list=name, row=df.index) for name, df in sim.lists.items()],
                    ignore_index=True)
    person = sim.truth.set_index(["list", "row"])["person"]
    toks = normalise_names(raw["name"])
    dob = normalise_dob(raw["dob"])
    rec = pd.DataFrame({
        "id": np.arange(len(raw)), "lst": raw["list"].map(lists.index).astype(int),
        "list": raw["list"], "row": raw["row"].astype(int),
        "person": person.loc[list(zip(raw["list"], raw["row"], strict=True))].to_numpy(),
        "tokens": toks, "name_s": [" ".join(t) for t in toks],
        "name_c": ["".join(t) for t in toks], "ntok": [len(set(t)) for t in toks],
        "letters": ["".join(sorted("".join(t))) for t in toks],
        "year": dob["year"].astype("float").to_numpy(),
        "month": dob["month"].astype("float").to_numpy(),
        "day": dob["day"].astype("float").to_numpy(),
        "sex": normalise_sex(raw["sex"]),
        "script": [SCRIPTS.index(detect_script(str(n))) if isinstance(n, str) else 0
                   for n in raw["name"]],
    })
    rec["kind"] = np.select([rec["day"].notna(), rec["month"].notna(), rec["year"].notna()],
                            [3, 2, 1], 0)  # 3 full date, 2 year-month, 1 year, 0 missing
    tok = pd.DataFrame([(i, t) for i, ts in enumerate(toks) for t in set(ts)],
                       columns=["id", "tok"])
    tok["tfreq"] = tok.groupby("tok")["id"].transform("size")
    rec["f_set"] = rec.groupby("name_s")["id"].transform("size").where(rec["ntok"] > 0, 0)
    full = rec["kind"] == 3
    rec["f_date"] = rec[full].groupby(["year", "month", "day"])["id"].transform("size")
    rec["f_year"] = rec.groupby("year")["id"].transform("size")
    rarest = tok.groupby("id")["tfreq"].min()
    rec["rarest_tok"] = rec["id"].map(rarest)
    nick = pd.DataFrame([(i, t) for i, ts in enumerate(_nickname_tokens(raw["name"]))
                         for t in set(ts)], columns=["id", "tok"])
    rec["has_nick"] = rec["id"].isin(nick["id"]).astype(int)
    return rec, tok, nick


def true_pairs(rec: pd.DataFrame) -> pd.DataFrame:
    """Every true pair as record ids ``a`` < ``b``."""
    out = []
    for ids in rec.groupby("person")["id"].apply(list):
        out.extend(combinations(sorted(ids), 2))
    return pd.DataFrame(out, columns=["a", "b"])


# ---------------------------------------------------------------------------- candidates


def _connect(rec: pd.DataFrame, tok: pd.DataFrame, nick: pd.DataFrame):
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    cols = ["id", "lst", "name_s", "name_c", "ntok", "year", "month", "day", "kind", "sex",
            "script", "f_set", "rarest_tok", "f_date", "f_year", "letters", "has_nick"]
    con.register("rec_df", rec[cols])
    con.execute("CREATE TABLE R AS SELECT * REPLACE (year::INT AS year, month::INT AS month,"
                " day::INT AS day) FROM rec_df")
    con.register("tok_df", tok)
    con.execute("CREATE TABLE T AS SELECT t.*, r.year, r.month, r.day, r.lst FROM tok_df t"
                " JOIN R r USING (id)")
    con.register("nick_df", nick)
    con.execute("CREATE TABLE N AS SELECT n.*, r.year, r.lst FROM nick_df n JOIN R r USING (id)")
    return con


def _rule_sql() -> dict[str, str]:
    """One SELECT per blocking rule, giving ``a``, ``b`` (any order, different lists)."""
    cross = "x.id < y.id AND x.lst <> y.lst"
    jw = f"jaro_winkler_similarity(x.name_c, y.name_c) >= {JW_MIN}"
    named = "x.ntok > 0 AND y.ntok > 0"
    return {
        "date": f"""SELECT x.id a, y.id b FROM R x JOIN R y ON x.year = y.year AND {cross}
            WHERE x.kind = 3 AND y.kind = 3 AND ((x.month = y.month AND x.day = y.day)
            OR (x.month = y.day AND x.day = y.month))""",
        "year_token": """SELECT x.id a, y.id b FROM T x JOIN T y ON x.tok = y.tok
            AND x.year = y.year AND x.id < y.id AND x.lst <> y.lst""",
        "daymonth_token": """SELECT x.id a, y.id b FROM T x JOIN T y ON x.tok = y.tok
            AND x.month = y.month AND x.day = y.day AND x.id < y.id AND x.lst <> y.lst""",
        "token_pair": """SELECT x.id a, y.id b FROM T x JOIN T y ON x.tok = y.tok
            AND x.id < y.id AND x.lst <> y.lst GROUP BY ALL HAVING count(*) >= 2""",
        "rare_token": f"""SELECT x.id a, y.id b FROM T x JOIN T y ON x.tok = y.tok
            AND x.id < y.id AND x.lst <> y.lst WHERE x.tfreq <= {RARE_TOKEN}""",
        "same_tokens": f"""SELECT x.id a, y.id b FROM R x JOIN R y ON x.name_s = y.name_s
            AND {cross} WHERE {named}""",
        "jaro_winkler": f"""SELECT x.id a, y.id b FROM R x JOIN R y
            ON y.year BETWEEN x.year - 1 AND x.year + 1 AND {cross} WHERE {named} AND {jw}
            UNION ALL
            SELECT x.id a, y.id b FROM R x JOIN R y ON x.id <> y.id AND x.lst <> y.lst
            WHERE x.year IS NULL AND {named} AND {jw}""",
        "nickname": """SELECT x.id a, y.id b FROM N x JOIN (SELECT id, tok, year, lst FROM T
            UNION ALL SELECT id, tok, year, lst FROM N) y ON x.tok = y.tok AND x.id <> y.id
            AND x.lst <> y.lst WHERE x.year IS NULL OR y.year IS NULL
            OR abs(x.year - y.year) <= 1""",
    }


def candidate_pairs(con) -> dict:
    """Build table ``C`` (``a`` < ``b``, ``rules`` bit mask) and count pairs per rule."""
    parts = [f"SELECT least(a, b) a, greatest(a, b) b, {RULES[name]} rule FROM ({sql})"
             for name, sql in _rule_sql().items()]
    con.execute("CREATE TABLE C AS SELECT a, b, bit_or(rule)::INT rules FROM ("
                + " UNION ALL ".join(parts) + ") GROUP BY a, b ORDER BY a, b")
    counts = {name: con.execute(f"SELECT count(*) FROM C WHERE rules & {bit} <> 0").fetchone()[0]
              for name, bit in RULES.items()}
    return {"total": con.execute("SELECT count(*) FROM C").fetchone()[0], "by_rule": counts}


# ---------------------------------------------------------------------------- features


_PAIR_SQL = """
CREATE TABLE F1 AS
SELECT c.a, c.b, c.rules,
  x.lst * 4 + y.lst AS lists, x.script AS script_a, y.script AS script_b,
  jaro_winkler_similarity(x.name_s, y.name_s) AS jw_s,
  jaro_winkler_similarity(x.name_c, y.name_c) AS jw_c,
  jaro_similarity(x.name_c, y.name_c) AS jaro_c,
  1 - levenshtein(x.name_s, y.name_s) / greatest(length(x.name_s), length(y.name_s), 1)
    AS lev_s,
  1 - levenshtein(x.name_c, y.name_c) / greatest(length(x.name_c), length(y.name_c), 1)
    AS lev_c,
  abs(length(x.name_c) - length(y.name_c)) AS len_diff,
  (x.name_c = y.name_c)::INT AS same_concat, (x.letters = y.letters)::INT AS same_letters,
  x.has_nick + y.has_nick AS nicknames,
  least(x.ntok, y.ntok) AS ntok_min, greatest(x.ntok, y.ntok) AS ntok_max,
  least(x.f_set, y.f_set) AS fset_min, greatest(x.f_set, y.f_set) AS fset_max,
  least(x.rarest_tok, y.rarest_tok) AS rarest_min,
  greatest(x.rarest_tok, y.rarest_tok) AS rarest_max,
  least(x.kind, y.kind) AS kind_min, greatest(x.kind, y.kind) AS kind_max,
  least(x.f_date, y.f_date) AS fdate_min, greatest(x.f_date, y.f_date) AS fdate_max,
  least(x.f_year, y.f_year) AS fyear_min,
  abs(x.year - y.year) AS year_diff,
  (x.month = y.month)::INT AS month_eq, (x.day = y.day)::INT AS day_eq,
  (x.kind = 3 AND y.kind = 3 AND x.month = y.day AND x.day = y.month
   AND x.month <> x.day)::INT AS dm_swapped,
  CASE WHEN x.kind = 0 OR y.kind = 0 THEN 0
       WHEN x.kind < 3 OR y.kind < 3 THEN
         CASE WHEN x.year = y.year THEN 2 WHEN abs(x.year - y.year) = 1 THEN 1 ELSE -1 END
       WHEN x.year = y.year AND x.month = y.month AND x.day = y.day THEN 7
       WHEN x.year = y.year AND x.month = y.day AND x.day = y.month THEN 6
       WHEN abs(x.year - y.year) = 1 AND x.month = y.month AND x.day = y.day THEN 5
       WHEN x.year = y.year AND x.month = y.month THEN 4
       WHEN x.year = y.year THEN 3
       WHEN abs(x.year - y.year) = 1 THEN 1 ELSE -2 END AS date_level,
  CASE WHEN x.sex IS NULL OR y.sex IS NULL THEN 2 WHEN x.sex = y.sex THEN 0 ELSE 1 END
    AS sex_cmp
FROM C c JOIN R x ON x.id = c.a JOIN R y ON y.id = c.b
"""

_TOKEN_SQL = """
CREATE TABLE F2 AS
WITH tp AS (
  SELECT c.a, c.b, x.tok AS ta, y.tok AS tb, x.tfreq AS fa,
         jaro_winkler_similarity(x.tok, y.tok) AS jw
  FROM C c JOIN T x ON x.id = c.a JOIN T y ON y.id = c.b),
ba AS (SELECT a, b, ta, max(jw) AS m, any_value(fa) AS fa FROM tp GROUP BY a, b, ta),
bb AS (SELECT a, b, tb, max(jw) AS m FROM tp GROUP BY a, b, tb),
sa AS (SELECT a, b, avg(m) AS tjw_a_mean, min(m) AS tjw_a_min, max(m) AS tjw_max,
              sum((m >= 0.9)::INT) AS close_a, sum((m = 1)::INT) AS shared,
              min(CASE WHEN m = 1 THEN fa END) AS rare_shared
       FROM ba GROUP BY a, b),
sb AS (SELECT a, b, avg(m) AS tjw_b_mean, min(m) AS tjw_b_min, sum((m >= 0.9)::INT) AS close_b
       FROM bb GROUP BY a, b)
SELECT * FROM sa JOIN sb USING (a, b)
"""

_COUNT_SQL = """
CREATE TABLE F3 AS
WITH e AS (SELECT a AS id, y.lst AS other FROM C JOIN R y ON y.id = C.b
           UNION ALL SELECT b AS id, x.lst AS other FROM C JOIN R x ON x.id = C.a),
per AS (SELECT id, other, count(*) AS n FROM e GROUP BY id, other),
tot AS (SELECT id, sum(n) AS n FROM per GROUP BY id)
SELECT c.a, c.b, ta.n AS ncand_a, tb.n AS ncand_b, pa.n AS ncand_a_there,
       pb.n AS ncand_b_there
FROM C c JOIN R x ON x.id = c.a JOIN R y ON y.id = c.b
JOIN tot ta ON ta.id = c.a JOIN tot tb ON tb.id = c.b
JOIN per pa ON pa.id = c.a AND pa.other = y.lst JOIN per pb ON pb.id = c.b AND pb.other = x.lst
"""

_NICK_SQL = """
CREATE TABLE F4 AS
SELECT a, b, count(*) AS nick_hits FROM (
  SELECT c.a, c.b FROM C c JOIN N n ON n.id = c.a JOIN T t ON t.id = c.b AND t.tok = n.tok
  UNION ALL
  SELECT c.a, c.b FROM C c JOIN N n ON n.id = c.b JOIN T t ON t.id = c.a AND t.tok = n.tok
  UNION ALL
  SELECT c.a, c.b FROM C c JOIN N n ON n.id = c.a JOIN N m ON m.id = c.b AND m.tok = n.tok)
GROUP BY a, b
"""

CATEGORICAL = ["lists", "script_a", "script_b"]


def pair_features(con) -> pd.DataFrame:
    """Features of every candidate pair, ordered by ``a``, ``b``."""
    con.execute(_PAIR_SQL)
    con.execute(_TOKEN_SQL)
    con.execute(_COUNT_SQL)
    con.execute(_NICK_SQL)
    df = con.execute("""SELECT * FROM F1 LEFT JOIN F2 USING (a, b) JOIN F3 USING (a, b)
                        LEFT JOIN F4 USING (a, b) ORDER BY a, b""").df()
    df["nick_hits"] = df["nick_hits"].fillna(0)
    df["jaccard"] = df["shared"] / (df["ntok_min"] + df["ntok_max"] - df["shared"])
    df["contained"] = (df["shared"] == df["ntok_min"]).astype(float)
    for c in df.columns:
        if c not in ("a", "b") and df[c].dtype != np.float32:
            df[c] = df[c].astype(np.float32)
    return df


# ---------------------------------------------------------------------------- encoded features

#: The key of the encoded-feature runs (fixed, so that runs repeat).
ENCODED_KEY = bytes(range(32))
_SETS = ("blk_t", "blk_ty", "blk_tmd", "blk_tp")


def encoded_records(sim, rec: pd.DataFrame, key: bytes = ENCODED_KEY) -> pd.DataFrame:
    """Each record's encoding as the coordinator holds it (row ``i`` is record ``id`` ``i``):
    htwork's encodings of the lists, with the rare tokens and the names no list holds twice
    marked as ``htwork link`` marks them, and the keyed token sets kept whole."""
    from htwork.linkage import encode
    from htwork.linkage.encode import Encoder
    from htwork.linkage.link import _frames_for_engine, _mark_rare_names

    enc = [encode(df, key, name) for name, df in sim.lists.items()]
    frames = _frames_for_engine(enc)
    _mark_rare_names(frames)
    coder = Encoder(key)
    rid_to_id = {}
    for name in sim.lists:
        rows = rec.loc[rec["list"] == name, ["row", "id"]]
        for rid, i in zip(coder.record_ids(name, rows["row"].tolist()), rows["id"], strict=True):
            rid_to_id[rid] = i
    parts = []
    for e, f in zip(enc, frames, strict=True):
        f = f.copy()
        for c in _SETS:
            f[c] = [frozenset(v) if v is not None else frozenset() for v in e.frame[c]]
        f["id"] = f["rid"].map(rid_to_id)
        parts.append(f)
    out = pd.concat(parts, ignore_index=True).sort_values("id").reset_index(drop=True)
    assert (out["id"].to_numpy() == np.arange(len(rec))).all()
    return out


def _shared(sets: list, counts: dict, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray,
                                                                             np.ndarray]:
    """Number of keys two records share, and the count (over all lists) of the rarest."""
    n = np.zeros(len(a), np.float32)
    low = np.zeros(len(a), np.float32)
    for k, (i, j) in enumerate(zip(a.tolist(), b.tolist(), strict=True)):
        s = sets[i] & sets[j]
        if s:
            n[k] = len(s)
            low[k] = min(counts[x] for x in s)
    return n, low


def encoded_features(er: pd.DataFrame, pairs: pd.DataFrame, lst: np.ndarray) -> pd.DataFrame:
    """Features of every candidate pair from the encodings alone: what the coordinator sees."""
    from htwork.linkage._levels import _codes, _encode, _popcount_rows
    from htwork.linkage.link import NAME_LEVELS

    words = sum(c.startswith("bf_") for c in er.columns)
    arr = _encode([er], words)[0]
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    bf = arr["bf"]
    common = _popcount_rows(bf[a] & bf[b]).astype(np.float32)
    pa, pb = _popcount_rows(bf[a]), _popcount_rows(bf[b])
    out = pd.DataFrame({"a": a, "b": b, "lists": lst[a] * 4 + lst[b]})
    out["common"] = common
    out["dice"] = (2 * common / np.maximum(pa + pb, 1)).astype(np.float32)
    lv = _codes(arr, a, arr, b, weight=int(pa.max()), name_levels=NAME_LEVELS)
    for k, v in lv.items():
        out[f"level_{k}"] = v.astype(np.float32)
    for c in ("h_name", "h_single", "h_dob", "h_dob_swap", "h_dob1", "h_ym", "h_y", "h_y1",
              "h_sex", "h_tok"):
        if c not in arr:
            codes, _ = pd.factorize(er[c], use_na_sentinel=True)
            arr[c] = codes
        u, v = arr[c][a], arr[c][b]
        out[f"eq_{c}"] = np.where((u < 0) | (v < 0), -1, (u == v).astype(int)).astype(np.float32)
    kind = np.select([arr["h_dob"] >= 0, arr["h_ym"] >= 0, arr["h_y"] >= 0], [3, 2, 1], 0)
    out["kind_min"] = np.minimum(kind[a], kind[b]).astype(np.float32)
    out["kind_max"] = np.maximum(kind[a], kind[b]).astype(np.float32)
    for c, what in (("h_name", "fname"), ("h_dob", "fdate"), ("h_y", "fyear")):
        cnt = er[c].map(er[c].value_counts()).fillna(0).to_numpy(np.float32)
        out[f"{what}_min"] = np.minimum(cnt[a], cnt[b])
        out[f"{what}_max"] = np.maximum(cnt[a], cnt[b])
    single = er["h_single"].notna().to_numpy()
    out["single"] = (single[a].astype(int) + single[b]).astype(np.float32)
    for c in _SETS:
        sets = er[c].tolist()
        counts = Counter(k for s in sets for k in s)
        n, low = _shared(sets, counts, a, b)
        out[f"{c}_shared"], out[f"{c}_rarest"] = n, low
        if c == "blk_t":
            size = np.array([len(s) for s in sets], np.float32)
            rarest = np.array([min((counts[k] for k in s), default=0) for s in sets],
                              np.float32)
            out["ntok_min"] = np.minimum(size[a], size[b])
            out["ntok_max"] = np.maximum(size[a], size[b])
            out["rarest_min"] = np.minimum(rarest[a], rarest[b])
            out["rarest_max"] = np.maximum(rarest[a], rarest[b])
    return out


# ---------------------------------------------------------------------------- classifier


def person_folds(rec: pd.DataFrame, pairs: pd.DataFrame) -> np.ndarray:
    """Fold (0/1) of each pair: the random fold of its smaller person id."""
    person = rec["person"].to_numpy()
    draw = np.random.default_rng(PERSON_FOLD_SEED).integers(0, 2, person.max() + 1)
    return draw[np.minimum(person[pairs["a"]], person[pairs["b"]])]


def _model():
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=500, learning_rate=0.1, max_leaf_nodes=63, min_samples_leaf=40,
        l2_regularization=1.0, early_stopping=True, validation_fraction=0.1,
        n_iter_no_change=20, categorical_features="from_dtype", random_state=RANDOM_STATE)


def cross_fit(x: pd.DataFrame, y: np.ndarray, fold: np.ndarray) -> np.ndarray:
    """Out-of-fold probabilities of a gradient-boosted classifier (two folds)."""
    x = x.copy()
    for c in CATEGORICAL:
        if c in x.columns:
            x[c] = pd.Categorical(x[c].astype(int))
    p = np.zeros(len(x))
    for k in (0, 1):
        m = _model().fit(x[fold != k], y[fold != k])
        p[fold == k] = m.predict_proba(x[fold == k])[:, 1]
    return p


def rival_features(pairs: pd.DataFrame, rec: pd.DataFrame, p: np.ndarray) -> pd.DataFrame:
    """From first-stage scores: each side's best rival (the best other candidate on the other
    side's list), the pair's rank there, and the best support through a third record."""
    lst = rec["lst"].to_numpy()
    d = pd.DataFrame({"a": pairs["a"].to_numpy(), "b": pairs["b"].to_numpy(), "p": p,
                      "la": lst[pairs["a"]], "lb": lst[pairs["b"]]})
    out = pd.DataFrame({"p1": p.astype(np.float32)})
    for me, other_list in (("a", "lb"), ("b", "la")):
        s = d.sort_values([me, other_list, "p"], ascending=[True, True, False])
        g = s.groupby([me, other_list], sort=False)["p"]
        pos = g.cumcount().to_numpy()
        first = g.transform("first").to_numpy()
        second = g.shift(-1).to_numpy()  # the next one down; on the top row, the second best
        second = np.where(pos == 0, np.nan_to_num(second, nan=0.0), first)
        rival = pd.Series(second, index=s.index).sort_index().to_numpy()
        out[f"rival_{me}"] = rival.astype(np.float32)
        out[f"rank_{me}"] = d.groupby([me, other_list])["p"].rank(
            ascending=False, method="min").to_numpy(np.float32)
    out["support"] = _triangle_support(d).astype(np.float32)
    return out


def _triangle_support(d: pd.DataFrame, floor: float = 0.05) -> np.ndarray:
    """For each pair (a, b): the largest min(p(a, c), p(b, c)) over third records c."""
    e = d.loc[d["p"] >= floor, ["a", "b", "p"]]
    both = pd.concat([e.rename(columns={"a": "u", "b": "v"}),
                      e.rename(columns={"b": "u", "a": "v"})], ignore_index=True)
    t = both.merge(both, on="v", suffixes=("_1", "_2"))
    t = t[t["u_1"] < t["u_2"]]
    t = t.assign(s=np.minimum(t["p_1"], t["p_2"])).groupby(["u_1", "u_2"])["s"].max()
    t.index.names = ["a", "b"]
    key = pd.MultiIndex.from_arrays([d["a"], d["b"]])
    return t.reindex(key).fillna(0.0).to_numpy()


# ---------------------------------------------------------------------------- evaluation


def pairwise_curve(p: np.ndarray, y: np.ndarray, n_true: int) -> pd.DataFrame:
    """Precision and recall (over all ``n_true`` true pairs) when linking pairs with score at
    least each distinct threshold."""
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order]
    tp = np.cumsum(ys)
    n = np.arange(1, len(ps) + 1)
    last = np.r_[ps[1:] != ps[:-1], True]
    return pd.DataFrame({"threshold": ps[last], "precision": tp[last] / n[last],
                         "recall": tp[last] / n_true, "links": n[last]})


def best_at(curve: pd.DataFrame, precision: float) -> dict:
    ok = curve[curve["precision"] >= precision]
    if ok.empty:
        return {"recall": 0.0}
    row = ok.loc[ok["recall"].idxmax()]
    return {"recall": round(float(row["recall"]), 4),
            "precision": round(float(row["precision"]), 4),
            "threshold": float(row["threshold"]), "links": int(row["links"])}


def _cluster(rec, pairs, p, threshold):
    from htwork.linkage.cluster import cluster_links

    order = np.argsort(-p, kind="stable")
    return cluster_links(rec["lst"].to_numpy(), pairs["a"].to_numpy(),
                         pairs["b"].to_numpy(), p >= threshold, order)


def _cluster_quality(labels: np.ndarray, person: np.ndarray, n_true: int) -> tuple:
    found = np.bincount(labels)
    tp = pd.DataFrame({"label": labels, "person": person}).value_counts().to_numpy()
    n_found = int((found * (found - 1) // 2).sum())
    n_tp = int((tp * (tp - 1) // 2).sum())
    return (n_tp / n_found if n_found else 1.0), n_tp / n_true


def clustered_ceiling(rec, pairs, p, n_true) -> dict:
    """Best recall after clustering, per precision target, over a grid of thresholds; the
    chosen points are scored again by :func:`pairwise_quality`."""
    from htwork.linkage.evaluate import pairwise_quality

    person = rec["person"].to_numpy()
    grid = np.unique(np.r_[np.linspace(0.02, 0.98, 49), np.quantile(p[p > 0.02],
                                                                  np.linspace(0, 1, 41))])
    rows = []
    for thr in grid:
        prec, rcl = _cluster_quality(_cluster(rec, pairs, p, thr), person, n_true)
        rows.append((thr, prec, rcl))
    curve = pd.DataFrame(rows, columns=["threshold", "precision", "recall"])
    truth = pd.DataFrame({"list": rec["list"], "rid": rec["row"], "person": person})
    out = {}
    for target in PRECISIONS:
        ok = curve[curve["precision"] >= target]
        if ok.empty:
            out[str(target)] = {"recall": 0.0}
            continue
        thr = float(ok.loc[ok["recall"].idxmax(), "threshold"])
        labels = _cluster(rec, pairs, p, thr)
        q = pairwise_quality(truth.assign(person=labels), truth)
        out[str(target)] = {"recall": round(q.recall, 4), "precision": round(q.precision, 4),
                            "threshold": round(thr, 4), "missed": q.false_negative,
                            "false_links": q.false_positive, "labels": labels}
    return out


def _date_category(ka: int, kb: int, same_full: bool) -> str:
    if min(ka, kb) == 0:
        return "missing"
    if min(ka, kb) < 3:
        return "year_only"
    return "same_full_date" if same_full else "full_dates_differ"


def _name_category(ta: tuple, tb: tuple) -> str:
    if ta == tb:
        return "same_tokens"
    if "".join(ta) == "".join(tb):
        return "joined"
    return "share_some" if set(ta) & set(tb) else "share_none"


def miss_breakdown(rec: pd.DataFrame, missed: pd.DataFrame) -> dict:
    """Missed true pairs by birth date, by name, and the two crossed."""
    kind = rec["kind"].to_numpy()
    ymd = list(zip(rec["year"], rec["month"], rec["day"], strict=True))
    toks = rec["tokens"].tolist()
    cats = [(_date_category(kind[a], kind[b], ymd[a] == ymd[b]),
             _name_category(toks[a], toks[b])) for a, b in zip(missed["a"], missed["b"],
                                                                strict=True)]
    return {"total": len(cats),
            "by_date": dict(Counter(c[0] for c in cats).most_common()),
            "by_name": dict(Counter(c[1] for c in cats).most_common()),
            "crossed": {f"{d}/{n}": k for (d, n), k in Counter(cats).most_common()}}


def _missed_pairs(truth_pairs, pairs, linked_mask) -> pd.DataFrame:
    linked = pairs.loc[linked_mask, ["a", "b"]]
    m = truth_pairs.merge(linked, on=["a", "b"], how="left", indicator=True)
    return m.loc[m["_merge"] == "left_only", ["a", "b"]]


def _missed_after_clustering(truth_pairs, labels) -> pd.DataFrame:
    same = labels[truth_pairs["a"]] == labels[truth_pairs["b"]]
    return truth_pairs[~same]


# ---------------------------------------------------------------------------- the run


def _dump(folder: str, seed: int, rec, missed, pairs, p) -> None:
    """Write the missed true pairs with their fields, for reading (scratch)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    key = pd.MultiIndex.from_arrays([pairs["a"], pairs["b"]])
    score = pd.Series(p, index=key)
    cols = ["list", "name_s", "year", "month", "day", "sex", "f_set"]
    ra = rec.loc[missed["a"], cols].reset_index(drop=True).add_suffix("_a")
    rb = rec.loc[missed["b"], cols].reset_index(drop=True).add_suffix("_b")
    raw_a = rec.loc[missed["a"], "raw"].reset_index(drop=True).rename("raw_a")
    raw_b = rec.loc[missed["b"], "raw"].reset_index(drop=True).rename("raw_b")
    sc = score.reindex(pd.MultiIndex.from_arrays([missed["a"], missed["b"]])).to_numpy()
    pd.concat([raw_a, raw_b, ra, rb, pd.Series(sc, name="p")], axis=1) \
        .to_csv(Path(folder) / f"missed_seed{seed}.csv", index=False)


def _dump_scores(folder: str, seed: int, rec, pairs, p1, p2, y) -> None:
    """Write every candidate pair's out-of-fold scores (scratch, for comparisons)."""
    a, b = pairs["a"].to_numpy(), pairs["b"].to_numpy()
    pd.DataFrame({"list_a": rec["list"].to_numpy()[a], "row_a": rec["row"].to_numpy()[a],
                  "list_b": rec["list"].to_numpy()[b], "row_b": rec["row"].to_numpy()[b],
                  "p1": p1, "p2": p2, "true": y}) \
        .to_parquet(Path(folder) / f"scores_seed{seed}.parquet", index=False)


def run(records: int, seed: int, dump: str | None = None, features: str = "plain") -> dict:
    from bench_linkage import _simulate

    t0 = time.perf_counter()
    timings = {}
    sim = _simulate(records, seed)
    rec, tok, nick = records_frame(sim)
    rec["raw"] = pd.concat([df["name"] for df in sim.lists.values()], ignore_index=True)
    tp_all = true_pairs(rec)
    n_true = len(tp_all)
    _mark(timings, "simulate_normalise_s", t0)

    t = time.perf_counter()
    con = _connect(rec, tok, nick)
    cand = candidate_pairs(con)
    _mark(timings, "candidates_s", t)
    t = time.perf_counter()
    if features == "encoded":
        pairs = con.execute("SELECT a, b, rules FROM C ORDER BY a, b").df()
        con.close()
        er = encoded_records(sim, rec)
        _mark(timings, "encode_s", t)
        feats_df = encoded_features(er, pairs, rec["lst"].to_numpy())
        pairs = pd.concat([feats_df, pairs[["rules"]]], axis=1)
    else:
        pairs = pair_features(con)
        con.close()
    _mark(timings, "features_s", t)

    person = rec["person"].to_numpy()
    y = (person[pairs["a"]] == person[pairs["b"]]).astype(np.int8)
    cand["true_pairs_covered"] = int(y.sum())
    cand["coverage"] = round(int(y.sum()) / n_true, 4)
    cand["true_pairs_by_rule"] = {name: int(y[(pairs["rules"].astype(int) & bit) > 0].sum())
                                  for name, bit in RULES.items()}
    cand["true_pairs_not_covered"] = n_true - int(y.sum())
    fold = person_folds(rec, pairs)
    # the encoded run sees only the encodings: not which plain rule made the candidate
    skip = ("a", "b", "rules") if features == "encoded" else ("a", "b")
    feats = [c for c in pairs.columns if c not in skip]

    t = time.perf_counter()
    p1 = cross_fit(pairs[feats], y, fold)
    _mark(timings, "stage1_s", t)
    t = time.perf_counter()
    x2 = pd.concat([pairs[feats].reset_index(drop=True), rival_features(pairs, rec, p1)],
                   axis=1)
    p2 = cross_fit(x2, y, fold)
    _mark(timings, "stage2_s", t)

    out: dict = {"seed": seed, "features": features, "records": len(rec),
                 "population": sim.n_population,
                 "true_pairs": n_true, "candidates": cand,
                 "fold_sizes": [int((fold == k).sum()) for k in (0, 1)]}
    t = time.perf_counter()
    for name, p in (("stage1_pair_features", p1), ("stage2_with_rivals", p2)):
        curve = pairwise_curve(p, y, n_true)
        res = {"pairwise": {str(q): best_at(curve, q) for q in PRECISIONS}}
        clus = clustered_ceiling(rec, pairs, p, n_true)
        cut = res["pairwise"]["0.98"].get("threshold", 1.1)
        res["missed_pairwise_0.98"] = miss_breakdown(
            rec, _missed_pairs(tp_all, pairs, p >= cut))
        if "labels" in clus["0.98"]:
            miss_c = _missed_after_clustering(tp_all, clus["0.98"]["labels"])
            res["missed_clustered_0.98"] = miss_breakdown(rec, miss_c)
            if dump and name.startswith("stage2"):
                _dump(dump, seed, rec, miss_c, pairs, p)
                _dump_scores(dump, seed, rec, pairs, p1, p2, y)
        res["clustered"] = {k: {kk: vv for kk, vv in v.items() if kk != "labels"}
                            for k, v in clus.items()}
        out[name] = res
    out["missed_not_candidates"] = miss_breakdown(
        rec, _missed_pairs(tp_all, pairs, np.ones(len(pairs), bool)))
    _mark(timings, "evaluate_s", t)
    _mark(timings, "total_s", t0)
    out["timings"] = timings
    out["peak_rss_mb"] = round(_peak_mb(), 1)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=10_000, help="records per list")
    ap.add_argument("--seeds", type=int, nargs="+", default=[14])
    ap.add_argument("--dump", help="folder for the missed pairs of each seed (CSV, scratch)")
    ap.add_argument("--features", choices=("plain", "encoded"), default="plain",
                    help="pair features from the plain fields, or from htwork's encodings "
                         "alone (what the coordinator sees; same candidates)")
    args = ap.parse_args()
    load0 = os.getloadavg()
    results = []
    for seed in args.seeds:
        res = run(args.records, seed, args.dump, args.features)
        print(json.dumps(res, default=str), flush=True)
        results.append(res)
    summary = {"benchmark": "linkage_ceiling", "features": args.features,
               "records": args.records, "seeds": args.seeds,
               "load_average_start": [round(x, 2) for x in load0],
               "load_average_end": [round(x, 2) for x in os.getloadavg()],
               "ceiling_recall_at_0.98": {
                   str(r["seed"]): {
                       "pairwise": r["stage2_with_rivals"]["pairwise"]["0.98"]["recall"],
                       "clustered": r["stage2_with_rivals"]["clustered"]["0.98"]["recall"],
                       "pairwise_stage1": r["stage1_pair_features"]["pairwise"]["0.98"]
                       ["recall"],
                       "coverage": r["candidates"]["coverage"]} for r in results},
               "peak_rss_mb": round(_peak_mb(), 1)}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
