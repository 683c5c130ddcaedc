"""Hyperparameters the scikit-learn way: ``get_params`` / ``set_params`` from ``__init__``.

An object that learns from data (a transformer, a synthesizer) or draws data (a simulator)
keeps the arguments of its ``__init__`` unchanged, as attributes of the same names.
:class:`ParamsMixin` reads their names from the signature, so ``get_params`` never goes out of
date; :func:`check_is_fitted` is the one "not fitted yet" check.
"""

from __future__ import annotations

import inspect
from typing import Any, ClassVar, Self

from htwork.errors import InputError, NotFittedError

__all__ = ["HIDDEN", "ParamsMixin", "check_is_fitted"]

#: What ``get_params`` shows in place of a secret (a key must never reach a recipe or a log)
HIDDEN = "<hidden>"


class ParamsMixin:
    """``get_params`` and ``set_params`` from the ``__init__`` signature.

    The parameters are the named arguments of ``__init__``. When it also takes ``**kwargs``
    (passed on to the parent class), the parent's named arguments are parameters too, and so
    on up the classes.

    Class attributes
    ----------------
    _secret_params : tuple of str
        Parameters ``get_params`` shows as :data:`HIDDEN`.
    _fixed_params : tuple of str
        Arguments of a parent's ``__init__`` a subclass fixes (not parameters of the subclass).
    """

    _secret_params: ClassVar[tuple[str, ...]] = ()
    _fixed_params: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def _param_names(cls) -> list[str]:
        """Names of the parameters, in signature order (the class's own first)."""
        names: list[str] = []
        for klass in cls.__mro__:
            init = klass.__dict__.get("__init__")
            if init is None:
                continue
            if klass is object:
                break
            params = inspect.signature(init).parameters.values()
            for p in params:
                if p.name == "self" or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
                    continue
                if p.name not in names and p.name not in cls._fixed_params:
                    names.append(p.name)
            if not any(p.kind is p.VAR_KEYWORD for p in params):
                break
        return names

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters as given to ``__init__`` (secrets shown as ``"<hidden>"``).

        Parameters
        ----------
        deep : bool
            Also list the parameters of parameters that have ``get_params`` themselves, as
            ``"name__param"`` (scikit-learn's convention).
        """
        out: dict[str, Any] = {}
        for name in self._param_names():
            if name in self._secret_params:
                out[name] = HIDDEN
                continue
            value = getattr(self, name)
            out[name] = value
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update({f"{name}__{k}": v for k, v in value.get_params().items()})
        return out

    def set_params(self, **params: Any) -> Self:
        """Set parameters (``"name__param"`` for a parameter's own); returns ``self``.

        Raises
        ------
        htwork.errors.InputError
            A name that is not a parameter (also a ``ValueError``).
        """
        valid = self._param_names()
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise InputError(
                    f"{type(self).__name__} has no parameter {name!r}.",
                    hint=f"valid parameters: {', '.join(sorted(valid))}",
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self


def check_is_fitted(obj: object, attribute: str, *, hint: str | None = None) -> None:
    """Raise :class:`~htwork.errors.NotFittedError` unless ``obj`` has ``attribute``.

    Parameters
    ----------
    obj : object
        The estimator.
    attribute : str
        An attribute ``fit`` sets (it ends in ``_``).
    hint : str, optional
        What to do; by default "call Name(...).fit(df) first".
    """
    if not hasattr(obj, attribute):
        name = type(obj).__name__
        raise NotFittedError(
            f"this {name} has not been fitted yet.",
            hint=hint or f"call {name}(...).fit(df) first",
        )
