"""Small-cell suppression: the rules, and properties on many random tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from htwork.errors import InputError
from htwork.report import recoverable_cells, suppress_table
from htwork.report.suppression import TOTAL, _structure


def random_table(rng: np.random.Generator) -> pd.DataFrame:
    n_rows, n_cols = int(rng.integers(1, 7)), int(rng.integers(1, 7))
    kind = rng.choice(3, size=(n_rows, n_cols), p=[0.25, 0.35, 0.40])
    values = np.where(kind == 0, 0, np.where(kind == 1, rng.integers(1, 10, (n_rows, n_cols)),
                                             rng.integers(10, 80, (n_rows, n_cols))))
    return pd.DataFrame(values, index=[f"r{i}" for i in range(n_rows)],
                        columns=[f"c{j}" for j in range(n_cols)])


def full_counts(t: pd.DataFrame) -> pd.DataFrame:
    """The table with its totals, computed here independently of the module."""
    if t.shape[1] > 1:
        out = t.copy()
        out[TOTAL] = t.sum(axis=1)
        out.loc[TOTAL] = out.sum(axis=0)
        return out
    out = t.copy()
    out.loc[TOTAL] = t.sum(axis=0)
    return out


def equations(full: pd.DataFrame, two_way: bool) -> list[list[tuple]]:
    """Every row and column of the table with totals, as lists of (row, col) cells."""
    eqs = [[(r, c) for c in full.columns] for r in full.index] if two_way else []
    eqs += [[(r, c) for r in full.index] for c in full.columns]
    return eqs


TABLES = [random_table(np.random.default_rng(seed)) for seed in range(400)]


@pytest.mark.parametrize("threshold", [3, 10])
@pytest.mark.slow
def test_random_tables_shown_cells_true_and_no_single_equation_gives_a_cell_away(threshold):
    for t in TABLES:
        r = suppress_table(t, threshold)
        full = full_counts(t)
        hidden = r.mask
        assert list(r.table.index) == list(full.index)
        assert list(r.table.columns) == list(full.columns)
        # shown cells are the true counts
        shown = ~hidden.to_numpy()
        assert (r.table.to_numpy()[shown].astype(int) == full.to_numpy()[shown]).all()
        assert r.table.isna().to_numpy()[~shown].all()
        # primary: exactly the counts 1..threshold-1; zeros never hidden
        values = full.to_numpy()
        small = (values > 0) & (values < threshold)
        assert ((r.status == "primary").to_numpy() == small).all()
        assert not hidden.to_numpy()[values == 0].any()
        assert r.n_primary == int(small.sum())
        # no row or column equation holds exactly one hidden cell
        for eq in equations(full, t.shape[1] > 1):
            n = sum(bool(hidden.loc[cell]) for cell in eq)
            assert n != 1, (t, eq)


@pytest.mark.slow
def test_no_hidden_cell_is_pinned_down_by_linear_programming():
    """An attacker's linear programme (all equations, counts >= 0) cannot pin any hidden cell
    to one value: its minimum and maximum differ. Independent of the module's own audit."""
    checked = 0
    for t in TABLES[:120]:
        r = suppress_table(t, 10)
        full = full_counts(t)
        hidden = r.mask.to_numpy().ravel()
        if not hidden.any():
            continue
        eqs = equations(full, t.shape[1] > 1)
        pos = {cell: i for i, cell in enumerate(
            (row, col) for row in full.index for col in full.columns)}
        unknown = np.flatnonzero(hidden)
        col_of = {int(c): k for k, c in enumerate(unknown)}
        a_eq, b_eq = [], []
        for eq in eqs:
            coef = np.zeros(len(unknown))
            rhs = 0.0
            for cell in eq:
                sign = -1.0 if cell == eq[-1] else 1.0
                i = pos[cell]
                if hidden[i]:
                    coef[col_of[i]] += sign
                else:
                    rhs -= sign * full.to_numpy().ravel()[i]
            if coef.any():
                a_eq.append(coef)
                b_eq.append(rhs)
        for k in range(len(unknown)):
            c = np.zeros(len(unknown))
            c[k] = 1
            lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            assert lo.status == 0 and hi.status in (0, 3)  # 3: no upper bound at all
            assert hi.status == 3 or -hi.fun - lo.fun > 0.5, (t, k)
            checked += 1
    assert checked > 100


