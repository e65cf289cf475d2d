"""One language per run: gettext catalogs (managed with Babel) and Babel's number formats.

Every text a user reads goes through ``_`` / ``ngettext`` with an English message id; the Dutch
catalog ``matcher/locale/nl/LC_MESSAGES/matcher.po`` translates it. Dutch is the default,
``--lang en`` or ``MATCHER_LANG=en`` switches the whole run to English. Numbers, money and dates
are formatted for the run's locale by Babel (``1.287.843`` / ``€ 1.287.843`` in Dutch,
``1,287,843`` / ``€1,287,843`` in English).

The catalog is read from its ``.po`` source at first use (no compiled files are kept in the
repository), by a small reader of the format's plain subset (``read_catalog``; Babel's reader,
``catalog_messages``, is the reference the tests hold it to: compiling the catalog through Babel
took 45 ms of every run). Texts in module-level tables are marked with ``N_`` and translated
where shown.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext
import os
import re
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

if TYPE_CHECKING:
    from babel.messages.catalog import Message

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
DOMAIN = "matcher"
#: The Babel locale of each language.
LOCALE = {"nl": "nl_NL", "en": "en_GB"}

_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("matcher_language", default=None)


def language() -> str:
    """The run's language: the one set with ``set_language``/``use_language``, else
    ``MATCHER_LANG``, else Dutch."""
    lang = _language.get() or os.environ.get("MATCHER_LANG") or DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def set_language(lang: str | None) -> None:
    """Set the language for the rest of this run (``None``: back to the environment's)."""
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _language.set(lang)


@contextlib.contextmanager
def use_language(lang: str | None) -> Iterator[None]:
    """Within the block, every text and number comes in ``lang``."""
    token = _language.set(lang) if lang is not None else None
    try:
        yield
    finally:
        if token is not None:
            _language.reset(token)


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang``, read from its ``.po`` sources (``read_catalog``).

    Every ``*.po`` file in ``locale/<lang>/LC_MESSAGES`` is part of the one catalog (one file per
    area of the package keeps the files readable); a message id may stand in only one of them.
    """
    if lang == "en":
        return gettext.NullTranslations()
    messages: dict = {}
    plural = "n != 1"
    for po in _po_files(lang):
        found, forms = read_catalog(po.read_text(encoding="utf-8"))
        messages |= found
        plural = forms or plural
    return _Translations(messages, plural)


def _po_files(lang: str) -> list:
    folder = resources.files("matcher").joinpath("locale", lang, "LC_MESSAGES")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".po")), key=lambda f: f.name)


class _Translations(gettext.NullTranslations):
    """A catalog held as a dict, as ``gettext.GNUTranslations`` holds a compiled one: a message
    id to its text, (id, form) to each plural form; what is not there stays English."""

    def __init__(self, messages: dict, plural: str):
        super().__init__()
        self._messages = messages
        self._plural = gettext.c2py(plural)

    def gettext(self, message: str) -> str:
        return self._messages.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self._messages.get((msgid1, self._plural(n)))
        return found if found is not None else (msgid1 if n == 1 else msgid2)


_PO_LINE = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)?\s*"(.*)"\s*$')
_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_PO_ESCAPE = re.compile(r"\\(.)")


def read_catalog(text: str) -> tuple[dict, str | None]:
    """The translated messages of one ``.po`` file, as ``_Translations`` holds them, and the
    plural rule of its header (None without one).

    The subset matcher's catalogs use: entries of ``msgctxt``/``msgid``/``msgid_plural``/
    ``msgstr``/``msgstr[n]`` with continued strings, comments, flags. As Babel compiles a catalog,
    a fuzzy or untranslated entry is left out, and so is an obsolete one (``#~``).
    """
    messages: dict = {}
    plural = None
    entry: dict = {}
    fuzzy = False
    key = None

    def finish() -> None:
        nonlocal plural
        if "msgid" not in entry:
            return
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if entry["msgid"] == "":
            found = re.search(r"^Plural-Forms:.*plural=([^;\n]*)", entry.get("msgstr", ""), re.M)
            plural = found.group(1).strip() if found else plural
        elif "msgid_plural" in entry:
            forms = sorted((k[1], v) for k, v in entry.items() if isinstance(k, tuple))
            if not fuzzy and any(v for _n, v in forms):
                messages.update(((msgid, n), v) for n, v in forms)
        elif entry.get("msgstr") and not fuzzy:
            messages[msgid] = entry["msgstr"]

    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            if key is not None and (not line or line.startswith("#")):
                finish()
                entry, fuzzy, key = {}, False, None
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            continue
        match = _PO_LINE.match(line)
        if match is None:
            raise ValueError(f"not a line of a .po file: {line!r}")
        word, form, value = match.groups()
        value = _PO_ESCAPE.sub(lambda m: _PO_ESCAPES.get(m.group(1), m.group(0)), value)
        if word is None:  # a string continued
            entry[key] += value
            continue
        if word in ("msgctxt", "msgid") and key is not None and key != "msgctxt":
            finish()
            entry, key = {}, None
        key = ("msgstr", int(form)) if form is not None else word
        entry[key] = value
    if key is not None:
        finish()
    return messages, plural


def catalog_messages(lang: str) -> list[Message]:
    """Every translated message of ``lang``'s ``.po`` files, in file order, as Babel reads them."""
    from babel.messages.pofile import read_po

    messages: list[Message] = []
    for po in _po_files(lang):
        with po.open("rb") as fh:
            messages.extend(m for m in read_po(fh, locale=lang, domain=DOMAIN) if m.id)
    return messages


def _(message: str) -> str:
    """``message`` in the run's language."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the run's language (the caller formats ``n``)."""
    return translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now (module-level tables)."""
    return message


def locale() -> Locale:
    """The Babel locale of the run's language."""
    return Locale.parse(LOCALE[language()])


def number(value: float, decimals: int = 0) -> str:
    """``value`` with the locale's digit grouping and decimal sign, ``decimals`` places."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALE[language()])


def money(value: float, decimals: int = 0) -> str:
    """An amount in euro in the locale's format (``€ 1.287.843`` / ``€1,287,843``)."""
    return format_currency(value, "EUR", locale=LOCALE[language()], currency_digits=False,
                           format=None if decimals else _money_pattern())


def _money_pattern() -> str:
    pattern = locale().currency_formats["standard"].pattern
    return pattern.split(";")[0].replace("#,##0.00", "#,##0")


def percent(share: float, decimals: int = 1) -> str:
    """A share (0.253) as a percentage in the locale's format (``25,3%`` / ``25.3%``)."""
    return format_percent(share, format="#,##0" + ("." + "0" * decimals if decimals else "") + "%",
                          locale=LOCALE[language()])


def day(value: date) -> str:
    """A date in the locale's medium format."""
    return format_date(value, format="medium", locale=LOCALE[language()])
