"""One vocabulary of missing values."""

from __future__ import annotations

from htwork.core.missing import Missing, MissingReason, missing_values


def test_three_kinds_written_as_the_release_and_report_write_them():
    from htwork.release.package import MISSING_VALUES, SUPPRESSED
    from htwork.report.people import NOT_RECORDED
    from htwork.report.suppression import SYMBOL

    assert [m.value for m in Missing] == ["not_recorded", "suppressed", "not_applicable"]
    assert SUPPRESSED == Missing.SUPPRESSED.release_value == "suppressed"
    assert SYMBOL == Missing.SUPPRESSED.table_value == "x"
    assert NOT_RECORDED == Missing.NOT_RECORDED.table_value == "Not recorded"
    assert Missing.NOT_RECORDED.release_value == "" == Missing.NOT_APPLICABLE.release_value
    assert MISSING_VALUES == [
        {"value": "", "label": "not recorded"},
        {"value": "suppressed", "label": "suppressed to protect the people in the data"},
    ]


def test_a_reason_extends_a_kind():
    refused = Missing.NOT_RECORDED.because("refused", code=-99)
    assert isinstance(refused, MissingReason)
    assert refused.kind is Missing.NOT_RECORDED and refused.code == -99
    assert refused.label == "refused" and refused.release_value == ""
    assert MissingReason(Missing.SUPPRESSED).label == Missing.SUPPRESSED.label
    assert missing_values(Missing.NOT_APPLICABLE.because("not part of this combination")) == [
        {"value": "", "label": "not part of this combination"}]
