"""Shared test settings: hypothesis without per-example deadlines (CI machines are slow), and
reproducible examples on CI."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")



import pytest  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def module_language(request):
    """A test module that sets ``MATCHER_LANG = "en"`` runs in English (it asserts English
    messages); every other module runs in the default language, Dutch."""
    lang = getattr(request.module, "MATCHER_LANG", None)
    if lang is None:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MATCHER_LANG", lang)
        yield
