"""Simulated agency lists keep the truth apart; keyed encodings resist a frequency attack."""

from __future__ import annotations

import pytest

from htwork.linkage import encode, frequency_attack, simulate_agency_lists
from htwork.linkage.attack import UNKEYED_KEY


def test_lists_hold_no_truth_and_are_reproducible(sim):
    for df in sim.lists.values():
        assert list(df.columns) == ["name", "dob", "sex"]
        assert df.index[0] == 2
    again = simulate_agency_lists(600, seed=11)
    for name in sim.lists:
        assert sim.lists[name].equals(again.lists[name])
    other = simulate_agency_lists(600, seed=12)
    assert not sim.lists["Police"].equals(other.lists["Police"])


def test_truth_and_capture(sim):
    t = sim.truth
    assert len(t) == sum(len(v) for v in sim.lists.values())
    assert not t.duplicated(["list", "person"]).any()      # one record per person per list
    cap = sim.true_capture_table()
    assert cap.observed == t["person"].nunique() < sim.n_population
    # positive dependence between police and welfare (referrals): odds ratio above 1
    on = {n: set(t.loc[t["list"] == n, "person"]) for n in sim.lists}
    everyone = set(range(sim.n_population))
    a, b = on["Police"], on["Welfare"]
    n11, n10 = len(a & b), len(a - b)
    n01, n00 = len(b - a), len(everyone - a - b)
    assert n11 * n00 / (n10 * n01) > 1.5


def test_recording_errors_are_present():
    s = simulate_agency_lists(3000, seed=5)
    police, ngo, labour = s.lists["Police"], s.lists["NGO"], s.lists["Labour"]
    assert police["dob"].str.fullmatch(r"\d\d/\d\d/25\d\d").mean() > 0.6      # Buddhist Era
    assert police["name"].str.contains(r"[\u0e00-\u0e7f]").any()              # Thai script
    assert ngo["name"].str.contains(r"[\u1000-\u109f]").any()                 # Burmese
    assert ngo["name"].str.contains(r"[\u1780-\u17ff]").any()                 # Khmer
    assert ngo["name"].str.contains(r"\(").any()                              # nicknames
    assert ngo["dob"].str.fullmatch(r"\d{4}").mean() > 0.05                   # year only
    assert labour["dob"].isna().mean() > 0.05                                 # missing
    written = labour["name"].str.replace(r'\s*"[^"]*"', "", regex=True)  # nickname aside
    assert written.str.isupper().mean() > 0.9                                # capitals


@pytest.fixture(scope="module")
def asean_names():
    """10,000 common ASEAN names (faker's ASEAN locales, fixed seed: no real person) and, apart,
    the attacker's public knowledge: another 10,000 drawn the same way (the same common given
    and family names, with their frequencies)."""
    from faker import Faker

    def draw(seed):
        fake = Faker(["th_TH", "vi_VN", "id_ID", "fil_PH", "en_PH"])
        fake.seed_instance(seed)
        return [fake.name() for _ in range(10_000)]

    return draw(2026), draw(7)


def test_unkeyed_encoding_breaks_keyed_resists(asean_names, key):
    import pandas as pd

    names, public = asean_names
    df = pd.DataFrame({"name": names}, index=range(2, len(names) + 2))
    unkeyed = encode(df, UNKEYED_KEY, "Test")
    keyed = encode(df, key, "Test")
    # the encodings are sorted by record number: put the true names in the same order
    order_u = {r: i for i, r in enumerate(unkeyed.frame["rid"])}
    order_k = {r: i for i, r in enumerate(keyed.frame["rid"])}
    from htwork.linkage import Encoder

    eu, ek = Encoder(UNKEYED_KEY), Encoder(key)
    true_u = [None] * len(names)
    true_k = [None] * len(names)
    for row, name in zip(df.index, names, strict=True):
        true_u[order_u[eu.record_id("Test", row)]] = name
        true_k[order_k[ek.record_id("Test", row)]] = name
    broken = frequency_attack(unkeyed, true_u, public)
    resists = frequency_attack(keyed, true_k, public)
    assert broken.dictionary > 0.8           # the attacker reads the filters token by token
    assert broken.combined > 0.8
    assert resists.dictionary == 0.0         # without the key nothing matches
    assert resists.combined < 0.02           # only the few most common names by their rank
    assert resists.combined == resists.frequency
