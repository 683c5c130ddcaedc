"""The public API of htwork.anonymise and the scikit-learn conventions every transformer keeps."""

from __future__ import annotations

import pandas as pd
import pytest

import htwork.anonymise as anon
from htwork.errors import InputError, NotFittedError

KEY = bytes(range(32))


def test_all_is_honest():
    for name in anon.__all__:
        assert hasattr(anon, name), name


def _transformers():
    return [
        anon.DropIdentifiers(),
        anon.Pseudonymiser(KEY),
        anon.Redactor(),
        anon.Recoder({"vic_AgeWhenTrafficked": ("age", "band10")}),
        anon.TopBottomCoder("vic_AgeWhenTrafficked", top=30),
        anon.PRAM("prs_Citizenship", seed=1),
        anon.AddNoise("vic_AgeWhenTrafficked", noise=10, seed=1, decimals=0),
    ]


@pytest.mark.parametrize("tr", _transformers(), ids=lambda t: type(t).__name__)
def test_fit_returns_self_and_input_is_never_modified(tr, cases):
    before = cases.copy()
    attrs = {"htwork": dict(cases.attrs["htwork"])}
    params = tr.get_params()
    assert tr.fit(cases) is tr
    out = tr.transform(cases)
    assert isinstance(out, pd.DataFrame) and out is not cases
    pd.testing.assert_frame_equal(cases, before)
    assert cases.attrs == attrs and out.attrs == attrs
    assert tr.get_params() == params  # hyperparameters unchanged by fit
    learned = [k for k in vars(tr) if k.endswith("_") and not k.startswith("_")]
    assert learned, "fit learns attributes ending in _"
    assert type(tr).__name__ in repr(tr)


@pytest.mark.parametrize("tr", _transformers(), ids=lambda t: type(t).__name__)
def test_transform_before_fit_is_a_clear_error(tr, cases):
    with pytest.raises(NotFittedError, match="fit"):
        tr.transform(cases)


def test_not_a_frame_is_a_clear_error():
    with pytest.raises(InputError, match="DataFrame"):
        anon.detect_identifiers([1, 2, 3])


def test_set_params_rejects_unknown():
    with pytest.raises(InputError, match="no parameter"):
        anon.PRAM("x").set_params(retension=0.9)


@pytest.mark.parametrize(
    "module", ["identifiers", "redact", "recode", "pseudonymise", "hierarchy", "pram", "noise"]
)
def test_docstring_examples(module):
    import doctest
    import importlib

    mod = importlib.import_module(f"htwork.anonymise.{module}")
    result = doctest.testmod(mod)
    assert result.failed == 0
