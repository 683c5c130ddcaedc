"""The numpy Newton solver and the vectorised batch fitter agree with statsmodels GLM."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm

from htwork.prevalence import Design, Model, all_models, fit_loglinear, simulate_lists
from htwork.prevalence.batch import fit_many
from htwork.prevalence.glm import fit_poisson


@pytest.fixture(scope="module")
def full_table():
    sim = simulate_lists(20000, [0.3, 0.25, 0.4, 0.2], dependence={"A:B": 0.6, "C:D": -0.4},
                         seed=11)
    assert (sim.table.cell_counts[1:] > 0).all()
    return sim.table


def _statsmodels(fit):
    X, y = fit._matrix()
    return sm.GLM(y, X, family=sm.families.Poisson()).fit(tol=1e-12)


@pytest.mark.parametrize("hier", ["[1,2,3,4]", "[12,34]", "[123,34]", "[12,13,14,23,24,34]"])
def test_matches_statsmodels_on_full_table(full_table, hier):
    fit = fit_loglinear(full_table, hier)
    ref = _statsmodels(fit)
    assert fit.check.method == "positive cells"
    np.testing.assert_allclose(fit._beta, ref.params, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(fit._std_errors(), ref.bse, rtol=1e-6)
    assert fit.loglik == pytest.approx(ref.llf, rel=1e-9)
    assert fit.deviance == pytest.approx(ref.deviance, rel=1e-7, abs=1e-8)
    assert fit.aic == pytest.approx(ref.aic, rel=1e-9)


def test_matches_statsmodels_on_sparse_uk_models(uk):
    for hier in ["[12,13,24,25,35,45]", "[123,25,34]"]:
        fit = fit_loglinear(uk, hier)
        ref = _statsmodels(fit)
        np.testing.assert_allclose(fit._beta, ref.params, rtol=1e-6, atol=1e-8)
        assert fit.loglik == pytest.approx(ref.llf, rel=1e-9)


def test_batch_equals_one_at_a_time(uk):
    models = all_models(5, 2)[::37]
    batch = fit_many(Design.of(uk), models)
    for m, b in zip(models, batch, strict=True):
        single = Design.of(uk).fit(m)
        assert b.check.code == single.check.code
        if single.ok:
            assert b.estimate == pytest.approx(single.estimate, rel=1e-8)
            assert b.bic == pytest.approx(single.bic, rel=1e-10)


def test_solver_flags_non_convergence():
    # a zero cell that the model must fit exactly: the MLE does not exist
    X = np.array([[1, 0], [1, 1], [1, 1]], dtype=float)
    y = np.array([3.0, 0.0, 0.0])
    fit = fit_poisson(X, y, max_iter=30)
    assert not fit.converged


def test_extended_mle_counts_minus_infinity_terms(uk):
    f = fit_loglinear(uk, ["LA:GP", "LA:NG"])
    assert f.check.ok
    assert f.check.minus_infinity == ("LA:GP",)
    assert f.coef["LA:GP"] == float("-inf")
    # AIC/BIC count the parameter at minus infinity (as SparseMSE / MultipleSystemsEstimation)
    assert f.model.n_params == 8
    assert f.aic == pytest.approx(2 * 8 - 2 * f.loglik)
    # the dropped cells (LA and GP together) are fitted at zero
    assert f.fitted()["10001"] == 0.0
    g = fit_loglinear(uk, ["LA:NG"])
    # 8 of 31 cells hold LA and GP together: dropped; 7 parameters estimated
    assert g.df == 31 - 7
    assert f.df == 23 - 7


def test_model_notation():
    m = Model.from_hierarchy("[123,25,34]")
    assert m.hierarchy() == "[123,25,34]"
    assert m.term_names(["A", "B", "C", "D", "E"]) == [
        "A:B", "A:C", "B:C", "B:E", "C:D", "A:B:C"]
    assert Model.from_terms(3, ["A:B"], ["A", "B", "C"]).hierarchy() == "[12,3]"
    assert len(all_models(3)) == 8
    assert len(all_models(4)) == 113
    assert len(all_models(5, 2)) == 1024
