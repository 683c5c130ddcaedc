"""Link encoded lists at the coordinator with splink (Fellegi-Sunter), then cluster into persons.

The coordinator receives only the agencies' encodings (:mod:`.encode`). splink compares every
candidate pair of records from different lists on three things:

* **name** — the same folded name (keyed hash; weighted by how common that name is in the
  lists, splink's term-frequency adjustment), else the Dice similarity of the balanced Bloom
  filters, computed in SQL from the 16 64-bit columns (``bit_count(l.bf_i & r.bf_i)`` summed:
  the same integer in DuckDB and Spark), in six levels (>= 0.94, 0.88, 0.82, 0.76, 0.70, else),
  each of the first five split in two: the names share a *rare* token (one at most
  :data:`RARE_TOKEN_MAX` records of all the lists hold, from the keyed tokens ``blk_t``), or
  not. A typo in a rare name with a birth year alone looks like a typo in a common one to the
  filters; the shared rare token tells them apart (:func:`_mark_rare_tokens`);
* **date of birth** — keyed hashes: same date; day and month swapped; same day and month, years
  one apart; same year and month; same year with a date given as the year only; same year (full
  dates that differ); years one apart; else (missing on either side is splink's null level);
* **sex** — keyed hash, same or not.

Candidate pairs come from blocking on keyed fields only: same date of birth, same folded name,
a shared name token with the same birth year, a shared name token with the same birth day and
month, a shared pair of name tokens, or a date equal to the other's date with day and month
swapped; and, for pairs where one record lacks a full birth date, a shared MinHash band of the
name's q-grams (``blk_lsh``: names a typo or a transliteration apart) when sex and birth year do
not disagree. That last rule finds the pairs the others cannot (no date to block on, no exact
token in common); it is bounded to those pairs, and a band key held by more than
:data:`LSH_MAX_BLOCK` records is dropped, so that it adds a fifth to a half to the candidates.

The u probabilities (how often each level occurs among pairs that are not the same person) are
estimated from random pairs of records drawn with a seeded generator on the coordinator's side
(:mod:`._levels`), so that every engine gets the same u. The m probabilities are estimated by
expectation maximisation (EM) on the pairs with the same birth date for the name and sex (on
large lists, where matches are few among those pairs, the name's by moments on them instead:
:func:`name_m_from_block`), and by moments on the pairs sharing a rare name for the date
(:func:`dob_m_from_block`). The prior (the probability that two
random records match) comes from deterministic rules (same name and same birth date), and is
settled on the scored pairs. Random pairs hold the true matches too, which at the rarest levels
(same name, same date) are most of the count: after training, the matches the model expects are
taken out of the random pairs' counts (:func:`._levels.correct_u`) and m is trained again, twice.

Work at scale. The candidate pairs and their comparison levels do not depend on the model, so
they are found and compared once (:func:`_comparison_vectors`) and each round's model scores the
stored comparison vectors. A pair's match weight depends only on its levels (and on the name's
frequency at the "same name" level), so the prior is settled on the counts of the distinct
weights, and only the pairs at or above ``min_probability`` leave the engine. On DuckDB the
lists are copied into tables once, DuckDB spills to a temporary folder of its own (removed
afterwards), and the pairs are written there as Parquet, as record numbers, and read back after
DuckDB has closed (its memory and the pandas table are not held at once); they are put in the
canonical order in numpy, their strings taken from the record table. The one step
that depends on the size of the lists: the pairs with the same birth date (the first EM
session) grow with the square of the lists, and above :data:`EM_MAX_PAIRS` of them (about
330,000 records on four lists) that session trains on splink's deterministic hash-sample of the
records instead of all of them; below it nothing changes. The sample is drawn with the engine's
own hash, so beyond that size DuckDB and Spark train on different samples. The blocking rules
do not depend on the size of the lists.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import math
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.results import Result
from htwork.errors import InputError
from htwork.linkage._levels import block_level_counts, correct_u, estimate_u
from htwork.linkage.cluster import cluster_links, pattern_counts
from htwork.linkage.encode import (
    BLOCK_COLUMNS,
    FIELD_COLUMNS,
    LIST_COLUMNS,
    EncodedList,
    read_encoded,
)
from htwork.linkage.true_pairs import missed_link_stats

__all__ = ["link", "link_files", "LinkResult", "read_links", "model_settings", "ENGINES",
           "NAME_LEVELS", "LINKS_FORMAT", "name_coincidence"]

ENGINES = ("duckdb", "spark")
LINKS_FORMAT = "htwork-linkage-links"
LINKS_VERSION = 1
#: Dice thresholds of the name comparison levels.
NAME_LEVELS = (0.94, 0.88, 0.82, 0.76, 0.70)
#: Starting m probabilities (non-null levels, most similar first); EM moves them, and keeps a
#: starting value only for a level its training pairs never show.
M_START = {"name": (0.40, 0.15, 0.05, 0.04, 0.03, 0.02, 0.05, 0.03, 0.02, 0.02, 0.04, 0.02,
                    0.02, 0.01, 0.02, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.005, 0.01),
           "dob": (0.62, 0.02, 0.02, 0.04, 0.15, 0.05, 0.05, 0.05),
           "sex": (0.97, 0.03)}
#: Fewest pairs sharing a rare name (with a birth date on both sides) to estimate the m of the
#: birth-date levels from (:func:`dob_m_from_block`).
DOB_MIN_PAIRS = 30
#: Smallest m of a birth-date level: a level no match shows in the block still allows for a few
#: (a true pair with dates years apart weighs about 10 bits against).
DOB_M_FLOOR = 0.001
#: Fewest pairs (same birth date, across lists and within them) to estimate the name's m from.
NAME_MIN_PAIRS = 1000
#: The name's m is taken by moments only where the matches are fewer than this share of the
#: pairs with the same birth date; above it EM's m are kept. On four simulated lists of 12,000
#: records (a share of 0.37) EM's m lie within 0.002 of the truth, and the moments, which rest
#: on sex and on pairs of one list standing for different people of other lists, put seeds 20
#: and 21 about a point further from the true links' estimate; on four of 88,000 (0.07) EM's
#: are 50% high at the weaker levels and the moments within 0.003.
NAME_MOMENTS_BELOW = 0.2
#: Smallest m of a name level estimated by moments.
NAME_M_FLOOR = 0.0005
#: Above this estimated share of different people among the pairs sharing a name, ``link`` warns.
#: On four simulated lists (seed 14) the estimate corrected for missed links was 2.3% low at 0.76
#: (29,000 records a list), 3.7% low at 0.86 (53,000), 6.0% low at 0.91 (88,000) and 8.6% low at
#: 0.99 (295,000): the correction merges too many clusters there (see ``benchmarks/README.md``).
NAME_COINCIDENCE_WARN = 0.8
#: Random pairs of records (from different lists) used to estimate the u probabilities.
U_PAIRS = 2_000_000
#: Rounds that take the expected true matches out of the random pairs' u (see :func:`link`).
U_ROUNDS = 2
#: Most pairs with the same birth date that the first EM session trains on. Those pairs grow
#: with the square of the lists (72,172 on four lists of ~12,000 records, 1.9 million on four
#: of ~74,000, 29 million on four of ~295,000) while a few million settle the m probabilities
#: of the name and sex; beyond this many, splink trains on the pairs of a deterministic
#: hash-sample of the records (``max_pairs``), drawn by the engine's own hash function.
EM_MAX_PAIRS = 2_500_000


#: The MinHash blocking rule: a shared band, one record without a full birth date, and sex and
#: birth year (or years one apart) not disagreeing.
LSH_RULE = ("l.blk_lsh = r.blk_lsh AND (l.h_dob IS NULL OR r.h_dob IS NULL)"
            " AND (l.h_sex IS NULL OR r.h_sex IS NULL OR l.h_sex = r.h_sex)"
            " AND (l.h_y IS NULL OR r.h_y IS NULL OR l.h_y = r.h_y OR l.h_y1 = r.h_y"
            " OR l.h_y = r.h_y1)")


#: A MinHash key held by more records than this (all lists together) is not blocked on: such a
#: band is a few grams common to many names (on four lists of ~12,000 it would add 1.3 million
#: candidate pairs, more than twice the other rules', for 1,257 true pairs; capped at 100 it adds
#: 0.12 million for 1,015 of them), and its pairs grow with the square of the lists.
LSH_MAX_BLOCK = 100

#: The same for the name-token keys (``blk_ty``, ``blk_tmd``, ``blk_tp``): a token with a year,
#: a day and month, or another token held by more records than this is a common name part
#: (NGUYEN with THI) whose pairs grow with the square of the lists; its records still meet
#: through the other rules (the exact name, the date, the other tokens).
TOKEN_MAX_BLOCK = 100

#: A name token held by at most this many records of all the lists together is rare: two names
#: sharing one get name levels of their own (:func:`_mark_rare_tokens`).
RARE_TOKEN_MAX = 100
#: A name token held by at most this many records of all the lists together is very rare: the
#: name levels are split on whether either name holds one (``rt_low``, :func:`_mark_rare_tokens`).
RARER_TOKEN_MAX = 30
#: Rare tokens kept per record (rarest first) for the comparison.
RARE_TOKENS = 3
#: Columns of the rare tokens.
RARE_TOKEN_COLUMNS = [f"h_rt{j + 1}" for j in range(RARE_TOKENS)]
#: Two names share a rare token (any of each side's :data:`RARE_TOKENS`).
SHARE_RARE = "(" + " OR ".join(f"h_rt{i + 1}_l = h_rt{j + 1}_r" for i in range(RARE_TOKENS)
                               for j in range(RARE_TOKENS)) + ")"
#: Either name holds a very rare token (:data:`RARER_TOKEN_MAX`).
HOLDS_RARER = "(rt_low_l = 1 OR rt_low_r = 1)"

#: Birth dates that do not contradict each other: missing on either side, or one of the date
#: levels above "dates differ".
DATES_AGREE = ("(h_y_l IS NULL OR h_y_r IS NULL OR h_dob_l = h_dob_r OR h_dob_swap_l = h_dob_r"
               " OR h_dob_l = h_dob_swap_r OR h_dob1_l = h_dob_r OR h_dob_l = h_dob1_r"
               " OR h_ym_l = h_ym_r OR h_y_l = h_y_r"
               " OR h_y1_l = h_y_r OR h_y_l = h_y1_r)")


def _check_lists(encoded: Sequence[EncodedList]) -> None:
    if len(encoded) < 2:
        raise InputError(f"linkage needs at least two encoded lists; got {len(encoded)}",
                         hint="give one encoding per agency")
    names = [e.list_name for e in encoded]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"two encodings carry the same list name: {', '.join(dupes)}",
                         hint="each agency encodes its list under its own name "
                         "(htwork encode ... --list-name NAME)")
    fps = {e.key_fingerprint for e in encoded}
    if len(fps) > 1:
        groups: dict[str, list[str]] = {}
        for e in encoded:
            groups.setdefault(e.key_fingerprint, []).append(e.list_name)
        txt = "; ".join(f"key {fp}: {', '.join(v)}" for fp, v in groups.items())
        raise InputError(
            f"the lists were encoded with different keys ({txt}); records encoded with "
            "different keys never match", hint="every agency must encode with the same key "
            "file; ask the agency with the odd key to encode again")
    specs = {json.dumps(e.meta.get("bloom"), sort_keys=True) for e in encoded}
    if len(specs) > 1:
        raise InputError("the lists were encoded with different Bloom filter parameters",
                         hint="encode every list with the same htwork version and settings")
    lshs = {json.dumps(e.meta.get("lsh"), sort_keys=True) for e in encoded}
    if len(lshs) > 1:
        raise InputError("the lists were encoded with different MinHash blocking parameters",
                         hint="encode every list with the same htwork version and settings")
    norms = {e.meta.get("normalisation", {}).get("version") for e in encoded}
    if len(norms) > 1:
        raise InputError("the lists were normalised by different versions of htwork",
                         hint="encode every list with the same htwork version")
    for e in encoded:
        if len(e) == 0:
            raise InputError(f"the encoded list {e.list_name!r} is empty")


def _dice_sql(words: int) -> str:
    return " + ".join(f"CAST(bit_count(bf_{i}_l & bf_{i}_r) AS INTEGER)" for i in range(words))


def model_settings(words: int = 16, weight: int = 512) -> dict[str, Any]:
    """The splink settings of the linkage model (comparisons, blocking rules).

    Parameters
    ----------
    words : int
        Number of 64-bit Bloom filter columns.
    weight : int
        Number of bits set in every balanced filter (the Dice denominator).

    Returns
    -------
    dict
        A splink settings dictionary (``link_only``, unique id ``rid``).
    """
    common = f"({_dice_sql(words)})"
    name_levels: list[dict[str, Any]] = [
        {"sql_condition": "bf_0_l IS NULL OR bf_0_r IS NULL", "label_for_charts": "name missing",
         "is_null_level": True},
        {"sql_condition": f"h_single_l = h_single_r AND {DATES_AGREE}",
         "label_for_charts": "same name, which no list holds twice; dates do not differ"},
        {"sql_condition": "h_name_l = h_name_r", "label_for_charts": "same name",
         "tf_adjustment_column": "h_name", "tf_adjustment_weight": 1.0},
    ]
    # each band of similarity split on whether the names share a rare token, and on whether
    # either holds a very rare one (_mark_rare_tokens)
    # (the cheap equalities first: the engine then sums the Dice bits only for the pairs
    # that pass them, not four times for every pair of each band)
    low = f"a token at most {RARER_TOKEN_MAX} records hold"
    for t in NAME_LEVELS:
        need = math.ceil(t * weight)
        for cond, label in ((f"{SHARE_RARE} AND {HOLDS_RARER} AND ",
                             f", a rare token shared, {low}"),
                            (f"{SHARE_RARE} AND ", ", a rare token shared"),
                            (f"{HOLDS_RARER} AND ", f", {low}"), ("", "")):
            name_levels.append({"sql_condition": f"{cond}{common} >= {need}",
                                "label_for_charts": f"Dice >= {t}{label}"})
    name_levels.append({"sql_condition": "ELSE", "label_for_charts": "names differ"})
    for lev, m in zip(name_levels[1:], M_START["name"], strict=True):
        lev["m_probability"] = m
    dob_levels: list[dict[str, Any]] = [
        {"sql_condition": "h_y_l IS NULL OR h_y_r IS NULL", "label_for_charts": "date missing",
         "is_null_level": True},
        {"sql_condition": "h_dob_l = h_dob_r", "label_for_charts": "same date"},
        {"sql_condition": "h_dob_swap_l = h_dob_r OR h_dob_l = h_dob_swap_r",
         "label_for_charts": "day and month swapped"},
        {"sql_condition": "h_dob1_l = h_dob_r OR h_dob_l = h_dob1_r",
         "label_for_charts": "same day and month, years one apart"},
        {"sql_condition": "h_ym_l = h_ym_r", "label_for_charts": "same year and month"},
        # a year that agrees is all a date given as the year only can show, and true pairs
        # show it far more often than pairs of full dates that differ in the same year: one
        # level for both made such pairs look weak (on four lists of 10,000, most of the true
        # pairs missed with a near-identical name had a year only on one side)
        {"sql_condition": "h_y_l = h_y_r AND (h_dob_l IS NULL OR h_dob_r IS NULL)",
         "label_for_charts": "same year, a date given as the year only"},
        {"sql_condition": "h_y_l = h_y_r", "label_for_charts": "same year"},
        {"sql_condition": "h_y1_l = h_y_r OR h_y_l = h_y1_r",
         "label_for_charts": "years one apart"},
        {"sql_condition": "ELSE", "label_for_charts": "dates differ"},
    ]
    for lev, m in zip(dob_levels[1:], M_START["dob"], strict=True):
        lev["m_probability"] = m
    sex_levels: list[dict[str, Any]] = [
        {"sql_condition": "h_sex_l IS NULL OR h_sex_r IS NULL", "label_for_charts": "sex missing",
         "is_null_level": True},
        {"sql_condition": "h_sex_l = h_sex_r", "label_for_charts": "same sex"},
        {"sql_condition": "ELSE", "label_for_charts": "sex differs"},
    ]
    for lev, m in zip(sex_levels[1:], M_START["sex"], strict=True):
        lev["m_probability"] = m
    return {
        "link_type": "link_only",
        "unique_id_column_name": "rid",
        "comparisons": [
            {"output_column_name": "name", "comparison_levels": name_levels,
             "comparison_description": "Dice similarity of the keyed name Bloom filters"},
            {"output_column_name": "dob", "comparison_levels": dob_levels,
             "comparison_description": "keyed hashes of the birth date and its parts"},
            {"output_column_name": "sex", "comparison_levels": sex_levels,
             "comparison_description": "keyed hash of sex"},
        ],
        "blocking_rules_to_generate_predictions": [
            "l.h_dob = r.h_dob",
            "l.h_name = r.h_name",
            {"blocking_rule": "l.blk_ty = r.blk_ty", "arrays_to_explode": ["blk_ty"]},
            {"blocking_rule": "l.blk_tmd = r.blk_tmd", "arrays_to_explode": ["blk_tmd"]},
            {"blocking_rule": "l.blk_tp = r.blk_tp", "arrays_to_explode": ["blk_tp"]},
            "l.h_dob_swap = r.h_dob",
            {"blocking_rule": LSH_RULE, "arrays_to_explode": ["blk_lsh"]},
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
        "em_convergence": 0.0001,
        "max_iterations": 25,
    }


@dataclass
class LinkResult(Result):
    """Pairwise match probabilities, persons (clusters) and the capture table.

    Attributes
    ----------
    pairs : DataFrame
        ``list_l``, ``rid_l``, ``list_r``, ``rid_r``, ``match_weight``, ``match_probability``:
        every candidate pair splink scored above ``min_probability``.
    clusters : DataFrame
        ``list``, ``rid``, ``person``: one row per record; ``person`` numbers the clusters.
    capture : htwork.prevalence.CaptureTable
        Persons by pattern of lists.
    lists : list of str
        The lists, in order.
    meta : dict
        Engine, threshold, record counts, the key fingerprint, the trained model's parameters
        and timings.
    """

    pairs: pd.DataFrame
    clusters: pd.DataFrame
    capture: Any
    lists: list[str]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def threshold(self) -> float:
        return float(self.meta["threshold"])

    def _data(self) -> dict[str, Any]:
        return {"lists": self.lists, "records": self.meta.get("records"),
                "pairs_scored": len(self.pairs),
                "links": int((self.pairs["match_probability"] >= self.threshold).sum()),
                "persons": int(self.clusters["person"].nunique()),
                "threshold": self.threshold, "engine": self.meta.get("engine"),
                "capture_table": self.capture.to_dict()["counts"]}

    def to_frame(self) -> pd.DataFrame:
        return self.capture.to_frame(include_zero=False)

    def summary(self) -> str:
        d = self.to_dict()
        return (f"Linkage of {len(self.lists)} lists ({', '.join(self.lists)}) on "
                f"{d['engine']}: {sum(d['records'].values()):,} records, "
                f"{d['pairs_scored']:,} pairs scored, {d['links']:,} links at probability >= "
                f"{self.threshold}, {d['persons']:,} persons\n{self.capture.summary()}")

    def __repr__(self) -> str:
        d = self.to_dict()
        return (f"LinkResult(lists={self.lists}, persons={d['persons']}, links={d['links']}, "
                f"engine={d['engine']!r})")

    def _repr_html_(self) -> str:
        return (f"<p><b>Linkage</b>: {len(self.lists)} lists, "
                f"{self.to_dict()['persons']:,} persons</p>" + self.capture._repr_html_())

    def save(self, out_dir: str | Path, *, replace: bool = False) -> Path:
        """Write ``pairs.parquet``, ``clusters.parquet``, ``capture.csv`` (read by
        ``htwork mse``), ``model.json`` and ``summary.json`` into ``out_dir`` (atomically)."""
        from htwork.io import atomic_folder, write_csv, write_parquet

        with atomic_folder(out_dir, replace=replace) as tmp:
            write_parquet(self.pairs, tmp / "pairs.parquet")
            write_parquet(self.clusters, tmp / "clusters.parquet")
            write_csv(self.capture.to_frame(include_zero=True), tmp / "capture.csv")
            (tmp / "model.json").write_text(
                json.dumps(self.meta.get("model", {}), indent=1, sort_keys=True) + "\n",
                encoding="utf-8")
            summary = {k: v for k, v in self.meta.items() if k != "model"}
            summary.update({"format": LINKS_FORMAT, "version": LINKS_VERSION,
                            "lists": self.lists})
            (tmp / "summary.json").write_text(json.dumps(summary, indent=1, sort_keys=True)
                                              + "\n", encoding="utf-8")
        return Path(out_dir)


def read_links(links_dir: str | Path) -> LinkResult:
    """Read a folder written by :func:`link_files` / :meth:`LinkResult.save`.

    Raises
    ------
    htwork.errors.InputError
        A missing folder or file, or a folder not written by ``htwork link``.
    """
    from htwork.prevalence import CaptureTable

    d = Path(links_dir)
    if not d.is_dir():
        raise InputError("the links folder does not exist", file=d,
                         hint="give the folder written by 'htwork link ... --out FOLDER'")
    need = ["pairs.parquet", "clusters.parquet", "capture.csv", "summary.json"]
    missing = [f for f in need if not (d / f).is_file()]
    if missing:
        raise InputError(f"the links folder lacks {', '.join(missing)}", file=d,
                         hint="give the folder written by 'htwork link'")
    try:
        meta = json.loads((d / "summary.json").read_text(encoding="utf-8"))
    except ValueError:
        raise InputError("summary.json is not valid JSON", file=d / "summary.json") from None
    if meta.get("format") != LINKS_FORMAT or meta.get("version") != LINKS_VERSION:
        raise InputError("this folder was not written by this version of 'htwork link'",
                         file=d, hint="link the encoded lists again")
    pairs = pd.read_parquet(d / "pairs.parquet")
    clusters = pd.read_parquet(d / "clusters.parquet")
    capture = CaptureTable.from_counts(d / "capture.csv")
    model = {}
    if (d / "model.json").is_file():
        model = json.loads((d / "model.json").read_text(encoding="utf-8"))
    meta["model"] = model
    return LinkResult(pairs, clusters, capture, list(meta["lists"]), meta)


def _spark_session(master: str | None = None):
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.appName("htwork-linkage")
               .master(master or "local[2]")
               .config("spark.sql.shuffle.partitions", "8")
               .config("spark.default.parallelism", "4")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.sql.session.timeZone", "UTC"))
    spark = builder.getOrCreate()
    if not spark.sparkContext.getCheckpointDir():
        import tempfile

        # splink checkpoints intermediate tables; a folder of the session's own
        spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="htwork-spark-"))
    return spark


def _frames_for_engine(encoded: Sequence[EncodedList],
                       extra: Sequence[str] = ()) -> list[pd.DataFrame]:
    """The columns splink reads, block keys as lists; MinHash keys held by more than
    :data:`LSH_MAX_BLOCK` records of all the lists together are dropped, and name-token keys
    held by more than :data:`TOKEN_MAX_BLOCK`."""
    words = encoded[0].meta["bloom"]["stored_bits"] // 64
    cols = ["rid", *[f"bf_{i}" for i in range(words)], *FIELD_COLUMNS, *LIST_COLUMNS, *extra]
    out = []
    for e in encoded:
        df = e.frame[cols].copy()
        for c in LIST_COLUMNS:
            df[c] = [list(v) if v is not None else [] for v in df[c]]
        out.append(df)
    _mark_rare_tokens(out)
    for col in BLOCK_COLUMNS:
        _drop_common_keys(out, col, LSH_MAX_BLOCK if col == "blk_lsh" else TOKEN_MAX_BLOCK)
    return out


def _mark_rare_tokens(frames: list[pd.DataFrame]) -> None:
    """Replace the keyed name tokens (``blk_t``) by ``h_rt1`` ... ``h_rtK`` (:data:`RARE_TOKENS`
    of them): the record's tokens that at most :data:`RARE_TOKEN_MAX` records of all the lists
    hold, rarest first (then by key), None where the name has fewer.

    Two records sharing such a token are far more often one person than the name's similarity
    alone says: on four simulated lists of 10,000, of the pairs with a year alone on one side and
    similar names (a level where 27% are one person) 85% were one person when they shared a token
    at most 100 records hold, 10% when they shared only commoner ones. The name levels are split
    on it (:func:`model_settings`). Scalar columns, not a list, so that the comparison is plain
    equality on every engine.

    Also ``rt_low``: 1 where the record's rarest token is held by at most
    :data:`RARER_TOKEN_MAX` records, else 0. The name levels are split on either record holding
    one, shared or not: on the same lists (seed 14), of the pairs with Dice >= 0.94 sharing no
    rare token, 0.13-0.45 were one person when a name held a token at most 30 records hold
    and under 0.01 otherwise (a token that rare is often a typo or a spelling of its own, so the
    true pair sits in a lower band than usual; or a rare name, with fewer look-alikes). The
    m and u of the split levels are estimated like the others'; nothing more leaves the
    agencies."""
    counts = pd.Series([k for df in frames for v in df["blk_t"] for k in v],
                       dtype=object).value_counts()
    rare = counts[counts <= RARE_TOKEN_MAX].to_dict()
    for df in frames:
        picked = [sorted((k for k in v if k in rare), key=lambda k: (rare[k], k))[:RARE_TOKENS]
                  for v in df["blk_t"]]
        for j in range(RARE_TOKENS):
            df[f"h_rt{j + 1}"] = pd.Series([p[j] if len(p) > j else None for p in picked],
                                           index=df.index, dtype=object)
        df["rt_low"] = np.array([int(bool(p) and rare[p[0]] <= RARER_TOKEN_MAX) for p in picked],
                                dtype=np.int64)
        del df["blk_t"]


def _drop_common_keys(frames: Sequence[pd.DataFrame], col: str, most: int) -> None:
    """Drop from every record's ``col`` the keys held by more than ``most`` records of all the
    lists together."""
    counts = pd.Series([k for df in frames for v in df[col] for k in v],
                       dtype=object).value_counts()
    common = set(counts.index[counts > most])
    if common:
        for df in frames:
            df[col] = [[k for k in v if k not in common] if v else v for v in df[col]]


#: Jaro-Winkler thresholds of the plain-name comparison (benchmarks only).
PLAIN_LEVELS = (0.97, 0.93, 0.88, 0.82, 0.75)


def _plain_name_levels(settings_dict: dict[str, Any], inputs: Any, u_pairs: int,
                       seed: int) -> None:
    """Swap the Bloom filter levels for Jaro-Winkler levels on ``name_plain`` and estimate
    their u by splink's seeded random sampling (benchmarks only)."""
    from splink import Linker, SettingsCreator

    comp = next(c for c in settings_dict["comparisons"] if c["output_column_name"] == "name")
    levels = comp["comparison_levels"][:3]
    for t, m in zip(PLAIN_LEVELS, M_START["name"][2:], strict=False):
        levels.append({"sql_condition": f"jaro_winkler_similarity(name_plain_l, name_plain_r)"
                                        f" >= {t}", "label_for_charts": f"Jaro-Winkler >= {t}",
                       "m_probability": m})
    levels.append({"sql_condition": "ELSE", "label_for_charts": "names differ",
                   "m_probability": M_START["name"][-1]})
    levels[0]["sql_condition"] = "name_plain_l IS NULL OR name_plain_r IS NULL"
    comp["comparison_levels"] = levels
    comp["comparison_description"] = "Jaro-Winkler similarity of the plain folded names"
    probe = Linker(inputs, SettingsCreator.from_path_or_dict(settings_dict), log_level=None)
    probe.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    trained = next(c for c in probe.misc.save_model_to_json()["comparisons"]
                   if c["output_column_name"] == "name")
    for lev, tl in zip(comp["comparison_levels"], trained["comparison_levels"], strict=True):
        if not lev.get("is_null_level") and "u_probability" in tl:
            lev["u_probability"] = float(tl["u_probability"])


