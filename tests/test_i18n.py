"""One language per run: every message in the code has its Dutch translation, no catalog file
repeats another's message, and a run in Dutch or English speaks only that language, numbers
included."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from click.testing import CliRunner

from matcher import i18n
from matcher.cli import COMMANDS, main
from matcher.i18n import catalog_messages, money, number, percent, use_language
from matcher.input.reading import CONFLICT_COLUMNS, LOCATION_COLUMNS, UNIT_COLUMNS, YOUTH_COLUMNS

PACKAGE = Path(__file__).resolve().parents[1] / "matcher"
DATA = Path(__file__).parent / "data"
MANY_ERRORS = DATA / "bad" / "many-errors"
TINY = DATA / "good" / "tiny"
VOORBEELD = PACKAGE.parent / "instances" / "voorbeeld"
#: The translation functions, and where their message ids stand (``count(n, "unit", "units")``).
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "count": (2, 3)}


def code_messages() -> dict[str | tuple[str, str], str]:
    """Every message id the package's code uses -> where it is first used."""
    found: dict = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()):
        found.setdefault(message, f"matcher/{filename}:{lineno}")
    return found


def po_files() -> list:
    folder = resources.files("matcher").joinpath("locale", "nl", "LC_MESSAGES")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".po")), key=lambda f: f.name)


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


# --- the catalogs ---------------------------------------------------------------------------------


def test_the_code_uses_messages_at_all():
    """The extractor finds the package's messages (a broken extraction must not pass silently)."""
    messages = code_messages()
    assert len(messages) > 200
    assert "folder does not exist" in messages and ("youth", "youths") in messages


def test_every_message_in_the_code_has_a_dutch_translation():
    """Each _()/N_()/ngettext()/count() message id of matcher/ has a non-empty Dutch entry, plurals
    as plural entries with both forms."""
    catalog = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog_messages("nl")}
    missing = []
    for message, where in code_messages().items():
        singular = message if isinstance(message, str) else message[0]
        entry = catalog.get(singular)
        strings = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        plural_ok = isinstance(message, str) or (entry is not None and isinstance(entry.id, tuple) and entry.id[1] == message[1])
        if entry is None or not all(strings) or not plural_ok:
            missing.append(f"{where}: {message!r}")
    assert missing == [], "messages without a Dutch translation:\n" + "\n".join(missing)


def test_no_message_is_defined_in_two_catalog_files():
    """A message id stands in one .po file only (each area keeps its own file)."""
    first: dict[str, str] = {}
    twice = []
    for po in po_files():
        with po.open("rb") as fh:
            for message in read_po(fh, locale="nl"):
                if not message.id:
                    continue
                key = message.id if isinstance(message.id, str) else message.id[0]
                if key in first:
                    twice.append(f"{key!r} in {first[key]} and {po.name}")
                first.setdefault(key, po.name)
    assert twice == []


def test_the_translations_keep_every_placeholder():
    """A Dutch text names the same {placeholders} as its English id, so .format never fails."""
    braces = re.compile(r"\{[^{}]*\}")
    wrong = []
    for m in catalog_messages("nl"):
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if any(sorted(braces.findall(s)) != sorted(braces.findall(ids[0])) for s in strings):
            wrong.append(m.id)
    assert wrong == []


# --- one language per run -------------------------------------------------------------------------


def test_numbers_money_and_percentages_follow_the_language():
    """Dutch groups with a point and writes a decimal comma; English the other way round."""
    with use_language("nl"):
        assert (money(1287843).replace("\xa0", " "), number(4470.13, 3), percent(0.253)) == ("€ 1.287.843", "4.470,130", "25,3%")
    with use_language("en"):
        assert (money(1287843), number(4470.13, 3), percent(0.253)) == ("€1,287,843", "4,470.130", "25.3%")


def test_dutch_is_the_default_and_matcher_lang_or_lang_switches(monkeypatch):
    """Without --lang and MATCHER_LANG the run is Dutch; MATCHER_LANG=en or --lang en make it English,
    and --lang wins over MATCHER_LANG."""
    monkeypatch.delenv("MATCHER_LANG", raising=False)
    assert "NIET GELDIG" in invoke("validate", str(MANY_ERRORS)).output
    assert "NOT VALID" in invoke("validate", str(MANY_ERRORS), env={"MATCHER_LANG": "en"}).output
    assert "NOT VALID" in invoke("--lang", "en", "validate", str(MANY_ERRORS)).output
    assert "NIET GELDIG" in invoke("--lang", "nl", "validate", str(MANY_ERRORS), env={"MATCHER_LANG": "en"}).output


