"""One parameter mixin and one not-fitted error."""

from __future__ import annotations

import pandas as pd
import pytest

from htwork.core.params import HIDDEN, ParamsMixin, check_is_fitted
from htwork.errors import HtworkError, InputError, NotFittedError


class _Base(ParamsMixin):
    def __init__(self, *, alpha: float = 1.0, beta: str = "b") -> None:
        self.alpha = alpha
        self.beta = beta


class _Child(_Base):
    _secret_params = ("key",)

    def __init__(self, gamma: int = 3, key: bytes = b"k", **kwargs) -> None:
        super().__init__(**kwargs)
        self.gamma = gamma
        self.key = key


class _Fixed(_Child):
    _fixed_params = ("gamma",)

    def __init__(self, **kwargs) -> None:
        super().__init__(gamma=0, **kwargs)


class _Outer(ParamsMixin):
    def __init__(self, inner: _Base | None = None, n: int = 1) -> None:
        self.inner = inner
        self.n = n


def test_params_round_trip():
    b = _Base(alpha=2.5, beta="x")
    assert b.get_params() == {"alpha": 2.5, "beta": "x"}
    clone = _Base(**b.get_params())
    assert clone.get_params() == b.get_params()
    assert clone.set_params(alpha=0.1) is clone and clone.alpha == 0.1


def test_params_follow_kwargs_to_the_parent_and_hide_secrets():
    c = _Child(gamma=4, key=b"secret", alpha=9.0)
    assert c.get_params() == {"gamma": 4, "key": HIDDEN, "alpha": 9.0, "beta": "b"}
    assert b"secret" not in repr(c.get_params()).encode()
    c.set_params(beta="z", key=b"other")
    assert c.beta == "z" and c.key == b"other"
    f = _Fixed(alpha=1.5)
    assert "gamma" not in f.get_params() and f.get_params()["alpha"] == 1.5
    with pytest.raises(InputError):
        f.set_params(gamma=2)


def test_nested_params():
    o = _Outer(_Base(alpha=3.0))
    assert o.get_params()["inner__alpha"] == 3.0
    assert "inner__alpha" not in o.get_params(deep=False)
    o.set_params(inner__beta="q", n=2)
    assert o.inner is not None and o.inner.beta == "q" and o.n == 2


def test_unknown_parameter_is_a_value_error():
    with pytest.raises(ValueError, match="no parameter 'colour'"):
        _Base().set_params(colour="red")


def test_errors_are_standard_exceptions_too():
    assert issubclass(InputError, ValueError) and issubclass(InputError, HtworkError)
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)
    assert issubclass(NotFittedError, HtworkError)
    with pytest.raises(NotFittedError, match="fit"):
        check_is_fitted(_Base(), "model_")


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"sex": ["F", "M"] * 60, "age": ["18--29", "30--47", "48+"] * 40})


def test_an_unfitted_transformer_raises_not_fitted():
    from htwork.anonymise import PRAM, LocalSuppression

    for tr in (PRAM("sex"), LocalSuppression(["sex", "age"], k=3)):
        with pytest.raises(NotFittedError) as err:
            tr.transform(_frame())
        assert isinstance(err.value, ValueError)


def test_an_unfitted_synthesizer_raises_not_fitted(tmp_path):
    from htwork.synth import make_synthesizer

    for name in ("independent", "default", "cart"):
        syn = make_synthesizer(name)
        with pytest.raises(NotFittedError, match="fit") as err:
            syn.sample(5, seed=0)
        assert isinstance(err.value, ValueError)
        with pytest.raises(ValueError):
            syn.save(tmp_path / "model.pkl")
        assert not (tmp_path / "model.pkl").exists()
    syn = make_synthesizer("independent")
    assert "max_parents" not in syn.get_params()
    assert syn.get_params()["min_rows"] == 100
    again = type(syn)(**syn.get_params())
    assert again.get_params() == syn.get_params()


def test_case_simulator_params():
    from htwork.simulate import CaseSimulator

    sim = CaseSimulator(start_year=2020)
    assert CaseSimulator(**sim.get_params()).get_params() == sim.get_params()
    with pytest.raises(ValueError):
        sim.set_params(colour="red")