class _Underflow(Exception):
    """An m probability of an EM session fell below what a float holds (splink refuses it)."""


def _em(linker: Any, rule: Any, warnings: list[str], what: str, **kwargs: Any) -> None:
    """One EM session; when its block holds no pair, the starting m values stay and a warning
    says so (lists that share nobody, or were encoded with different keys). An m probability
    driven towards 0 past what a float holds (a level no match of the block shows, on small
    lists) raises :class:`_Underflow`, for the caller to train again with fewer iterations."""
    from splink.internals.exceptions import EMTrainingException

    # splink warns, in lines of its own, of each level its training pairs never show (a few of
    # the name levels, on small lists); htwork says it once, in its own warnings
    unseen: list[str] = []
    em_logger = logging.getLogger("splink.internals.expectation_maximisation")
    catch = _UnseenLevels(unseen)
    em_logger.addFilter(catch)
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, **kwargs)
    except EMTrainingException:
        warnings.append(f"no {what} to train the model on: the lists may share nobody, or "
                        "were encoded with different keys; starting values were used")
    except ValueError as exc:
        if "below the minimum allowed value" not in str(exc):
            raise
        raise _Underflow(str(exc)) from None
    finally:
        em_logger.removeFilter(catch)
    if unseen:
        says = (f"none of the {what} falls at some comparison levels, which keep their "
                f"starting m probabilities: {'; '.join(unseen)}")
        if says not in warnings:
            warnings.append(says)


