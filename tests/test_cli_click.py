"""click's own messages (a missing argument, an unknown option, a bad number, a missing folder,
the usage line and the help hint) in the run's language, never mixed with the other."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from matcher.cli import COMMANDS, main
from test_i18n import VOORBEELD, _words, language_words


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="matcher")


@pytest.mark.parametrize(("lang", "expected"), [
    ("nl", ("Gebruik: matcher solve [OPTIONS] FOLDER", "Probeer 'matcher solve --help' voor hulp.",
            "Fout: Ontbrekend argument 'FOLDER'.")),
    ("en", ("Usage: matcher solve [OPTIONS] FOLDER", "Try 'matcher solve --help' for help.",
            "Error: Missing argument 'FOLDER'.")),
])
def test_solve_without_a_folder_says_so_in_the_runs_language(lang, expected):
    """`matcher --lang nl solve` (and `--lang en`): exit 2, the usage line, the help hint and the error in that language."""
    result = invoke("--lang", lang, "solve")
    assert result.exit_code == 2
    assert [line for line in expected if line not in result.output] == []


@pytest.mark.parametrize(("args", "dutch", "english"), [
    (("solve", "x", "--time-limt", "3"), "Onbekende optie '--time-limt'. Bedoelt u '--time-limit'?",
     "No such option '--time-limt'. Did you mean '--time-limit'?"),
    (("solve", "x", "--time-limit", "abc"), "Ongeldige waarde voor '--time-limit': 'abc' is geen geldig getal.",
     "Invalid value for '--time-limit': 'abc' is not a valid float range."),
    (("solve", "x", "--threads", "0"), "'--threads': 0 ligt niet in het bereik x>=1.", "'--threads': 0 is not in the range x>=1."),
    (("map", "no-such-solution"), "Map 'no-such-solution' bestaat niet.", "Directory 'no-such-solution' does not exist."),
    (("sollve",), "Onbekende opdracht 'sollve'. Bedoelt u 'solve'?", "No such command 'sollve'. Did you mean 'solve'?"),
    (("solve", "x", "y"), "Onverwacht extra argument (y)", "Got unexpected extra argument (y)"),
    (("solve", "x", "--out"), "Optie '--out' vraagt een waarde.", "Option '--out' requires an argument."),
])
def test_clicks_errors_follow_the_language(args, dutch, english):
    """Each mistake a user makes on the command line gets click's message in Dutch or in English (exit 2)."""
    nl, en = invoke("--lang", "nl", *args), invoke("--lang", "en", *args)
    assert nl.exit_code == en.exit_code == 2
    assert dutch in nl.output and english in en.output


def test_a_dutch_run_leaves_clicks_help_option_english_for_the_next_run():
    """The help option click builds in a Dutch run still shows English in an English run afterwards."""
    assert "Toon deze hulptekst en stop." in invoke("--lang", "nl", "validate", "--help").output
    assert "Show this message and exit." in invoke("--lang", "en", "validate", "--help").output
    assert "[verplicht]" in invoke("--lang", "nl", "scenario", "--help").output
    assert "[required]" in invoke("--lang", "en", "scenario", "--help").output


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_clicks_messages_never_mix_languages(lang):
    """click's errors of a run have no word that only the other language's catalog uses."""
    dutch_only, english_only = language_words()
    runs = [("solve",), ("solve", "x", "--time-limt", "3"), ("solve", "x", "--time-limit", "abc"),
            ("map", "no-such-solution"), ("generate",), ("sollve",), ("scenario", "x")]
    text = "\n".join(invoke("--lang", lang, *args).output for args in runs)
    foreign = _words(text) & (dutch_only if lang == "en" else english_only)
    assert foreign == set(), text


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_takes_lang_after_its_name(name):
    """``matcher CMD --lang en`` works for every command, as ``matcher --lang en CMD`` does: the
    help page and click's own message about a bad option come in English."""
    helped = CliRunner().invoke(main, [name, "--lang", "en", "--help"])
    assert helped.exit_code == 0 and "Usage:" in helped.output and "Gebruik:" not in helped.output, helped.output
    refused = CliRunner().invoke(main, [name, "--no-such-option", "--lang=en"])
    assert refused.exit_code == 2 and "No such option" in refused.output, refused.output
    dutch = CliRunner().invoke(main, [name, "--no-such-option"])
    assert "Onbekende optie" in dutch.output, dutch.output


def test_lang_after_the_command_sets_the_language_of_the_run():
    """``matcher validate DIR --lang en`` answers in English; the next run is Dutch again."""
    english = CliRunner().invoke(main, ["validate", str(VOORBEELD), "--lang", "en"])
    assert english.exit_code == 0 and "is valid" in english.output
    dutch = CliRunner().invoke(main, ["validate", str(VOORBEELD)])
    assert "is geldig" in dutch.output
