"""The shared wording helpers: a count with its noun, and the one "did you mean" hint."""

from __future__ import annotations

from matcher.wording import closest, count, did_you_mean


def test_count_puts_the_noun_in_the_plural_unless_there_is_one():
    """0 and 2 take the plural, 1 the singular; an irregular plural is given."""
    assert [count(n, "unit") for n in (0, 1, 2)] == ["0 units", "1 unit", "2 units"]
    assert count(3, "small jeugdregio", "small jeugdregio's") == "3 small jeugdregio's"
    assert count(1, "small jeugdregio", "small jeugdregio's") == "1 small jeugdregio"


def test_closest_prefers_a_different_case_then_a_near_spelling():
    """'Km' is 'km'; 'weigths' is 'weights'; nothing near gives None."""
    assert closest("Km", ["unplaced", "km", "move"]) == "km"
    assert closest("weigths", ["name", "weights"]) == "weights"
    assert closest("foo", ["name", "weights"]) is None


def test_did_you_mean_is_empty_for_an_exact_or_a_hopeless_value():
    """A hint only when some choice is near and not the value itself."""
    assert did_you_mean("allow_move", ["name", "allow_moves"]) == " (did you mean 'allow_moves'?)"
    assert did_you_mean("name", ["name", "allow_moves"]) == ""
    assert did_you_mean("foo", ["name", "allow_moves"]) == ""