class _UnseenLevels(logging.Filter):
    """Drops splink's "level not observed ... unable to train m value" records, keeping the
    levels' labels in ``found``."""

    _PATTERN = re.compile(r"Level (.+) on comparison (\S+) not observed in dataset")

    def __init__(self, found: list[str]) -> None:
        super().__init__()
        self.found = found

    def filter(self, record: logging.LogRecord) -> bool:
        m = self._PATTERN.search(record.getMessage())
        if m is None:
            return True
        label = f"{m.group(2)}: {m.group(1)}"
        if label not in self.found:
            self.found.append(label)
        return False


def _em_session(settings: dict[str, Any], inputs: Any, rule: Any, warnings: list[str],
                what: str, prior_rule: Any = None, prior_recall: float = 0.6,
                **kwargs: Any) -> Any:
    """Build a linker from ``settings``, estimate its prior from ``prior_rule`` (when given)
    and run one EM session on ``rule``; returns the trained linker.

    On small lists a level that almost no match of the block shows (a Dice band of names, in
    a block of pairs with the same birth date) can have its m driven past what a float holds
    within a few iterations, and splink refuses the value. The session is then trained again
    with one such level's m held at its starting value, trying the levels from the least
    similar up, and a warning says which."""
    from splink import Linker, SettingsCreator

    levels = [(ci, li) for ci, comp in enumerate(settings["comparisons"])
              for li, lev in reversed(list(enumerate(comp["comparison_levels"])))
              if not lev.get("is_null_level") and not lev.get("fix_m_probability")
              and lev["sql_condition"] != "ELSE"]
    for held in (None, *levels):
        trial = json.loads(json.dumps(settings))
        if held is not None:
            trial["comparisons"][held[0]]["comparison_levels"][held[1]]["fix_m_probability"] = \
                True
        linker = Linker(inputs, SettingsCreator.from_path_or_dict(trial), log_level=None)
        if prior_rule is not None:
            linker.training.estimate_probability_two_random_records_match(
                [prior_rule], recall=prior_recall)
        try:
            _em(linker, rule, warnings, what, **kwargs)
        except _Underflow:
            continue
        if held is not None:
            comp = trial["comparisons"][held[0]]
            label = comp["comparison_levels"][held[1]]["label_for_charts"]
            warnings.append(f"EM on {what} drove the m probability of {comp['output_column_name']}"
                            f" level '{label}' towards 0 past what a number holds; it was held "
                            "at its starting value")
        return linker
    raise InputError(f"the model could not be trained on {what}: an m probability falls to 0 "
                     "whichever level is held", hint="the lists may be too small to link")