def test_a_run_leaves_the_callers_language_as_it_was(monkeypatch):
    """--lang holds for one run: afterwards the caller's language and MATCHER_LANG are as before."""
    monkeypatch.delenv("MATCHER_LANG", raising=False)
    invoke("--lang", "en", "validate", str(TINY))
    assert i18n.language() == "nl"
    import os

    assert "MATCHER_LANG" not in os.environ


def test_validate_speaks_dutch_or_english_with_file_line_and_column():
    """The same broken instance: every problem in Dutch with regel/kolom, or in English with line/column."""
    nl = invoke("--lang", "nl", "validate", str(MANY_ERRORS))
    en = invoke("--lang", "en", "validate", str(MANY_ERRORS))
    assert nl.exit_code == en.exit_code == 2
    assert "fouten (9):" in nl.output and "NIET GELDIG:" in nl.output and "heeft 9 fouten" in nl.output
    assert "youths.csv, regel 2, kolom machtiging: 'misschien' is geen ja/nee-waarde" in nl.output
    assert "units.csv, regel 2, kolom capacity: '0' moet tussen 1 en 1000 liggen" in nl.output
    assert "(bedoelt u 'road_factor'?)" in nl.output
    assert "errors (9):" in en.output and "has 9 errors" in en.output
    assert "youths.csv, line 2, column machtiging: 'misschien' is not a yes/no value" in en.output
    assert "(did you mean 'road_factor'?)" in en.output


def test_solve_prints_its_numbers_in_the_runs_language(tmp_path):
    """The result line: Dutch words and '4.470,130', English words and '4,470.130'."""
    nl = invoke("--lang", "nl", "solve", str(VOORBEELD), "--out", str(tmp_path / "nl"), "--no-map")
    en = invoke("--lang", "en", "solve", str(VOORBEELD), "--out", str(tmp_path / "en"), "--no-map")
    assert nl.exit_code == en.exit_code == 0
    assert "OPTIMAL: doelwaarde 4.470,130 (ondergrens 4.470,130" in nl.output and "blijft op de plek 1" in nl.output
    assert "OPTIMAL: objective 4,470.130 (bound 4,470.130" in en.output and "stays 1" in en.output


def test_help_pages_follow_the_language():
    """click's help: the command's own text, its options and click's headings are translated."""
    nl = invoke("--lang", "nl", "solve", "--help").output
    en = invoke("--lang", "en", "solve", "--help").output
    assert "Gebruik:" in nl and "Opties:" in nl and "Koppel de jongeren" in nl and "[standaard: 60.0" in nl
    assert "Toon deze hulptekst en stop." in nl and "oplossingsmap (standaard: FOLDER/solution)" in nl
    assert "Usage:" in en and "Options:" in en and "Match the youths" in en and "[default: 60.0" in en
    top = invoke("--lang", "nl", "--help").output
    assert "Opdrachten:" in top and "Controleer de invoer in FOLDER" in top


# --- never a mix --------------------------------------------------------------------------------

#: Words both languages use: Dutch terms of the domain, the format's column names and the commands.
SHARED = {c.name for c in (*LOCATION_COLUMNS, *UNIT_COLUMNS, *YOUTH_COLUMNS, *CONFLICT_COLUMNS)} | set(COMMANDS) | {"unit", "units", "gemeente", "jeugdregio", "bovenregio", "machtiging", "setting", "status",
          "seed", "solver", "matcher", "stress", "name", "description", "true", "false", "regio"}
_WORD = re.compile(r"(?<![\w.'/-])[a-zà-ÿ]{4,}(?![\w.'/-])")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(re.sub(r"\{[^{}]*\}", " ", text)))


def language_words() -> tuple[set[str], set[str]]:
    """(words only the Dutch texts use, words only the English ids use), from the catalog."""
    dutch, english = set(), set()
    for m in catalog_messages("nl"):
        for s in m.string if isinstance(m.string, tuple) else (m.string,):
            dutch |= _words(s)
        for s in m.id if isinstance(m.id, tuple) else (m.id,):
            english |= _words(s)
    return dutch - english - SHARED, english - dutch - SHARED


