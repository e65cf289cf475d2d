"""The TOML key-line scanner shared by instance.toml and scenario files: headers, keys, dotted
keys, inline tables and arrays of tables each point at their line."""

from __future__ import annotations

import tomllib

import pytest

from matcher.input.toml_lines import key_lines, line_of, syntax_error_position

SCENARIO = """name = "x"
[[step]]
op = "close"
where = { units = ["U1"], care_type = "gesloten" }

[[step]]  # the second step
op = "add"
[[step.units]]
unit_id = "A"
[[step.units]]
unit_id = "B"
[step.where]
setting.x = 3
"""

INSTANCE = """road_factor = 1.3
[ max_km ]
"eetstoornis" = 300
[weights]
unplaced = [
    [1, 2],
]
km = 2
"""


def test_arrays_of_tables_are_counted_from_one_within_their_parent():
    """``[[step]]`` is step[1], step[2]; ``[[step.units]]`` counts again inside each step."""
    lines = key_lines(SCENARIO)
    assert (lines["step"], lines["step[1]"], lines["step[2]"]) == (2, 2, 6)
    assert (lines["step[2].units[1].unit_id"], lines["step[2].units[2].unit_id"]) == (9, 11)
    assert lines["step[2].where"] == 12 and lines["step[2].where.setting.x"] == 13


def test_inline_tables_and_dotted_keys_are_found_through_their_key():
    """Keys inside a one-line inline table take that line; a dotted key is split at its dots."""
    lines = key_lines(SCENARIO)
    assert lines["step[1].where.units"] == lines["step[1].where.care_type"] == 4


def test_quoted_keys_spaced_headers_and_nested_arrays():
    """``[ max_km ]`` and ``"eetstoornis"`` are plain names; a line ``[1, 2],`` inside an array is no header."""
    lines = key_lines(INSTANCE)
    assert lines == {"road_factor": 1, "max_km": 2, "max_km.eetstoornis": 3, "weights": 4,
                     "weights.unplaced": 5, "weights.km": 8}


def test_line_of_falls_back_to_the_nearest_enclosing_key():
    """A key the scan did not see points at its table, or at nothing when no part is known."""
    lines = key_lines(SCENARIO)
    assert line_of(lines, "step[2].units[2].capacity") == 10
    assert line_of(lines, "nowhere.at.all") is None and line_of(lines, None) is None


@pytest.mark.parametrize("text, line", [('a = "x"\n\nb = \n', 3), ('a = "x', 1)])
def test_syntax_error_position_takes_the_line_out_of_the_message(text, line):
    """tomllib's '(at line n, column m)' and '(at end of document)' become a line of their own."""
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    found, message = syntax_error_position(str(caught.value), text)
    assert found == line and "(at " not in message