def _copy_m(model: dict[str, Any], settings_dict: dict[str, Any], names: Sequence[str],
            fix: Sequence[str]) -> None:
    """Copy trained m probabilities of some comparisons from a model into settings (and fix
    them for later sessions when named in ``fix``)."""
    trained = {c["output_column_name"]: c for c in model["comparisons"]}
    for comp in settings_dict["comparisons"]:
        name = comp["output_column_name"]
        if name not in names:
            continue
        for lev, tl in zip(comp["comparison_levels"], trained[name]["comparison_levels"],
                           strict=True):
            if lev.get("is_null_level"):
                continue
            if "m_probability" in tl:
                lev["m_probability"] = float(tl["m_probability"])
            if name in fix:
                lev["fix_m_probability"] = True


def _mark_rare_names(frames: list[pd.DataFrame]) -> None:
    """Add ``h_rare``: the keyed name where that name appears at most twice in all the lists
    together (so the pairs sharing it are nearly all the same person); and ``h_single``: the
    keyed name where no list holds that name twice.

    A list holds each person once, so a name that some list holds twice belongs to at least two
    people, and two records sharing it are often different people (splink's term-frequency
    adjustment weighs that). A name no list holds twice is consistent with one person on
    several lists, and records sharing it are nearly always that person: on the 5,282-record
    simulated lists 95% of the pairs sharing such a name are one person, whatever the name's
    count, against 10-45% for the names some list holds twice. It is a level of its own, so
    that its m and u are estimated like the others' (the coordinator sees only keyed names
    and their counts, as for the term frequencies)."""
    counts = pd.concat([f["h_name"] for f in frames]).value_counts()
    rare = set(counts.index[counts <= 2])
    twice: set[Any] = set()
    for f in frames:
        per_list = f["h_name"].value_counts()
        twice.update(per_list.index[per_list >= 2])
    for f in frames:
        f["h_rare"] = f["h_name"].where(f["h_name"].isin(rare), None)  # type: ignore[call-overload]  # pandas-stubs: None
        single = f["h_name"].notna() & ~f["h_name"].isin(twice)
        f["h_single"] = f["h_name"].where(single, None)  # type: ignore[call-overload]  # pandas-stubs: None


