"""What the statutory rules keep between calls gives what working it out afresh gives.

``parse_duration`` keeps each text's Duration (frozen, so one can be handed out twice) and
``_headcount_names`` the sorted headcount fact names of the fact specs last asked about; both are
asked dozens of times a council. Each is compared here with the answer worked out from scratch,
and the refusals (what is not a duration) must stay as they were.
"""

from __future__ import annotations

import dataclasses

import pytest

from efl.law import dates, statutory
from efl.law.dates import Duration, parse_duration


@pytest.mark.parametrize("text, expected", [
    ("P1Y", Duration(1, 0, 0, "P1Y")), ("P6M", Duration(0, 6, 0, "P6M")), ("P2W", Duration(0, 0, 14, "P2W")),
    ("P1Y6M10D", Duration(1, 6, 10, "P1Y6M10D")), (" P3Y ", Duration(3, 0, 0, "P3Y")), ("P30D", Duration(0, 0, 30, "P30D")),
])
def test_a_kept_duration_is_the_one_parsed_afresh(text, expected):
    dates._DURATIONS.clear()
    first = parse_duration(text)
    again = parse_duration(text)
    assert first == again == expected
    assert first.text == text.strip()
    with pytest.raises(dataclasses.FrozenInstanceError):  # why handing the same one out twice is safe
        again.years = 5  # type: ignore[misc]


class Text(str):
    pass


@pytest.mark.parametrize("text", ["", "1Y", "P", "PY", "P1.5Y", "P-1Y", None, 12, ["P1Y"], {"P1Y": 1}])
def test_what_is_not_a_duration_is_refused_every_time(text):
    for _ in range(2):
        with pytest.raises(ValueError) as refused:
            parse_duration(text)
        assert f"{text!r} is not a duration (expected ISO 8601" in str(refused.value)


def test_a_str_subclass_is_parsed_each_time_and_not_kept():
    dates._DURATIONS.clear()
    assert parse_duration(Text("P4Y")) == Duration(4, 0, 0, "P4Y")
    assert not dates._DURATIONS


@dataclasses.dataclass
class Spec:
    headcount: bool = False


def test_headcount_names_follow_the_specs_asked_about():
    first = {"z.count": Spec(True), "a.count": Spec(True), "other": Spec(), "plain": object()}
    assert statutory._headcount_names(first) == ("a.count", "z.count")
    assert statutory._headcount_names(first) == ("a.count", "z.count")
    second = {"b.count": Spec(True)}
    assert statutory._headcount_names(second) == ("b.count",)
    second["a.count"] = Spec(True)  # a spec added to the same dict is seen
    assert statutory._headcount_names(second) == ("a.count", "b.count")
    assert statutory._headcount_names({}) == ()
    assert statutory._headcount_names(first) == ("a.count", "z.count")


def test_at_most_256_durations_are_kept_and_the_rest_are_still_parsed():
    dates._DURATIONS.clear()
    texts = [f"P{n}D" for n in range(300)]
    for n, text in enumerate(texts):
        assert parse_duration(text) == Duration(0, 0, n, text)
    assert len(dates._DURATIONS) == 256
    assert set(dates._DURATIONS) == set(texts[:256])  # the first asked for are kept, none replaced
    assert parse_duration("P299D") == Duration(0, 0, 299, "P299D")  # one not kept is parsed afresh
    dates._DURATIONS.clear()


@pytest.mark.parametrize("text, years, months, days", [
    ("P3W", 0, 0, 21), ("P2W5D", 0, 0, 19), ("P7Y11M", 7, 11, 0), ("P12M", 0, 12, 0), ("P0D", 0, 0, 0),
])
def test_each_part_of_a_duration_is_read_into_its_own_field(text, years, months, days):
    dates._DURATIONS.clear()
    got = parse_duration(text)
    assert (got.years, got.months, got.days, got.text) == (years, months, days, text)
    assert parse_duration(text) is got


def test_headcount_names_of_another_dict_of_the_same_size_are_its_own():
    assert statutory._headcount_names({"x.count": Spec(True), "y": Spec()}) == ("x.count",)
    assert statutory._headcount_names({"w.count": Spec(True), "v.count": Spec(True)}) == ("v.count", "w.count")
