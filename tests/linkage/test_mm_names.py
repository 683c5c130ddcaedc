"""Burmese names built from syllables for the agency-list simulator."""

from __future__ import annotations

import numpy as np

from htwork.linkage import simulate_agency_lists
from htwork.linkage._mm_names import draw_burmese_names
from htwork.linkage._myanmar import _split, romanise_myanmar
from htwork.linkage.normalise import fold_token


def test_names_are_varied_and_repeat_with_the_seed():
    female = np.random.default_rng(0).random(8000) < 0.55
    latin, native, variants = draw_burmese_names(np.random.default_rng(1), female)
    assert len(latin) / len(set(latin)) < 2.0  # about 1.5 people a name (the list: about 18)
    again = draw_burmese_names(np.random.default_rng(1), female)
    assert list(again[0]) == list(latin) and list(again[2]) == list(variants)
    assert list(draw_burmese_names(np.random.default_rng(2), female)[0]) != list(latin)


def test_script_and_latin_are_the_same_name():
    female = np.random.default_rng(3).random(500) < 0.5
    latin, native, variants = draw_burmese_names(np.random.default_rng(4), female)
    close = 0
    for lat, nat, var in zip(latin, native, variants, strict=True):
        words = lat.split()
        assert 2 <= len(words) <= 4 and len(_split(nat)) == len(words)
        assert not any(" " in v and v.split() == words for v in var)  # variants differ
        assert "".join(words) in var  # the syllables written together
        roman = romanise_myanmar(nat).split()
        same = sum(fold_token(a)[:2] == fold_token(b)[:2] for a, b in zip(words, roman,
                                                                          strict=True))
        close += same == len(words)
    assert close / len(latin) > 0.6  # the romanised script reads as the Latin name


def test_only_the_burmese_names_change():
    new = simulate_agency_lists(1500, seed=2)
    old = simulate_agency_lists(1500, seed=2, burmese_names="list")
    assert new.population.equals(old.population)  # the same people, countries and births
    on = {(r.list, r.person) for r in new.truth.itertuples()}
    assert on == {(r.list, r.person) for r in old.truth.itertuples()}  # on the same lists
    mm = set(new.population.loc[new.population["country"] == "MM", "person"])

    def others_of_the_same_name(sim) -> int:
        """Records of people of Myanmar written with a name that another person's bears."""
        seen: dict[str, set] = {}
        for r in sim.truth.itertuples():
            if r.person in mm:
                name = " ".join(sorted(str(sim.lists[r.list].loc[r.row, "name"]).lower()
                                       .split()))
                seen.setdefault(name, set()).add(r.person)
        return sum(len(p) for p in seen.values() if len(p) > 1)

    assert others_of_the_same_name(new) < others_of_the_same_name(old) / 3
