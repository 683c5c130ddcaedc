"""Release policies: what may appear, what must be protected, the thresholds a release must meet.

A policy is plain data (:class:`Policy`), loaded from a named preset (:data:`PRESETS`) or a
YAML file (:func:`load_policy`). Its :meth:`Policy.to_dict` form is what ``recipe.yaml`` records,
so that a release can be rebuilt from the recipe alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from htwork.errors import InputError

__all__ = ["Policy", "Thresholds", "PRESETS", "load_policy", "RELEASE_QUASI", "ctdc_k11",
           "sds_resolution10", "hdx_global_risk_3pct"]

#: The release standard's quasi-identifiers used by the presets: CTDC's five anonymisation
#: keys plus ``majorityStatus``, which the release also publishes and which is derived from the
#: age: left out, a record whose age band is suppressed still shows minor/adult, and on the
#: demo extract 281 records that look 11-anonymous on the five keys are not (it costs 27 more
#: suppressed cells to include it).
RELEASE_QUASI: tuple[str, ...] = (
    "gender", "ageBroad", "majorityStatus", "citizenship", "CountryOfExploitation",
    "yearOfRegistration",
)
_ROUTES = ("anonymise", "synthesise", "aggregate")
#: Policy keys that name columns, and may name them by role instead (``{role: sensitive}``).
ROLE_KEYS: tuple[str, ...] = ("quasi_identifiers", "sensitive", "never", "columns",
                              "aggregate_columns")


@dataclass(frozen=True)
class Thresholds:
    """Limits a release must meet; ``None`` leaves a measure unchecked.

    Parameters
    ----------
    k : int, optional
        Every record shares its quasi-identifiers with at least ``k - 1`` others
        (missing values count as wildcards, sdcMicro's rule).
    global_risk : float, optional
        Largest allowed mean re-identification risk (prosecutor model, ``1/fk``), e.g. 0.03.
    individual_risk : float, optional
        Largest allowed risk of any single record.
    suda_records : int, optional
        Largest allowed number of records with a SUDA score above zero (special uniques).
    l_diversity : int, optional
        Every equivalence class shows at least this many distinct values of each sensitive
        attribute (distinct l-diversity).
    min_cell : int, optional
        Aggregate route: smallest count a published cell may hold.
    rounding : int, optional
        Aggregate route: published counts are rounded down to a multiple of this.
    anonymeter : float, optional
        Synthesise route: ceiling on how much any anonymeter attack (singling out,
        linkability, inference per secret column) may succeed on the synthetic table beyond
        the same attack on real records the synthesizer never saw (the holdout): the risk a
        fresh sample of real people would carry is not charged to the release.
    """

    k: int | None = None
    global_risk: float | None = None
    individual_risk: float | None = None
    suda_records: int | None = None
    l_diversity: int | None = None
    min_cell: int | None = None
    rounding: int | None = None
    anonymeter: float | None = None


@dataclass(frozen=True)
class Policy:
    """What a release may contain and the risk it may carry.

    Parameters
    ----------
    name : str
        Short name, shown in the datasheet and the recipe.
    title : str
        One line.
    source : str
        Where the rule comes from (cited in the datasheet).
    route : {"anonymise", "synthesise", "aggregate"}
        Publish protected microdata, a synthetic table, or counts with small-cell suppression.
    quasi_identifiers : list of str
        Columns an attacker may know (sdcMicro's ``keyVars``, ARX's quasi-identifying
        attributes). In YAML each of ``quasi_identifiers``, ``sensitive``, ``never``,
        ``columns`` and ``aggregate_columns`` is a list of column names, a mapping
        ``{role: quasi_identifier}`` naming the columns by their role in the table's schema
        (ARX's attribute types), or a list mixing both (``[age, {role: quasi_identifier}]``).
    sensitive : list of str
        Release-standard columns whose values must not be learnt (checked by l-diversity).
    never : list of str
        Columns that may never appear in the release (release-standard or input names).
    columns : list of str, optional
        Release-standard columns to publish; empty means all the standard's columns.
    pseudonymise : dict
        ``{input column: release column}`` published as keyed pseudonyms (HMAC-SHA256); needs a
        key, which is never written into the release.
    recode : dict
        ``{column: level}``: generalise a quasi-identifier before anything else, with the
        release hierarchies of :mod:`htwork.release.protect` (0 = unchanged).
    suppress_k : int or "auto", optional
        Local suppression to this k after recoding; ``"auto"`` picks the smallest k from
        2, 3, 5, 11, 15, 20, 30, 50 meeting the thresholds.
    importance : list of str
        Quasi-identifiers to keep most (blanked last) in local suppression.
    reporting_length : int
        Aggregate route: largest number of attributes combined in one count.
    aggregate_columns : list of str
        Aggregate route: the attributes counted (default: the quasi-identifiers).
    thresholds : Thresholds
        The gate.
    synth_method : str
        Synthesise route: name passed to :func:`htwork.synth.make_synthesizer`.
    synth_attacks : int
        Synthesise route: anonymeter attacks per evaluation (more: narrower intervals, slower).
    synth_epsilon, synth_delta : float, optional
        Synthesise route with ``synth_method: dp``: the differential-privacy budget
        (``epsilon`` required, ``delta`` defaults to the synthesizer's 1e-9). Categories are
        drawn only from the release standard's published code lists.
    licence : str
        SPDX identifier of the data licence.
    roles : dict
        ``{policy key: roles}``: the roles (:data:`htwork.standards.ROLES`) whose columns a
        key takes besides the columns it names (from ``{role: ...}`` in YAML).
    """

    name: str
    title: str = ""
    source: str = ""
    route: str = "anonymise"
    quasi_identifiers: tuple[str, ...] = RELEASE_QUASI
    sensitive: tuple[str, ...] = ()
    never: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    pseudonymise: dict[str, str] = field(default_factory=dict)
    recode: dict[str, int] = field(default_factory=dict)
    suppress_k: int | str | None = None
    importance: tuple[str, ...] = ()
    reporting_length: int = 3
    aggregate_columns: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    synth_method: str = "default"
    synth_attacks: int = 500
    synth_epsilon: float | None = None
    synth_delta: float | None = None
    licence: str = "CC-BY-4.0"
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.route not in _ROUTES:
            raise InputError(f"policy {self.name!r}: unknown route {self.route!r}",
                             hint=f"use one of {', '.join(_ROUTES)}")
        from htwork.standards import ROLES

        for key, roles in self.roles.items():
            if key not in ROLE_KEYS:
                raise InputError(f"policy {self.name!r}: {key} cannot name columns by role",
                                 hint=f"roles may be used in {', '.join(ROLE_KEYS)}")
            bad = [r for r in roles if r not in ROLES]
            if bad:
                raise InputError(f"policy {self.name!r}: {key} names an unknown role "
                                 f"{bad[0]!r}", column=key,
                                 hint=f"roles are {', '.join(ROLES)}")
        if self.route != "aggregate" and not (self.quasi_identifiers
                                              or self.roles.get("quasi_identifiers")):
            raise InputError(f"policy {self.name!r} names no quasi-identifiers",
                             hint="list the columns an attacker may know under quasi_identifiers")
        sk = self.suppress_k
        if sk is not None and sk != "auto" and (not isinstance(sk, int) or sk < 2):
            raise InputError(f"policy {self.name!r}: suppress_k must be a whole number >= 2 "
                             f"or 'auto', not {sk!r}")
        from htwork.release.policy_floors import check_policy

        check_policy(self)  # floors of every threshold; a policy must protect someone

    def to_dict(self) -> dict[str, Any]:
        """Plain data (lists, dicts, numbers), as written to ``recipe.yaml``."""
        d = asdict(self)
        roles = d.pop("roles")
        for k, v in d.items():
            if isinstance(v, tuple):
                d[k] = list(v)
        for k, rs in roles.items():
            refs = [{"role": r} for r in rs]
            d[k] = d[k] + refs if d[k] else (refs[0] if len(refs) == 1 else refs)
        d["thresholds"] = {k: v for k, v in d["thresholds"].items() if v is not None}
        for k in ("synth_epsilon", "synth_delta"):  # only a dp policy has a budget
            if d[k] is None:
                del d[k]
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str = "policy") -> Policy:
        """Build a policy from plain data (a YAML document or a recipe's ``policy``)."""
        if not isinstance(data, dict) or "name" not in data:
            raise InputError(f"{where}: a policy is a mapping with at least a 'name'",
                             hint="see docs in htwork.release.policy.Policy")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(f"{where}: unknown policy keys {unknown}",
                             hint=f"allowed keys: {', '.join(sorted(known))}")
        tknown = {f.name for f in fields(Thresholds)}
        th = dict(data.get("thresholds") or {})
        bad = sorted(set(th) - tknown)
        if bad:
            raise InputError(f"{where}: unknown thresholds {bad}",
                             hint=f"allowed: {', '.join(sorted(tknown))}")
        kw = dict(data)
        kw.pop("roles", None)
        kw["thresholds"] = Thresholds(**th)
        roles: dict[str, tuple[str, ...]] = {}
        for key in ("quasi_identifiers", "sensitive", "never", "columns", "importance",
                    "aggregate_columns"):
            if key in kw:
                names, by_role = _column_spec(kw[key], key, where)
                if by_role and key not in ROLE_KEYS:
                    raise InputError(f"{where}: {key} takes column names, not roles",
                                     column=key)
                kw[key] = names
                if by_role:
                    roles[key] = by_role
        kw["roles"] = roles
        for key in ("pseudonymise", "recode"):
            kw[key] = dict(kw.get(key) or {})
        return cls(**kw)


def _column_spec(value: Any, key: str, where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(column names, roles)`` of one policy key written in YAML: ``"a,b"``, ``[a, b]``,
    ``{role: r}``, ``{role: [r, s]}`` or a list mixing names and ``{role: r}``."""
    if value is None:
        return (), ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip()), ()
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list | tuple):
        raise InputError(f"{where}: {key} must be a list of columns or {{role: ...}}, not "
                         f"{value!r}", column=key)
    names: list[str] = []
    roles: list[str] = []
    for item in items:
        if isinstance(item, dict):
            if set(item) != {"role"}:
                raise InputError(f"{where}: {key}: a mapping names a role, as "
                                 f"{{role: quasi_identifier}}, not {item!r}", column=key)
            r = item["role"]
            roles.extend([r] if isinstance(r, str) else list(r or ()))
        elif isinstance(item, str | int | float) and not isinstance(item, bool):
            names.append(str(item))
        else:
            raise InputError(f"{where}: {key}: {item!r} is neither a column name nor "
                             "{role: ...}", column=key)
    return tuple(names), tuple(roles)


CTDC_K11 = Policy(
    name="ctdc_k11",
    title="k = 11 on the release quasi-identifiers, as the Counter Trafficking Data "
          "Collaborative did",
    source="Counter Trafficking Data Collaborative (IOM, Polaris, Liberty Shared), "
           "'CTDC global dataset: data privacy and anonymisation', ctdatacollaborative.org "
           "(2017-2021): every combination of gender, age band, citizenship, country of "
           "exploitation and year of registration describes at least 11 people. htwork adds "
           "majorityStatus to the keys because the release publishes it beside the age band.",
    route="anonymise",
    quasi_identifiers=RELEASE_QUASI,
    sensitive=("isForcedLabour", "isSexualExploit"),
    suppress_k=11,
    importance=("gender", "citizenship", "CountryOfExploitation", "yearOfRegistration",
                "majorityStatus", "ageBroad"),
    thresholds=Thresholds(k=11),
)
SDS_RESOLUTION10 = Policy(
    name="sds_resolution10",
    title="Every published combination of up to 3 attributes describes at least 10 people; "
          "counts rounded down to a multiple of 10 (Synthetic Data Showcase)",
    source="Microsoft Research / Tech Against Trafficking, Synthetic Data Showcase "
           "(github.com/microsoft/synthetic-data-showcase, 2021-2023): aggregate counts of "
           "attribute combinations up to a reporting length, with privacy resolution 10 "
           "(counts below 10 withheld, all counts rounded down to a multiple of 10).",
    route="aggregate",
    quasi_identifiers=RELEASE_QUASI,
    aggregate_columns=("gender", "ageBroad", "citizenship", "CountryOfExploitation",
                       "yearOfRegistration", "isForcedLabour", "isSexualExploit", "meansThreats"),
    reporting_length=3,
    thresholds=Thresholds(min_cell=10, rounding=10),
)

HDX_GLOBAL_RISK_3PCT = Policy(
    name="hdx_global_risk_3pct",
    title="sdcMicro global re-identification risk below 3% (Humanitarian Data Exchange)",
    source="OCHA Centre for Humanitarian Data, 'Guidance note: statistical disclosure "
           "control' and the HDX disclosure-risk review (2019-2023): microdata are shared on "
           "HDX only when the sdcMicro global risk is below 3%.",
    route="anonymise",
    quasi_identifiers=RELEASE_QUASI,
    sensitive=("isForcedLabour", "isSexualExploit"),
    suppress_k="auto",
    importance=("gender", "citizenship", "CountryOfExploitation", "yearOfRegistration",
                "majorityStatus", "ageBroad"),
    thresholds=Thresholds(global_risk=0.03),
)



def ctdc_k11() -> Policy:
    """Preset ``ctdc_k11``: k = 11 on gender, ageBroad, citizenship, CountryOfExploitation and
    yearOfRegistration (plus majorityStatus, published beside the age band and derived from
    it), by local suppression keeping the most important keys.

    Source: Counter Trafficking Data Collaborative (IOM, Polaris, Liberty Shared), global victim
    dataset, data privacy and anonymisation methodology, ctdatacollaborative.org (2017-2021).
    """
    return CTDC_K11


def sds_resolution10() -> Policy:
    """Preset ``sds_resolution10``: counts of every combination of up to 3 attributes, cells
    under 10 withheld and counts rounded down to a multiple of 10.

    Source: Microsoft Research and Tech Against Trafficking, Synthetic Data Showcase
    (github.com/microsoft/synthetic-data-showcase), "privacy resolution" 10.
    """
    return SDS_RESOLUTION10


def hdx_global_risk_3pct() -> Policy:
    """Preset ``hdx_global_risk_3pct``: sdcMicro global risk (mean of 1/fk) below 3%, by local
    suppression with the smallest k that reaches it.

    Source: OCHA Centre for Humanitarian Data, Humanitarian Data Exchange, "Guidance note:
    statistical disclosure control" (2019) and its disclosure-risk review of shared microdata.
    """
    return HDX_GLOBAL_RISK_3PCT


#: Named presets. Each cites its source in ``Policy.source`` (copied into the datasheet).
PRESETS: dict[str, Policy] = {
    f.__name__: f() for f in (ctdc_k11, sds_resolution10, hdx_global_risk_3pct)
}


def load_policy(policy: str | Path | Policy | dict[str, Any]) -> Policy:
    """A policy from a preset name, a YAML file, a mapping, or a :class:`Policy`.

    Parameters
    ----------
    policy : str, Path, dict or Policy
        ``"ctdc_k11"``, ``"sds_resolution10"``, ``"hdx_global_risk_3pct"``, or a YAML file
        holding the keys of :class:`Policy` (``thresholds`` a mapping of
        :class:`Thresholds`).

    Returns
    -------
    Policy

    Raises
    ------
    InputError
        An unknown preset, a missing or malformed file, unknown keys.

    Examples
    --------
    >>> load_policy("ctdc_k11").thresholds.k
    11
    """
    if isinstance(policy, Policy):
        return policy
    if isinstance(policy, dict):
        return Policy.from_dict(policy)
    text = str(policy)
    if text in PRESETS:
        return PRESETS[text]
    path = Path(text)
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(f"unknown policy {text!r}",
                         hint=f"use a preset ({', '.join(PRESETS)}) or a policy YAML file")
    if not path.is_file():
        raise InputError("the policy file does not exist", file=path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"the policy file is not valid YAML: {exc}", file=path) from None
    if isinstance(data, dict):
        data.setdefault("name", path.stem)
    return Policy.from_dict(data, where=str(path))
