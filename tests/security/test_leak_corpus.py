"""The leak scan catches at least 98% of a corpus of more than 100 planted leaks, across every
output format and script (issue 17, point 6)."""

from __future__ import annotations

import collections

import pytest

from htwork.release import scan
from htwork.release.scan import identifier_values

from .corpus import caught

FORMATS = {"md", "md-table", "txt", "utf16", "utf16-nobom", "html", "json", "json-escaped",
           "json-number", "yaml", "yaml-comment", "csv-cell", "csv-last", "csv-header",
           "parquet-data", "parquet-colname", "parquet-meta", "xlsx", "xlsx-header",
           "xlsx-number", "png-text", "png-ztxt", "png-itxt", "gzip", "gzip-csv", "filename",
           "xlsx-htwork"}


@pytest.fixture(scope="module")
def results(plants, corpus_extract):
    _, df = corpus_extract
    values = identifier_values(df)
    return [(plant, caught(plant, scan(folder, df, values=values).leaks))
            for plant, folder in plants]


def test_corpus_is_broad(plants):
    assert len(plants) >= 100
    formats = {p.fmt for p, _ in plants}
    assert formats >= FORMATS, sorted(FORMATS - formats)
    variants = {p.variant for p, _ in plants}
    for word in ("thai", "lao", "khmer", "myanmar", "vietnamese", "spaces-removed",
                 "en-dash", "underscore", "last-column"):
        assert any(word in v for v in variants), word


def test_clean_release_passes(clean_release, corpus_extract):
    _, df = corpus_extract
    result = scan(clean_release, df)
    assert result.ok, result.summary()


@pytest.mark.slow
def test_scan_catches_98_percent(results):
    missed = [p.id for p, ok in results if not ok]
    rate = 1 - len(missed) / len(results)
    assert rate >= 0.98, f"caught {rate:.1%}; missed {missed}"


def test_every_format_is_read(results):
    by_format = collections.defaultdict(list)
    for plant, ok in results:
        by_format[plant.fmt].append(ok)
    unread = sorted(f for f, oks in by_format.items() if not any(oks))
    assert not unread, unread


def test_summary_masks_values(plants, corpus_extract):
    _, df = corpus_extract
    plant, folder = plants[0]
    result = scan(folder, df)
    assert not result.ok
    assert plant.value not in result.summary()
