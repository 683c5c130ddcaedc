"""SDV 2.0 synthesizers (GaussianCopula, CTGAN, TVAE) behind htwork's interface.

SDV is an optional extra (``pip install htwork[sdv]``; licence BUSL-1.1, not open source): it
is imported only when an SDV synthesizer is fitted, with a clear error when missing.

SDV 2.0's API takes a ``Metadata`` object and ``{table_name: DataFrame}`` dictionaries
(``fit({"cases": df})``, ``sample(n)`` returns ``{"cases": df}``). The adapter declares the
metadata from htwork's own types (:mod:`htwork.synth.types`; no identifier guessing, so no fake
names or IDs are invented): a number or year is ``numerical`` (its values, missing as NaN), a
date ``datetime`` (ISO text with its format), and why a number is missing (blank, ``-8``...)
a ``categorical`` column beside it; every other column is ``categorical``. Columns are renamed
to plain strings and back, and htwork's own coding and rules stay around SDV: its categories
are coded with the training codec, its numbers rounded to the column's grain and kept within
the training range, and every row filtered by the same rules as every backend.

Nothing reaches the network: SDV 2.0's only network code downloads demo data sets (never
called); its usage log (a CSV under the user's data folder, when its logger configuration asks
for one) is switched off by giving its loggers a null handler for the duration of each call.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from htwork.core.numbers import to_numbers
from htwork.errors import InputError
from htwork.progress import progress_wanted
from htwork.synth.base import Synthesizer

__all__ = ["SDVSynthesizer", "sdv_available"]

_MODELS = {
    "gaussiancopula": "GaussianCopulaSynthesizer",
    "ctgan": "CTGANSynthesizer",
    "tvae": "TVAESynthesizer",
}
_TABLE = "cases"
_SDV_LOGGERS = ("SingleTableSynthesizer", "MultiTableSynthesizer", "Metadata",
                "SingleTableMetadata", "sdv", "rdt", "copulas", "ctgan")


def sdv_available() -> bool:
    """Whether the optional SDV extra is installed."""
    try:
        import sdv  # noqa: F401
    except ImportError:
        return False
    return True


def _import_sdv():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from sdv import single_table
            from sdv.metadata import Metadata
    except ImportError as err:
        raise InputError(
            "the SDV synthesizers need the optional package 'sdv', which is not installed",
            hint="pip install 'htwork[sdv]' (SDV is licensed BUSL-1.1), or use htwork's own "
            "methods: default, dp, tree, cart, independent",
        ) from err
    return single_table, Metadata


@contextlib.contextmanager
def _quiet_sdv(progress: bool) -> Iterator[None]:
    """No SDV usage log file, no chatter; tqdm bars only when asked for."""
    saved = []
    for name in _SDV_LOGGERS:
        lg = logging.getLogger(name)
        saved.append((lg, lg.handlers[:], lg.propagate, lg.level))
        lg.handlers = [logging.NullHandler()]
        lg.propagate = False
    old_tqdm = os.environ.get("TQDM_DISABLE")
    if not progress:
        os.environ["TQDM_DISABLE"] = "1"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for lg, handlers, propagate, level in saved:
            lg.handlers, lg.propagate = handlers, propagate
            lg.setLevel(level)
        if not progress:
            if old_tqdm is None:
                os.environ.pop("TQDM_DISABLE", None)
            else:
                os.environ["TQDM_DISABLE"] = old_tqdm


class SDVSynthesizer(Synthesizer):
    """An SDV 2.0 single-table synthesizer through htwork's interface.

    Parameters
    ----------
    model : {"gaussiancopula", "ctgan", "tvae"}
        Which SDV synthesizer.
    epochs : int
        Training epochs for CTGAN and TVAE (SDV's default 300); ignored by GaussianCopula.
    batch_size : int
        Batch size for CTGAN and TVAE (a multiple of 10 for CTGAN).
    progress : bool, optional
        Show SDV's training progress bar (CTGAN/TVAE) where it can be seen (a notebook or a
        terminal); default: on unless the environment variable ``HTWORK_NO_PROGRESS`` is set.
    threads : int
        Torch threads while training.
    **kwargs
        ``rules``, ``min_rows``, ``max_categories``: see :class:`Synthesizer`.
    """

    name = "sdv"

    def __init__(
        self,
        model: str = "gaussiancopula",
        epochs: int = 300,
        batch_size: int = 500,
        progress: bool | None = None,
        threads: int = 2,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.model = model
        self.epochs = epochs
        self.batch_size = batch_size
        self.progress = progress
        self.threads = threads

    def _fit_codes(self, codes: np.ndarray, df: pd.DataFrame) -> None:
        key = str(self.model).lower().replace("_", "").replace("-", "")
        if key not in _MODELS:
            raise ValueError(f"model must be one of {sorted(_MODELS)}, not {self.model!r}")
        single_table, Metadata = _import_sdv()
        progress = progress_wanted(self.progress)
        self._names = [f"c{j}" for j in range(codes.shape[1])]
        table, columns = self._sdv_table(codes, df)
        metadata = Metadata.load_from_dict({"tables": {_TABLE: {"columns": columns}}})
        cls = getattr(single_table, _MODELS[key])
        params: dict[str, Any] = {}
        if key in ("ctgan", "tvae"):
            params = {"epochs": int(self.epochs), "batch_size": int(self.batch_size),
                      "verbose": progress, "enable_gpu": False}
        import torch

        torch_threads = torch.get_num_threads()
        torch.set_num_threads(int(self.threads))
        torch.manual_seed(0)
        try:
            with _quiet_sdv(progress):
                self.sdv_ = cls(metadata, **params)
                self.sdv_.fit({_TABLE: table})
        finally:
            torch.set_num_threads(torch_threads)

    def _as_text(self, codes: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame({n: np.char.add("v", codes[:, j].astype(str)).astype(object)
                             for j, n in enumerate(self._names)})

    def _numbers(self) -> dict[int, Any]:
        """Codec position -> the plan's column, for numbers and dates (their group node)."""
        plan = self.plan_
        cols = list(self.codec_.columns)
        return {cols.index(c): c for c in plan.binned if c in cols}

    def _sdv_table(self, codes: np.ndarray, df: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
        """The table SDV learns, with its metadata: categories as codes, numbers as values."""
        from htwork.synth.types import parse_values

        plan = self.plan_
        numbers = self._numbers()
        fine = {plan.fine_name(c) for c in plan.binned}
        data: dict[str, Any] = {}
        meta: dict[str, dict] = {}
        self._reasons: dict[int, list[str]] = {}
        for j, name in enumerate(self._names):
            col = self.codec_.columns[j]
            if col in fine:
                continue
            if j not in numbers:
                data[name] = np.char.add("v", codes[:, j].astype(str)).astype(object)
                meta[name] = {"sdtype": "categorical"}
                continue
            t = plan.types[col]
            values, reasons = parse_values(df[col], t)
            if t.kind == "date":
                stamps = pd.Series(np.datetime64("1970-01-01", "ns") + np.round(
                    np.nan_to_num(values) * 86400e9).astype("int64").astype("timedelta64[ns]"))
                text = stamps.dt.strftime("%Y-%m-%d %H:%M:%S")
                data[name] = text.where(~np.isnan(values), None)  # type: ignore[call-overload]  # pandas stubs: None as other
                meta[name] = {"sdtype": "datetime", "datetime_format": "%Y-%m-%d %H:%M:%S"}
            else:
                data[name] = values
                meta[name] = {"sdtype": "numerical"}
            labels = sorted({str(r) for r in reasons if r is not None})
            if labels:
                self._reasons[j] = labels
                data[name + "_why"] = np.array(["value" if r is None else str(r)
                                                for r in reasons], dtype=object)
                meta[name + "_why"] = {"sdtype": "categorical"}
        return pd.DataFrame(data), meta

    def _sample_codes(self, n: int, rng: np.random.Generator) -> np.ndarray:
        return self._sample_values(n, rng)[0]

    def _sample_values(self, n: int, rng: np.random.Generator):
        if n == 0:
            return np.zeros((0, len(self._names)), dtype=np.int32), None
        import torch

        seed = int(rng.integers(2**31 - 1))
        with _quiet_sdv(False):
            # SDV draws from numpy's and torch's global generators: seed both from ours
            state = np.random.get_state()
            np.random.seed(seed)
            torch.manual_seed(seed)
            try:
                if hasattr(self.sdv_, "reset_sampling"):  # its transformers' own generators
                    self.sdv_.reset_sampling()
                if hasattr(self.sdv_, "_set_random_state"):
                    self.sdv_._set_random_state(seed)
                out = self.sdv_.sample(int(n))
            finally:
                np.random.set_state(state)
        df = out[_TABLE] if isinstance(out, dict) else out
        return self._from_sdv(df)

    def _from_sdv(self, df: pd.DataFrame):
        """Codes (categories; a number's group and bin) and each number's values."""
        from htwork.synth.types import BLANK

        plan = self.plan_
        numbers = self._numbers()
        n = len(df)
        codes = np.zeros((n, len(self._names)), dtype=np.int64)
        values: dict[Any, np.ndarray] = {}
        positions = {c: j for j, c in enumerate(self.codec_.columns)}
        for j, name in enumerate(self._names):
            col = self.codec_.columns[j]
            if j in numbers:
                continue
            if name in df.columns:
                codes[:, j] = df[name].astype(str).str[1:].astype(np.int64).to_numpy()
        for j, col in numbers.items():
            name = self._names[j]
            b, t = plan.binned[col], plan.types[col]
            if t.kind == "date":
                stamps = pd.to_datetime(df[name], errors="coerce")
                q = ((stamps - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)).to_numpy(
                    dtype=float, na_value=np.nan)
            else:
                q = to_numbers(df[name]).to_numpy(dtype=float)
            why = (df[name + "_why"].astype(str).to_numpy() if name + "_why" in df.columns
                   else np.full(n, "value", dtype=object))
            reasons = np.array([None if w == "value" else w for w in why], dtype=object)
            reasons[(reasons == None) & np.isnan(q)] = BLANK  # noqa: E711
            q[reasons != None] = np.nan  # noqa: E711
            ok = ~np.isnan(q)
            if t.grain:
                q[ok] = np.round(q[ok] / t.grain) * t.grain
            q[ok] = np.clip(q[ok], b.edges[0], b.edges[-1])
            group, fine = b.to_categories(q, reasons)
            cats = b.categories()
            lut = {c: i for i, c in enumerate(cats)}
            codes[:, j] = [len(cats) if g is None else lut[g] for g in group]
            if plan.fine_name(col) in positions:
                codes[:, positions[plan.fine_name(col)]] = fine
            values[col] = q
        return codes.astype(np.int32), (values or None)
