"""One language per run: gettext catalogs (managed with Babel) and Babel's number formats.

Every text a user reads goes through ``_`` / ``ngettext`` with an English message id; the Dutch
catalog translates it. Dutch is the default, ``--lang en`` or ``MATCHER_LANG=en`` switches the
whole run to English. Numbers, money and dates are formatted for the run's locale by Babel
(``1.287.843`` / ``€ 1.287.843`` in Dutch, ``1,287,843`` / ``€1,287,843`` in English).

The translations are written in the ``.po`` files of ``matcher/locale/nl/LC_MESSAGES`` (one per
area of the package); Babel compiles them ahead of time into the one ``matcher.mo`` beside them,
which is kept in the repository and read at run time by the standard library's gettext. After
editing a ``.po`` file, rebuild it with ``make catalogs`` (``python -m matcher.i18n``); a test
fails while it is stale. Texts in module-level tables are marked with ``N_`` and translated
where shown.
"""

from __future__ import annotations

import contextlib
import contextvars
import gettext
import io
import os
from collections.abc import Iterator
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

from matcher import __version__

if TYPE_CHECKING:
    from babel.messages.catalog import Message

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
DOMAIN = "matcher"
#: The Babel locale of each language.
LOCALE = {"nl": "nl_NL", "en": "en_GB"}
#: The catalogs: ``<lang>/LC_MESSAGES/*.po`` (the sources) and ``matcher.mo`` (compiled from them).
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: The date the compiled catalogs' header gives (Babel's default would be the clock's).
CATALOG_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)

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
    """The catalog of ``lang``: the compiled ``locale/<lang>/LC_MESSAGES/matcher.mo`` (English,
    the message ids' language, needs none)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, [lang])


def _po_files(lang: str) -> list[Path]:
    return sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po"))


def catalog_messages(lang: str) -> list[Message]:
    """Every translated message of ``lang``'s ``.po`` files, in file order, as Babel reads them."""
    from babel.messages.pofile import read_po

    messages: list[Message] = []
    for po in _po_files(lang):
        with po.open("rb") as fh:
            messages.extend(m for m in read_po(fh, locale=lang, domain=DOMAIN) if m.id)
    return messages


def compile_catalog(lang: str) -> bytes:
    """``lang``'s ``.po`` files compiled by Babel into one ``.mo`` catalog.

    Every ``*.po`` file in ``locale/<lang>/LC_MESSAGES`` is part of the one catalog (one file per
    area of the package keeps the files readable); a message id may stand in only one of them.
    Fuzzy entries are left out. The header's dates are fixed, so the same ``.po`` files give the
    same bytes.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale=lang, domain=DOMAIN, project="matcher", version=__version__,
                      creation_date=CATALOG_DATE, revision_date=CATALOG_DATE)
    for message in catalog_messages(lang):
        catalog[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogs() -> list[Path]:
    """Rebuild ``matcher.mo`` of every language from its ``.po`` files; the files written."""
    written = []
    for lang in LANGUAGES:
        if _po_files(lang):
            path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
            path.write_bytes(compile_catalog(lang))
            written.append(path)
    return written


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


if __name__ == "__main__":
    for written in compile_catalogs():
        print(written.relative_to(LOCALE_DIR.parent.parent))
