"""Shared fixtures: a key, small simulated agency lists, their encodings and linkage."""

from __future__ import annotations

import hashlib

import pytest

from htwork.linkage import encode, link, simulate_agency_lists


@pytest.fixture(scope="session")
def key() -> bytes:
    return hashlib.sha256(b"htwork linkage tests").digest()


@pytest.fixture(scope="session")
def other_key() -> bytes:
    return hashlib.sha256(b"another agency's key").digest()


@pytest.fixture(scope="session")
def sim():
    return simulate_agency_lists(600, seed=11)


@pytest.fixture(scope="session")
def encoded(sim, key):
    return [encode(df, key, name) for name, df in sim.lists.items()]


@pytest.fixture(scope="session")
def linked(encoded):
    return link(encoded, u_pairs=200_000)
