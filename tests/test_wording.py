"""The shared wording helpers: a count with its noun, and the one "did you mean" hint."""

from __future__ import annotations

from matcher.wording import closest, count, did_you_mean

#: The messages asserted here are English (Dutch is the default; tests/test_i18n.py checks it).
MATCHER_LANG = "en"


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


def test_closest_ignores_case_spaces_and_punctuation_and_knows_names():
    """'intensieve-ggz' is intensieve_ggz, a name maps to its code, a small typo still lands."""
    care = ["gesloten", "driemilieu", "intensieve_ggz", "eetstoornis"]
    assert closest("intensieve-ggz", care) == "intensieve_ggz"
    assert closest("Intensieve GGZ", care) == "intensieve_ggz"
    assert closest("gesloten_jeugdhulp", care, {"gesloten jeugdhulp": "gesloten"}) == "gesloten"
    assert closest("kleinschalige", ["thuis", "gezinsgericht", "kleinschalig"]) == "kleinschalig"
    assert closest("Den Haag", ["GM0518", "GM0344"], {"'s-Gravenhage": "GM0518", "Den Haag": "GM0518"}) == "GM0518"
    assert closest("sgravenhage", ["GM0518"], {"'s-Gravenhage": "GM0518"}) == "GM0518"


def test_did_you_mean_can_say_what_the_code_stands_for():
    """With a label the hint shows the code and its name."""
    hint = did_you_mean("Utrecht", ["GM0344"], {"Utrecht": "GM0344"}, label={"GM0344": "Utrecht"})
    assert hint == " (did you mean 'GM0344' (Utrecht)?)"


def test_count_is_one_plural_entry_of_the_catalog_in_dutch(monkeypatch):
    """In Dutch, count takes the catalog's plural and groups the number: '1.234 jongeren'."""
    monkeypatch.setenv("MATCHER_LANG", "nl")
    assert [count(n, "youth", "youths") for n in (0, 1, 1234)] == ["0 jongeren", "1 jongere", "1.234 jongeren"]
    assert count(2, "problem", "problems") == "2 problemen"
