"""Disclosure risk of case data: who could recognise a person, and what they would learn.

Measures are plain functions returning small result objects (``summary()``, ``to_frame()``,
``to_dict()``, a readable ``repr`` and HTML for Jupyter); their numbers follow sdcMicro 5.8.1,
whose conventions each module documents.

* :func:`frequencies` -- ``fk``/``Fk`` with missing values as wildcards, equivalence classes,
  k-anonymity violations, sample uniques;
* :func:`individual_risk` -- ``1/fk`` or Benedetti–Franconi risk, global risk, expected
  re-identifications, cluster risk;
* :func:`suda2` -- special uniques, SUDA and DIS-SUDA scores, per-key contributions;
* :func:`l_diversity`, :func:`t_closeness` -- what the quasi-identifiers reveal about a
  sensitive attribute;
* :func:`assess` -- all of them in one :class:`RiskReport`; :func:`explain` -- in words.
"""

from htwork.risk.diversity import LDiversityResult, TClosenessResult, l_diversity, t_closeness
from htwork.risk.explain import Explanation, contribution_figure, explain
from htwork.risk.frequencies import FrequencyResult, frequencies
from htwork.risk.individual import IndividualRiskResult, benedetti_franconi, individual_risk
from htwork.risk.report import RiskReport, assess
from htwork.risk.suda import Suda2Result, suda2

__all__ = [
    "Explanation",
    "FrequencyResult",
    "IndividualRiskResult",
    "LDiversityResult",
    "RiskReport",
    "Suda2Result",
    "TClosenessResult",
    "assess",
    "benedetti_franconi",
    "contribution_figure",
    "explain",
    "frequencies",
    "individual_risk",
    "l_diversity",
    "suda2",
    "t_closeness",
]