def test_audit_finds_what_line_by_line_protection_misses():
    """Two hidden squares joined by one hidden cell: every line has two hidden cells, yet
    adding two rows and subtracting two columns gives the joining cell back."""
    equations_, coef, _ = _structure(4, 4)
    hidden = np.zeros((5, 5), dtype=bool)
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)]:
        hidden[r, c] = True
    found = recoverable_cells(coef, hidden.ravel())
    assert list(found) == [1 * 5 + 2]
    for eq in equations_:
        assert hidden.ravel()[eq].sum() != 1
    hidden[0, 3] = True  # a cell closing a cycle through (1, 2)
    assert not len(recoverable_cells(coef, hidden.ravel()))


@pytest.mark.slow
def test_audit_matters_on_some_random_tables():
    rng = np.random.default_rng(99)
    missed = 0
    for _ in range(300):
        n = int(rng.integers(4, 8))
        t = pd.DataFrame(np.where(rng.random((n, n)) < 0.3, rng.integers(1, 10, (n, n)),
                                  rng.integers(10, 60, (n, n))))
        plain = suppress_table(t, 10, audit=False)
        _, coef, _ = _structure(n, n)
        if len(recoverable_cells(coef, plain.mask.to_numpy().ravel())):
            missed += 1
            audited = suppress_table(t, 10)
            assert not len(recoverable_cells(coef, audited.mask.to_numpy().ravel()))
    assert missed >= 1  # the audit is not dead code


def test_worked_example():
    t = pd.DataFrame({"Female": [12, 3, 25], "Male": [15, 20, 30]},
                     index=["0-17", "18-24", "25+"])
    r = suppress_table(t)
    assert (r.n_primary, r.n_secondary) == (1, 3)
    assert r.status.loc["18-24", "Female"] == "primary"
    assert r.display().loc["18-24"].tolist() == ["x", "x", "23"]
    assert r.table.loc[TOTAL, TOTAL] == 105
    assert "x" in repr(r) and r.to_dict()["primary"] == 1


def test_one_way_table_hides_a_second_cell():
    r = suppress_table(pd.Series([50, 3, 40, 20], index=list("abcd"), name="people"))
    assert r.mask["people"].tolist() == [False, True, False, True, False]
    assert r.table.loc[TOTAL, "people"] == 113


def test_a_row_whose_other_cells_are_zero_hides_its_total():
    t = pd.DataFrame({"a": [4, 30], "b": [0, 25], "c": [0, 40]}, index=["x", "y"])
    r = suppress_table(t)
    assert r.mask.loc["x", TOTAL]
    assert not r.mask.loc["x", "b"] and not r.mask.loc["x", "c"]


def test_threshold_one_hides_nothing_and_zeros_are_shown():
    t = pd.DataFrame({"a": [0, 1], "b": [2, 0]})
    r = suppress_table(t, 1)
    assert r.n_suppressed == 0
    assert r.table.loc[0, "a"] == 0


def test_multi_select_total_and_no_margins():
    forms = pd.Series([120, 40, 6, 2, 0], index=list("ABCDE"), name="People")
    r = suppress_table(forms, total=150)
    assert r.table.loc[TOTAL, "People"] == 150
    assert r.status["People"].tolist()[:4] == ["", "", "primary", "primary"]
    flat = suppress_table(forms, margins=False)
    assert TOTAL not in flat.table.index and flat.n_secondary == 0


def test_force_hides_a_linked_cell_and_protects_it():
    t = pd.DataFrame({"a": [30, 20], "b": [25, 40]}, index=["x", "y"])
    r = suppress_table(t, force=[("x", TOTAL)])
    assert r.mask.loc["x", TOTAL] and r.status.loc["x", TOTAL] == "secondary"
    assert r.n_primary == 0 and r.n_secondary >= 2


@pytest.mark.parametrize("bad", [pd.DataFrame({"a": ["1", "x"]}),
                                 pd.DataFrame({"a": [1, -2]}),
                                 pd.DataFrame({"a": [1.5, 2]}),
                                 pd.DataFrame({"a": [1, None]}),
                                 pd.DataFrame()])
def test_not_a_count_table(bad):
    with pytest.raises(InputError):
        suppress_table(bad)


def test_force_of_an_unknown_cell():
    with pytest.raises(InputError, match="force"):
        suppress_table(pd.Series([20, 30]), force=[(5, "nope")])