def _name_frequencies(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The term-frequency table of the keyed name (``h_name``, ``tf_h_name``) for splink.

    Names that no list holds twice have a comparison level of their own (``h_single``), so
    the "same name" level, adjusted by frequency, holds the names some list holds twice.
    splink's adjustment gives a name ``X`` the Bayes factor ``m / tf_X``, right when the level
    holds every name; for a level holding only a set ``S`` of names, the matches of the level
    bear name ``X`` in the proportion ``tf_X / F_S`` (``F_S`` the share of records whose name
    is in ``S``), and the factor is ``m / (F_S * tf_X)``. So the table holds ``F_S * tf_X``.
    """
    names = pd.concat([f["h_name"] for f in frames], ignore_index=True).dropna()
    counts = names.value_counts()
    total = max(len(names), 1)
    held_twice = pd.concat([f["h_single"] for f in frames], ignore_index=True)
    share = max(float(names.size - held_twice.notna().sum()) / total, 1 / total)
    return pd.DataFrame({"h_name": counts.index.astype(str),
                         "tf_h_name": share * counts.to_numpy(dtype=float) / total})


def _levels_of(settings_dict: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The non-null levels of the comparison ``name``, most similar first (the dicts of the
    settings: writing into them changes the settings)."""
    comp = next(c for c in settings_dict["comparisons"] if c["output_column_name"] == name)
    return [lev for lev in comp["comparison_levels"] if not lev.get("is_null_level")]


def _set_u(settings_dict: dict[str, Any], u: dict[str, np.ndarray]) -> None:
    """Write u probabilities (non-null levels, most similar first) into the settings."""
    _set_probabilities(settings_dict, "u_probability", u)


def _set_probabilities(settings_dict: dict[str, Any], key: str,
                       values: dict[str, np.ndarray]) -> None:
    """Write ``key`` (``m_probability`` or ``u_probability``) of the non-null levels of the
    comparisons named in ``values`` (most similar first) into the settings."""
    for name, arr in values.items():
        for lev, value in zip(_levels_of(settings_dict, name), arr, strict=True):
            lev[key] = float(value)


def _m_of(model: dict[str, Any]) -> dict[str, np.ndarray]:
    """m probabilities of a trained model (non-null levels, most similar first)."""
    return {comp["output_column_name"]: np.array(
                [float(lev.get("m_probability", 0.0))
                 for lev in _levels_of(model, comp["output_column_name"])])
            for comp in model["comparisons"]}


def cross_list_pairs(frames: Sequence[pd.DataFrame], column: str) -> int:
    """Number of pairs of records of different lists with the same (non-missing) ``column``."""
    counts = pd.concat([f[column].value_counts() for f in frames], axis=1).fillna(0)
    c = counts.to_numpy(dtype=np.int64)
    total = c.sum(axis=1)
    return int(((total * total - (c * c).sum(axis=1)) // 2).sum())


def name_coincidence(frames: Sequence[pd.DataFrame]) -> float:
    """Estimated share of the pairs of records on different lists sharing a (keyed) name that are
    two different people.

    A list holds each person once, so two records of one list with the same name are two people
    who share it. Their number, ``W`` for a list of ``n`` named records, estimates how often two
    people share a name (``2 W / n**2``), and so how many of the ``n_a * n_b`` pairs of two lists
    share one by coincidence; divided by the pairs that do share a name. On simulated lists this
    came within 2% of the true count of such pairs (4 lists of 12,000 and of 88,000 records). NaN
    when no two records of different lists share a name.
    """
    per = [f["h_name"].dropna().value_counts() for f in frames]
    n = [float(c.sum()) for c in per]
    within = [float((c * (c - 1) / 2).sum()) for c in per]
    shared = cross_list_pairs(frames, "h_name")
    if shared == 0:
        return math.nan
    expected = sum(n[a] * n[b] * (within[a] / n[a] ** 2 + within[b] / n[b] ** 2)
                   for a in range(len(per)) for b in range(a + 1, len(per)) if n[a] and n[b])
    return float(min(expected / shared, 1.0))


def coincidence_warning(share: float | None) -> str | None:
    """The warning for a :func:`name_coincidence` above :data:`NAME_COINCIDENCE_WARN`, else None."""
    if share is None or not share > NAME_COINCIDENCE_WARN:
        return None
    return (f"about {share:.0%} of the pairs of records on different lists that share a name are "
            "two different people (estimated from the names each list holds twice): names and "
            "birth dates tell people apart less well on lists this large, the match "
            "probabilities run high, and the estimate corrected for missed links runs low "
            "(on simulated lists 3.7% low where 86% were, 6% low where 91% were, 8.6% low "
            "where 99% were)")


def name_m_from_block(block: dict[str, np.ndarray] | None, within: dict[str, np.ndarray] | None,
                      m_em: np.ndarray) -> np.ndarray | None:
    """m probabilities of the name levels from the pairs with the same birth date, by moments.

    EM on those pairs (splink's) is ill-conditioned when most of them are different people (93%
    on four simulated lists of 88,000 records): a small error in the share of matches it finds
    moves m of the weaker levels far (Dice >= 0.76: 0.030 against 0.020 in truth). Pairs of one
    list with the same birth date are different people known without the model (``within``);
    with their levels ``w``, the block's share ``s`` of each level is ``lam * m + (1 - lam) * w``.
    ``lam`` comes from sex, which different people's records give as ``w`` does and a person's
    records agree on: ``lam = 1 - s_differ / w_differ``. Then ``m = (s - (1 - lam) w) / lam`` for
    every level but "names differ", which this cannot separate from ``lam`` (both are mostly
    that level); its m is EM's (``m_em``, most similar first). Used only where ``lam`` is below
    :data:`NAME_MOMENTS_BELOW`, where EM is the weaker of the two.

    Returns
    -------
    ndarray or None
        m of the non-null name levels, most similar first; None when the counts are too few or
        the matches are :data:`NAME_MOMENTS_BELOW` of the pairs or more (EM's m are kept).
    """
    if not block or not within or "name" not in block or "sex" not in block \
            or "name" not in within or "sex" not in within:
        return None
    s, w = block["name"], within["name"]
    if s.sum() < NAME_MIN_PAIRS or w.sum() < NAME_MIN_PAIRS or within["sex"].sum() == 0:
        return None
    s, w = s / s.sum(), w / w.sum()
    ss, ws = block["sex"] / block["sex"].sum(), within["sex"] / within["sex"].sum()
    if ws[1] <= 0:
        return None
    lam = 1.0 - ss[1] / ws[1]
    if not 0.02 <= lam < NAME_MOMENTS_BELOW:
        return None
    m = np.maximum((s - (1.0 - lam) * w) / lam, NAME_M_FLOOR)
    m[-1] = m_em[-1]
    return m / m.sum()


def _train(settings_dict: dict[str, Any], inputs: Any, prior_recall: float,
           warnings: list[str], same_dob_pairs: int = 0,
           rare_dob: np.ndarray | None = None,
           date_block: tuple[dict[str, np.ndarray], dict[str, np.ndarray]] | None = None) -> None:
    """Estimate the prior and the m probabilities (u fixed) into ``settings_dict``.

    ``same_dob_pairs`` is the number of pairs in the first session's block (same birth date);
    above :data:`EM_MAX_PAIRS` the session trains on a sample of them."""
    from splink import block_on

    for comp in settings_dict["comparisons"]:
        for lev in comp["comparison_levels"]:
            lev.pop("fix_m_probability", None)
    # Session 1: m of the name and sex by EM on pairs with the same birth date, u fixed at the
    # values from random pairs (non-matches there differ in name as random pairs do). The
    # level of names no list holds twice asks that the dates do not differ, which they never
    # do on these pairs: it is dropped here, or splink would not train a comparison that reads
    # the blocking column.
    session1 = json.loads(json.dumps(settings_dict))
    for comp in session1["comparisons"]:
        for lev in comp["comparison_levels"]:
            lev["sql_condition"] = lev["sql_condition"].replace(f" AND {DATES_AGREE}", "")
    sample: dict[str, float] = {}
    if same_dob_pairs > EM_MAX_PAIRS:
        # splink sizes its sample from a probe on a share of the records; that share is set
        # so that the probe meets about 100,000 pairs (its default, 1%, meets none on small
        # lists and a few thousand on a million records)
        sample = {"max_pairs": EM_MAX_PAIRS,
                  "record_sample_proportion": min(1.0, math.sqrt(1e5 / same_dob_pairs))}
    first = _em_session(session1, inputs, block_on("h_dob"), warnings,
                        "pairs with the same birth date",
                        prior_rule=block_on("h_dob", "h_name"), prior_recall=prior_recall,
                        **sample)
    _copy_m(first.misc.save_model_to_json(), settings_dict, ("name", "sex"), fix=("name",))
    block, within = date_block if date_block is not None else (None, None)
    m_name = name_m_from_block(block, within, _m_of(settings_dict)["name"])
    if m_name is not None:
        _set_probabilities(settings_dict, "m_probability", {"name": m_name})
    settings_dict["probability_two_random_records_match"] = max(
        first.misc.save_model_to_json()["probability_two_random_records_match"], 1e-9)
    # Session 2: m of the date of birth on the pairs with the same *rare* name (a name written
    # at most twice in all the lists), mostly true matches (see :func:`dob_m_from_block`).
    u_dob = np.array([float(lev["u_probability"]) for lev in _levels_of(settings_dict, "dob")])
    m_dob = dob_m_from_block(rare_dob, u_dob, warnings)
    if m_dob is not None:
        _set_probabilities(settings_dict, "m_probability", {"dob": m_dob})
    for comp in settings_dict["comparisons"]:
        for lev in comp["comparison_levels"]:
            lev.pop("fix_m_probability", None)


def dob_m_from_block(counts: np.ndarray | None, u: np.ndarray,
                     warnings: list[str] | None = None) -> np.ndarray | None:
    """m probabilities of the birth-date levels from the pairs sharing a rare name.

    Most pairs of records that share a name written at most twice in all the lists are one
    person, but not all: on four simulated lists of 12,000 records 5% are two people, on four of
    88,000 15%. The dates of two different people agree as random pairs' do (``u``), so the
    block's share of each level is ``s = lam * m + (1 - lam) * u``. Any ``lam`` fits that
    (``m`` takes up the rest), and EM, which splink would run here, keeps what it starts from;
    weighing the name in it, as a model with the name does, makes every pair of the block a
    match (the name's weight is 20 bits and more) and so takes the dates of the different
    people for recording errors (m of "dates differ" 0.04 and 0.13 on those lists, 0.0002 in
    truth). Here ``lam`` is the largest share of matches the dates allow, ``1 - min(s / u)``
    over the levels most random pairs show (``u >= 0.01``: dates that differ, a year apart,
    the same year); ``m = (s - (1 - lam) * u) / lam``, each at least :data:`DOB_M_FLOOR`.

    Parameters
    ----------
    counts : ndarray or None
        Pairs of the block at each non-null date level, most similar first.
    u : ndarray
        u of the same levels.
    warnings : list of str, optional
        Gets a line when the block is too small to estimate from (then None is returned and the
        starting m probabilities stay).

    Returns
    -------
    ndarray or None
        m of the levels, most similar first.
    """
    total = 0.0 if counts is None else float(np.sum(counts))
    if counts is None or total < DOB_MIN_PAIRS:
        if warnings is not None:
            warnings.append(f"fewer than {DOB_MIN_PAIRS} pairs of records share a rare name and "
                            "give a birth date on both sides: the birth-date levels keep their "
                            "starting m probabilities")
        return None
    share = np.asarray(counts, dtype=float) / total
    u = np.asarray(u, dtype=float)
    big = u >= 0.01
    lam = float(np.clip(1.0 - np.min(share[big] / u[big]), 0.05, 1.0))
    m = np.maximum(share - (1.0 - lam) * u, 0.0) / lam
    m = np.maximum(m / m.sum(), DOB_M_FLOOR)
    return m / m.sum()


def _splink_warnings_only(func: Callable[..., LinkResult]) -> Callable[..., LinkResult]:
    """Run ``func`` with splink's logger at WARNING (its INFO lines flood a notebook), and put
    the logger's level back afterwards: the level is global state htwork did not create."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> LinkResult:
        logger = logging.getLogger("splink")
        before = logger.level
        logger.setLevel(max(before, logging.WARNING))
        try:
            return func(*args, **kwargs)
        finally:
            logger.setLevel(before)

    return wrapper


@_splink_warnings_only
def link(encoded: Sequence[EncodedList], *, engine: str = "duckdb", threshold: float = 0.5,
         min_probability: float = 0.001, spark_master: str | None = None,
         spark_session: Any = None, prior_recall: float = 0.6, u_pairs: int = U_PAIRS,
         seed: int = 0, duckdb_memory: str = "3GB",
         _plain_names: bool = False) -> LinkResult:
    """Link encoded lists with splink and cluster the records into persons.

    Parameters
    ----------
    encoded : sequence of EncodedList
        One encoding per agency (:func:`htwork.linkage.encode` or :func:`read_encoded`), all
        made with the same key.
    engine : {"duckdb", "spark"}
        splink's backend: embedded DuckDB, or Spark (``spark_master``: ``local[2]`` by default,
        or a cluster URL).
    threshold : float
        Links at or above this match probability join records into one person.
    min_probability : float
        Pairs scored below this probability are not kept (they are treated as non-links, also
        when linkage uncertainty is drawn).
    spark_master : str, optional
        Spark master URL for ``engine="spark"``.
    spark_session : pyspark.sql.SparkSession, optional
        An existing session to use instead.
    prior_recall : float
        Assumed share of true matches found by the deterministic rules (same birth date and
        same name) used to estimate the prior match probability.
    u_pairs : int
        Random pairs of records drawn to estimate the u probabilities.
    seed : int
        Seed of that draw (the same seed gives the same model on every engine).
    duckdb_memory : str
        DuckDB's memory limit (it spills to a temporary folder beyond it). With 3 GB the
        linkage of 1.2 million records over four lists peaked at 5.6-6.4 GB resident (the
        lists themselves about 2.7 GB of it); DuckDB at 4 GB held about 1 GB more.
    _plain_names : bool
        For benchmarks only (DuckDB): compare a plain ``name_plain`` column by Jaro-Winkler
        instead of the Bloom filters, all else equal, to measure what encoding costs. Never
        used on agencies' encodings, which hold no plain name.

    Returns
    -------
    LinkResult

    Raises
    ------
    htwork.errors.InputError
        Fewer than two lists, lists encoded with different keys or parameters, an unknown
        engine.
    """
    from splink import Linker, SettingsCreator

    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if not 0 < threshold < 1:
        raise InputError(f"the threshold must lie between 0 and 1, got {threshold}")
    encoded = list(encoded)
    _check_lists(encoded)
    lists = [e.list_name for e in encoded]
    bloom = encoded[0].meta["bloom"]
    words = bloom["stored_bits"] // 64
    weight = bloom.get("weight") or bloom["bits"]
    frames = _frames_for_engine(encoded, ("name_plain",) if _plain_names else ())
    _mark_rare_names(frames)
    coincidence = name_coincidence(frames)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    # DuckDB spills to a folder of its own, removed afterwards (its default is '.tmp' in the
    # working folder, which may hold the inputs or the output)
    with contextlib.ExitStack() as cleanup:
        if engine == "duckdb":
            import duckdb
            from splink import DuckDBAPI

            spill = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="htwork-duckdb-"))
            con = duckdb.connect()
            cleanup.callback(con.close)
            con.execute("SET threads TO 2")
            con.execute("SET temp_directory = '{}'".format(spill.replace("'", "''")))
            # spill to disk rather than grow past this (DuckDB's default is 80% of the memory)
            con.execute(f"SET memory_limit = '{duckdb_memory}'")
            db_api: Any = DuckDBAPI(connection=con)
            # copied into DuckDB tables once: a registered pandas frame is converted again at
            # every scan (its list columns row by row), and a table can spill
            inputs = []
            for i, (df, name) in enumerate(zip(frames, lists, strict=True)):
                con.register("htwork_frame", df)
                con.execute(f"CREATE TABLE htwork_list_{i} AS SELECT * FROM htwork_frame")
                con.unregister("htwork_frame")
                inputs.append(db_api.register(f"htwork_list_{i}", dataset_display_name=name))
        else:
            from splink import SparkAPI

            spark = spark_session or _spark_session(spark_master)
            if not spark.sparkContext.getCheckpointDir():
                raise InputError("the Spark session has no checkpoint folder, which splink needs",
                                 hint="call spark.sparkContext.setCheckpointDir(folder) first")
            db_api = SparkAPI(spark_session=spark)
            inputs = [db_api.register(spark.createDataFrame(df), dataset_display_name=name)
                      for df, name in zip(frames, lists, strict=True)]
        tf_frame = _name_frequencies(frames)
        tf_table = (db_api.register(tf_frame) if engine == "duckdb"
                    else db_api.register(spark.createDataFrame(tf_frame)))
        settings_dict = model_settings(words, weight)
        keep = ["bf_0", *[f"bf_{i}" for i in range(1, words)], *FIELD_COLUMNS, "h_single",
                *RARE_TOKEN_COLUMNS, "rt_low"]
        u_raw = estimate_u([f[keep] for f in frames], words=words, weight=weight,
                           name_levels=NAME_LEVELS, max_pairs=u_pairs, seed=seed)
        _set_u(settings_dict, u_raw)
        # the levels of the pairs sharing a rare name, for the date's m (dob_m_from_block); of
        # the pairs with the same birth date, and of pairs of one list with the same birth date
        # (different people), for the name's m (name_m_from_block)
        blocks = block_level_counts([f[[*keep, "h_rare"]] for f in frames],
                                    {"rare": ("h_rare", False), "dob": ("h_dob", False),
                                     "dob_within": ("h_dob", True)},
                                    words=words, weight=weight, name_levels=NAME_LEVELS,
                                    seed=seed)
        rare_dob = blocks["rare"].get("dob")
        date_block = (blocks["dob"], blocks["dob_within"])
        same_dob_pairs = cross_list_pairs(frames, "h_dob")
        # the keyed fields the counts of missed links need (htwork.linkage.true_pairs)
        date_name = [f[["rid", "h_dob", "h_y", "h_single"]] for f in frames]
        if engine == "duckdb":
            del frames                  # DuckDB holds the copies
        if _plain_names:
            _plain_name_levels(settings_dict, inputs, u_pairs, seed)
        timings["u_s"] = time.perf_counter() - t0
        sizes = [len(e) for e in encoded]
        possible = sum(sizes[a] * sizes[b] for a in range(len(sizes))
                       for b in range(a + 1, len(sizes)))
        floor = min(min_probability, 1e-6)
        warnings: list[str] = []
        if (says := coincidence_warning(coincidence)) is not None:
            warnings.append(says)
        vectors: Any = None
        candidates: dict[str, Any] = {}
        # Random pairs hold the true matches too, in proportion: few, but most of the rarest levels
        # (the same name, the same birth date). So u from random pairs is too high there and the
        # model under-confident. Each round takes the matches the last model expects out of the
        # random pairs' level counts (u = (share - prior * m) / (1 - prior)), then trains m again.
        for _round in range(1 + U_ROUNDS):
            tr = time.perf_counter()
            _train(settings_dict, inputs, prior_recall, warnings, same_dob_pairs, rare_dob,
                   date_block)
            timings[f"round{_round}_em_s"] = time.perf_counter() - tr
            linker = Linker(inputs, SettingsCreator.from_path_or_dict(settings_dict),
                            log_level=None)
            linker.table_management.register_term_frequency_lookup(tf_table, "h_name")
            model = linker.misc.save_model_to_json()
            lam0 = max(float(model["probability_two_random_records_match"]), 1e-9)
            # The candidate pairs and their comparison levels do not change between rounds
            # (only the m and u of the levels do): they are found and compared once, and each
            # round scores the stored comparison vectors.
            if vectors is None:
                tr = time.perf_counter()
                vectors = _comparison_vectors(linker)
                timings["comparisons_s"] = time.perf_counter() - tr
                candidates = _pairs_by_rule(linker, vectors, settings_dict)
            # A pair's match weight is a function of its comparison levels (and of the name's
            # frequency at the "same name" level), so the scored pairs hold few distinct
            # weights: the prior is settled on their counts, without fetching the pairs.
            tr = time.perf_counter()
            hist = _weight_counts(linker, vectors, floor)
            timings[f"round{_round}_score_s"] = time.perf_counter() - tr
            lam, _, _ = settle_prior(hist["match_weight"].to_numpy(float), lam0, possible,
                                     counts=hist["n"].to_numpy(float))
            if _round == U_ROUNDS or _plain_names:
                break
            _set_u(settings_dict, correct_u(u_raw, _m_of(model), lam))
        timings["train_s"] = time.perf_counter() - t0
        # only the pairs at or above min_probability under the settled prior are fetched (the
        # weights shift by a constant; the cut is taken a little low and made exact below),
        # in the canonical order (:func:`_canonical_pairs`)
        cut = _logit2(min_probability) + _logit2(lam0) - _logit2(lam) - 1e-6
        tr = time.perf_counter()
        pipeline = _score_pipeline(linker, vectors, floor)
        model["probability_two_random_records_match"] = lam
        nodes: tuple[np.ndarray, np.ndarray] | None = None
        if engine == "duckdb":
            # The pairs leave DuckDB as node numbers (the records' rows in the record table
            # of the clustering), written to the spill folder and read back once DuckDB has
            # let its memory go: its buffers and the pandas table are not held at once, and
            # the pairs' strings are the record table's own objects, not one per row.
            recs = _nodes(encoded, lists)
            con.register("htwork_nodes_frame", pd.DataFrame({
                "list": recs["list"].to_numpy(), "rid": recs["rid"].to_numpy(),
                "node": np.arange(len(recs), dtype=np.int64)}))
            con.execute("CREATE TABLE htwork_nodes AS SELECT * FROM htwork_nodes_frame")
            con.unregister("htwork_nodes_frame")
            pipeline.enqueue_sql(
                "SELECT a.node AS node_l, b.node AS node_r, p.match_weight "
                "FROM __splink__df_predict AS p "
                "JOIN htwork_nodes AS a ON p.source_dataset_l = a.list AND p.rid_l = a.rid "
                "JOIN htwork_nodes AS b ON p.source_dataset_r = b.list AND p.rid_r = b.rid "
                f"WHERE p.match_weight >= {cut!r}", "__htwork_pairs")
            out = Path(spill) / "pairs.parquet"
            con.execute(f"COPY ({pipeline.generate_cte_pipeline_sql()}) TO "
                        f"'{out.as_posix()}' (FORMAT PARQUET)")
            vectors.drop_table_from_database_and_remove_from_cache()
            con.close()
            import pyarrow.parquet as pq

            table = pq.read_table(out)
            out.unlink()
            a = table["node_l"].to_numpy()
            b = table["node_r"].to_numpy()
            weights, probs = reweigh(table["match_weight"].to_numpy(), lam0, lam)
            del table
            keep_rows = probs >= min_probability
            # canonical sides (as :func:`_canonical_pairs`): the records are numbered in the
            # order of the lists and then of the ids, so the smaller number goes left ...
            left = np.minimum(a, b)[keep_rows]
            right = np.maximum(a, b)[keep_rows]
            weights, probs = weights[keep_rows], probs[keep_rows]
            del a, b, keep_rows
            # ... and the rows are sorted by list name and id on the left, then on the right
            rank = np.empty(len(recs), dtype=np.int64)
            rank[recs.sort_values(["list", "rid"], kind="stable").index.to_numpy()] = \
                np.arange(len(recs))
            order = np.lexsort((rank[right], rank[left]))
            left, right = left[order], right[order]
            list_of = recs["list"].to_numpy(dtype=object)
            rid_of = recs["rid"].to_numpy(dtype=object)
            pairs = pd.DataFrame({"list_l": list_of[left], "rid_l": rid_of[left],
                                  "list_r": list_of[right], "rid_r": rid_of[right],
                                  "match_weight": weights[order],
                                  "match_probability": probs[order]})
            nodes = (left, right)
            del order, rank, weights, probs
        else:
            pipeline.enqueue_sql(_canonical_pairs_sql("__splink__df_predict", lists, cut),
                                 "__htwork_pairs")
            scored = db_api.sql_pipeline_to_splink_dataframe(pipeline)
            pdf = scored.as_pandas_dataframe()
            scored.drop_table_from_database_and_remove_from_cache()
            vectors.drop_table_from_database_and_remove_from_cache()
            weights, probs = reweigh(pdf["match_weight"].to_numpy(float), lam0, lam)
            pdf["match_weight"] = weights
            pdf["match_probability"] = probs
            pdf = pdf[probs >= min_probability]
            pairs = pdf.astype({"list_l": str, "rid_l": str, "list_r": str, "rid_r": str,
                                "match_weight": float, "match_probability": float})
            pairs = _canonical_pairs(pairs, lists)
            del pdf
        timings["fetch_s"] = time.perf_counter() - tr
    t1 = time.perf_counter()
    # sums of probabilities the correction for missed links rests on (htwork.linkage.missed)
    missed = missed_link_stats(date_name, lists, pairs)
    del date_name
    timings["missed_stats_s"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    if nodes is None:
        clusters, capture = cluster_pairs(encoded, pairs, threshold)
    else:
        prob = pairs["match_probability"].to_numpy()
        clusters, capture = _clusters(recs, nodes[0], nodes[1], prob,
                                      np.lexsort((nodes[1], nodes[0], -prob)), threshold, lists)
    timings["cluster_s"] = time.perf_counter() - t2
    timings["total_s"] = time.perf_counter() - t0
    meta = {
        "engine": engine,
        "threshold": threshold,
        "min_probability": min_probability,
        "records": {e.list_name: len(e) for e in encoded},
        "key_fingerprint": encoded[0].key_fingerprint,
        "bloom": bloom,
        "probability_two_random_records_match": lam,
        "prior_from_rules": lam0,
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "candidate_pairs": candidates,
        "warnings": list(dict.fromkeys(warnings)),
        "name_coincidence": None if math.isnan(coincidence) else round(coincidence, 4),
        "missed_links": missed,
        "model": model,
    }
    return LinkResult(pairs, clusters, capture, lists, meta)


def _logit2(p: float) -> float:
    return math.log2(p / (1 - p))


def reweigh(match_weight: np.ndarray, lam0: float, lam: float) -> tuple[np.ndarray,
                                                                       np.ndarray]:
    """Match weights scored under the prior ``lam0``, and their probabilities, under the prior
    ``lam`` instead (the level weights unchanged)."""
    weights = match_weight - _logit2(lam0) + _logit2(lam)
    return weights, 1.0 / (1.0 + np.exp2(-weights))


def settle_prior(match_weight: np.ndarray, lam0: float, possible: int,
                 iterations: int = 200, tol: float = 1e-10,
                 counts: np.ndarray | None = None) -> tuple[float, np.ndarray, np.ndarray]:
    """Re-estimate the prior match probability from the scored pairs (EM on the prior alone).

    splink's match weights are ``log2(prior odds) + sum of level weights``. With the level
    weights fixed, the prior is iterated to the expected number of matches among all possible
    pairs divided by their number; pairs not scored (not blocked) count as non-matches.

    Parameters
    ----------
    match_weight : ndarray
        The pairs' match weights under the prior ``lam0``; or, with ``counts``, the distinct
        weights.
    lam0 : float
        The prior the weights were scored with.
    possible : int
        Number of possible pairs (records of different lists).
    iterations, tol : int, float
        Most iterations, and the relative change of the prior that stops them.
    counts : ndarray, optional
        Number of pairs holding each weight (default one each).

    Returns
    -------
    tuple
        The settled prior, and each entry's new match weight and match probability.
    """
    lr = match_weight - _logit2(lam0)
    lam = lam0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp2(-(lr + _logit2(lam))))
        total = p.sum() if counts is None else float(p @ counts)
        new = float(min(max(total / possible, 1e-12), 0.5))
        if abs(new - lam) <= tol * max(lam, 1e-12):
            lam = new
            break
        lam = new
    weights, probs = reweigh(match_weight, lam0, lam)
    return lam, weights, probs


def _comparison_vectors(linker: Any) -> Any:
    """The comparison vectors (levels and name frequencies) of every candidate pair, as a table
    of the engine; the same steps as splink's ``predict`` before it weighs the levels."""
    from splink.internals.comparison_vector_values import (
        compute_comparison_vector_values_from_id_pairs_sqls,
    )
    from splink.internals.pipeline import CTEPipeline
    from splink.internals.vertically_concatenate import enqueue_df_concat_with_tf

    blocked = linker.inference.compute_blocked_pairs_for_predict()
    settings = linker._settings_obj
    pipeline = CTEPipeline([blocked])
    enqueue_df_concat_with_tf(linker, pipeline)
    pipeline.enqueue_list_of_sqls(compute_comparison_vector_values_from_id_pairs_sqls(
        settings._columns_to_select_for_blocking,
        settings._columns_to_select_for_comparison_vector_values,
        input_tablename_l="__splink__df_concat_with_tf",
        input_tablename_r="__splink__df_concat_with_tf",
        source_dataset_input_column=settings.column_info_settings.source_dataset_input_column,
        unique_id_input_column=settings.column_info_settings.unique_id_input_column,
        link_type=settings._link_type,
        sql_dialect_str=linker._sql_dialect_str,
    ))
    vectors = linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)
    blocked.drop_table_from_database_and_remove_from_cache()
    return vectors


def _pairs_by_rule(linker: Any, vectors: Any, settings_dict: dict[str, Any]) -> dict[str, Any]:
    """Candidate pairs in all and by the first blocking rule that finds them."""
    counts = linker.misc.query_sql(f"SELECT match_key, COUNT(*) AS n FROM "
                                   f"{vectors.physical_name} GROUP BY match_key",
                                   output_type="pandas")
    found = {int(k): int(n) for k, n in zip(counts["match_key"], counts["n"], strict=True)}
    rules = settings_dict["blocking_rules_to_generate_predictions"]
    by_rule = {}
    for i, rule in enumerate(rules):
        text = rule if isinstance(rule, str) else rule["blocking_rule"]
        by_rule[text.split(" AND ")[0]] = found.get(i, 0)
    return {"total": sum(found.values()), "by_rule": by_rule}


def _score_pipeline(linker: Any, vectors: Any, floor: float) -> Any:
    """splink's scoring of stored comparison vectors with the linker's model (its
    ``__splink__df_predict``: pairs at or above probability ``floor``), not yet run."""
    from splink.internals.pipeline import CTEPipeline
    from splink.internals.predict import predict_from_comparison_vectors_sqls_using_settings

    pipeline = CTEPipeline([vectors])
    pipeline.enqueue_list_of_sqls(predict_from_comparison_vectors_sqls_using_settings(
        linker._settings_obj, threshold_match_probability=floor))
    return pipeline


def _weight_counts(linker: Any, vectors: Any, floor: float) -> pd.DataFrame:
    """Distinct match weights of the scored pairs (probability >= ``floor``) and how many pairs
    hold each, in increasing order of weight."""
    pipeline = _score_pipeline(linker, vectors, floor)
    pipeline.enqueue_sql("SELECT match_weight, COUNT(*) AS n FROM __splink__df_predict "
                         "GROUP BY match_weight", "__htwork_weight_counts")
    table = linker._db_api.sql_pipeline_to_splink_dataframe(pipeline)
    hist = table.as_pandas_dataframe()
    table.drop_table_from_database_and_remove_from_cache()
    return hist.sort_values("match_weight", kind="stable").reset_index(drop=True)


def _canonical_pairs_sql(table: str, lists: list[str], cut: float) -> str:
    """SQL of the scored pairs with ``match_weight >= cut`` in the order of
    :func:`_canonical_pairs`: the list that comes first in ``lists`` on the left (the smaller
    record id when both are of one list), sorted by list and record on each side."""
    def quoted(name: str) -> str:
        return "'" + name.replace("'", "''") + "'"

    order = " ".join(f"WHEN {quoted(n)} THEN {i}" for i, n in enumerate(lists))
    li, ri = f"(CASE source_dataset_l {order} END)", f"(CASE source_dataset_r {order} END)"
    flip = f"({li} > {ri} OR ({li} = {ri} AND rid_l > rid_r))"
    return (f"SELECT CASE WHEN {flip} THEN source_dataset_r ELSE source_dataset_l END AS list_l,"
            f" CASE WHEN {flip} THEN rid_r ELSE rid_l END AS rid_l,"
            f" CASE WHEN {flip} THEN source_dataset_l ELSE source_dataset_r END AS list_r,"
            f" CASE WHEN {flip} THEN rid_l ELSE rid_r END AS rid_r, match_weight"
            f" FROM {table} WHERE match_weight >= {cut!r}"
            " ORDER BY list_l, rid_l, list_r, rid_r")


def _canonical_pairs(pairs: pd.DataFrame, lists: list[str]) -> pd.DataFrame:
    """Put the list that comes first in ``lists`` on the left and sort: the same pairs give the
    same table whatever the engine."""
    order = {n: i for i, n in enumerate(lists)}
    li = pairs["list_l"].map(order).to_numpy()
    ri = pairs["list_r"].map(order).to_numpy()
    flip = (li > ri) | ((li == ri) & (pairs["rid_l"].to_numpy() > pairs["rid_r"].to_numpy()))
    out = pairs.copy()
    for a, b in (("list_l", "list_r"), ("rid_l", "rid_r")):
        out.loc[flip, [a, b]] = pairs.loc[flip, [b, a]].to_numpy()
    out = out.sort_values(["list_l", "rid_l", "list_r", "rid_r"], kind="stable")
    return out.reset_index(drop=True)


def _nodes(encoded: Sequence[EncodedList] | pd.DataFrame, lists: list[str]):
    """Record table (list, rid) with node numbers."""
    if isinstance(encoded, pd.DataFrame):
        recs = encoded[["list", "rid"]].copy()
    else:
        recs = pd.concat([pd.DataFrame({"list": e.list_name, "rid": e.frame["rid"]})
                          for e in encoded], ignore_index=True)
    order = {n: i for i, n in enumerate(lists)}
    recs["list_no"] = recs["list"].map(order).astype(np.int64)
    recs = recs.sort_values(["list_no", "rid"], kind="stable").reset_index(drop=True)
    return recs


def _nodes_by_rid(recs: pd.DataFrame, pairs: pd.DataFrame) -> tuple[np.ndarray,
                                                                   np.ndarray] | None:
    """Node numbers of the pairs' records looked up by record id alone (ids are keyed hashes of
    the list and the row, so different across lists), checked against the lists; None when
    an id is held twice or a pair's record is not found on its list (then the caller looks up
    by list and id, and reports the error). A tenth of the work of a two-level index on
    millions of pairs."""
    rid = pd.Index(recs["rid"].to_numpy())
    if not rid.is_unique:
        return None
    rec_list = recs["list"].to_numpy()
    out = []
    for lc, rc in (("list_l", "rid_l"), ("list_r", "rid_r")):
        node = rid.get_indexer(pd.Index(pairs[rc].to_numpy()))
        if (node < 0).any() or not (rec_list[node] == pairs[lc].to_numpy()).all():
            return None
        out.append(node.astype(np.int64))
    return out[0], out[1]


def edge_arrays(recs: pd.DataFrame, pairs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray,
                                                                  np.ndarray, np.ndarray]:
    """Node numbers of each pair's records, the probabilities, and the order most probable
    first (ties broken by node numbers, so the order never depends on the engine)."""
    found = _nodes_by_rid(recs, pairs)
    if found is None:
        key = pd.MultiIndex.from_arrays([recs["list"], recs["rid"]])
        node = pd.Series(np.arange(len(recs)), index=key)
        left = node.reindex(pd.MultiIndex.from_arrays([pairs["list_l"], pairs["rid_l"]])
                            ).to_numpy()
        right = node.reindex(pd.MultiIndex.from_arrays([pairs["list_r"], pairs["rid_r"]])
                             ).to_numpy()
        if np.isnan(left.astype(float)).any() or np.isnan(right.astype(float)).any():
            raise InputError("the pairs name records that are not in the lists",
                             hint="link the encoded lists again")
        left, right = left.astype(np.int64), right.astype(np.int64)
    else:
        left, right = found
    prob = pairs["match_probability"].to_numpy(dtype=float)
    order = np.lexsort((right, left, -prob))
    return left, right, prob, order


def cluster_pairs(encoded: Sequence[EncodedList] | pd.DataFrame, pairs: pd.DataFrame,
                  threshold: float, lists: list[str] | None = None):
    """Cluster records joined by pairs at or above ``threshold``; returns the cluster table and
    the capture table."""

    if lists is None:
        lists = [e.list_name for e in encoded]  # type: ignore[attr-defined]
    recs = _nodes(encoded, lists)
    left, right, prob, order = edge_arrays(recs, pairs)
    return _clusters(recs, left, right, prob, order, threshold, lists)


def _clusters(recs: pd.DataFrame, left: np.ndarray, right: np.ndarray, prob: np.ndarray,
              order: np.ndarray, threshold: float, lists: list[str]):
    """:func:`cluster_pairs` once the pairs' node numbers are known."""
    from htwork.prevalence import CaptureTable

    labels = cluster_links(recs["list_no"].to_numpy(), left, right, prob >= threshold, order)
    counts = pattern_counts(recs["list_no"].to_numpy(), labels, len(lists))
    _, person = np.unique(labels, return_inverse=True)
    clusters = pd.DataFrame({"list": recs["list"].astype(str), "rid": recs["rid"].astype(str),
                             "person": person.astype(np.int64)})
    return clusters, CaptureTable(lists, counts)


def link_files(paths: Sequence[str | Path], out_dir: str | Path, *, engine: str = "duckdb",
               threshold: float = 0.5, spark_master: str | None = None,
               replace: bool = False) -> LinkResult:
    """Link encoded list files and write the links folder.

    This is ``htwork link enc1.parquet enc2.parquet ... --out links/ [--engine spark]``.

    Parameters
    ----------
    paths : sequence of path
        The agencies' encodings.
    out_dir : path
        Folder to write (``pairs.parquet``, ``clusters.parquet``, ``capture.csv``,
        ``model.json``, ``summary.json``); must not exist or be empty, unless ``replace``.
    engine : {"duckdb", "spark"}
        splink's backend.
    threshold : float
        Match probability at or above which records are joined.
    spark_master : str, optional
        Spark master URL (default ``local[2]``).
    replace : bool
        Replace an existing non-empty folder.

    Returns
    -------
    LinkResult

    Raises
    ------
    htwork.errors.InputError
        Bad input (checked before anything is written); nothing is written then.
    """
    out_dir = Path(out_dir)
    resolved = [Path(p).resolve() for p in paths]
    target = out_dir.resolve()
    for p in resolved:
        if p == target or target in p.parents:
            raise InputError("the links folder would overwrite or hold an input", file=out_dir,
                             hint="write the links to a new folder")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("the output exists and is not a folder", file=out_dir)
    if out_dir.is_dir() and any(out_dir.iterdir()) and not replace:
        raise InputError("the links folder already exists and holds files", file=out_dir,
                         hint="choose a new folder")
    encoded = [read_encoded(p) for p in paths]
    result = link(encoded, engine=engine, threshold=threshold, spark_master=spark_master)
    result.save(out_dir, replace=replace)
    return result