def _outputs(lang: str, tmp_path: Path) -> str:
    broken = tmp_path / f"broken-{lang}"
    broken.mkdir()
    for f in MANY_ERRORS.iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    (broken / "youths.csv").write_text((broken / "youths.csv").read_text(encoding="utf-8")
                                       .replace("GM0014", "Utrecht", 1), encoding="utf-8")
    runs = [
        invoke("--lang", lang, "validate", str(broken)),
        invoke("--lang", lang, "validate", str(TINY)),
        invoke("--lang", lang, "solve", str(broken), "--no-map"),
        invoke("--lang", lang, "solve", str(VOORBEELD), "--out", str(tmp_path / f"out-{lang}"), "--no-map"),
        invoke("--lang", lang, "solve", "--help"),
        invoke("--lang", lang, "--help"),
    ]
    return "\n".join(r.output for r in runs)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_one_run_never_mixes_languages(lang, tmp_path):
    """A run in English has no word that only the Dutch catalog uses, and a Dutch run no word that
    only the English message ids use (validate, solve and help, on a broken and a good instance)."""
    dutch_only, english_only = language_words()
    text = _outputs(lang, tmp_path)
    foreign = _words(text) & (dutch_only if lang == "en" else english_only)
    assert foreign == set(), f"{lang} run shows {sorted(foreign)}:\n{text}"


def test_a_scenario_note_writes_money_in_the_runs_language():
    """The note of a set_cost step: '€ 95.000 per dag' in Dutch, '€95,000 per day' in English."""
    from matcher.input.source import read_instance
    from matcher.scenario.apply import apply_scenario
    from matcher.scenario.spec import parse_scenario

    text = 'name = "duur"\n[[step]]\nop = "set_cost"\nwhere = {}\ncost_per_day = 95000\n'
    instance = read_instance(VOORBEELD)
    notes = {}
    for lang in ("nl", "en"):
        with use_language(lang):
            notes[lang] = apply_scenario(instance, parse_scenario(text)).notes[0].replace("\xa0", " ")
    assert notes["nl"] == "stap 1 (set_cost): kosten per dag van 6 units (alles): € 95.000 per dag"
    assert notes["en"] == "step 1 (set_cost): cost per day of 6 units (all): €95,000 per day"


def test_click_po_holds_clicks_own_message_ids():
    """Every entry of click.po is a message the installed click writes, so an upgrade of click that
    rewords one shows here instead of silently falling back to English."""
    import click

    click_folder = Path(click.__file__).parent
    written = {message if isinstance(message, str) else message[0]
               for _f, _l, message, _c, _x in extract_from_dir(
                   str(click_folder), method_map=[("**.py", "python")], keywords={"_": None, "ngettext": (1, 2)},
                   comment_tags=())}
    kinds = {click.Path(dir_okay=False).name.title(), click.Path(file_okay=False).name.title(), click.Path().name.title(),
             click.INT.name, click.IntRange().name, click.FLOAT.name, click.FloatRange().name, "required"}
    assert kinds == {"File", "Directory", "Path", "integer", "integer range", "float", "float range", "required"}
    with next(po for po in po_files() if po.name == "click.po").open("rb") as fh:
        ids = [m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh, locale="nl") if m.id]
    assert len(ids) > 30
    assert [i for i in ids if i not in written and i not in kinds] == []


def test_the_committed_catalog_is_what_babel_compiles_from_the_po_files():
    """matcher.mo, which every run reads, holds exactly the messages and plural rule that Babel
    compiles from the .po files as they are now (fuzzy entries left out); rebuild it with
    ``make catalogs``. Compiling twice gives the same bytes (no clock in the header)."""
    import gettext
    import io

    compiled = i18n.compile_catalog("nl")
    assert compiled == i18n.compile_catalog("nl")
    with (i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / "matcher.mo").open("rb") as fh:
        committed = gettext.GNUTranslations(fh)
    fresh = gettext.GNUTranslations(io.BytesIO(compiled))

    def messages(catalog: gettext.GNUTranslations) -> dict:
        return {k: v for k, v in catalog._catalog.items() if k != ""}

    assert len(messages(fresh)) > 500
    assert messages(committed) == messages(fresh), "matcher.mo is stale: run make catalogs"
    assert committed.info()["plural-forms"] == fresh.info()["plural-forms"] == "nplurals=2; plural=(n != 1);"
    i18n.translations.cache_clear()
    assert isinstance(i18n.translations("nl"), gettext.GNUTranslations)
    with use_language("nl"):
        assert (i18n._("Placements"), i18n.ngettext("{n} problem, nothing proposed or written:",
                                                    "{n} problems, nothing proposed or written:", 2)) == (
            "Plaatsingen", "{n} problemen, niets voorgesteld of geschreven:")
