"""Fictitious provider names that look Dutch but belong to nobody, and pseudonymous ids.

Every provider name ends in "(fictief)" so that no reader mistakes a generated instance for
data about a real organisation; the towns are real, the organisations are not.
"""

from __future__ import annotations

import numpy as np

LEGAL_FORMS = ("Stichting", "Zorggroep", "Jeugdhulp", "Centrum", "Stichting", "Expertisecentrum")
FIRST_PARTS = (
    "Horizon", "Linde", "Eiken", "Kompas", "Wilgen", "Baken", "Duin", "Heide", "Kreek", "Berken",
    "Vlier", "Haven", "Meander", "Kiem", "Zonne", "Anker", "Beuken", "Klaver", "Lichten", "Polder",
    "Regenboog", "Esdoorn", "Zilver", "Veer", "Ooievaar", "Lisdodde",
)
SECOND_PARTS = (
    "brug", "hoeve", "kring", "borg", "stroom", "gaard", "wijk", "dal", "hof", "veld", "poort",
    "kamp", "rade", "burcht", "stede", "oord",
)


def provider_names(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` distinct names such as "Stichting De Horizonbrug (fictief)"."""
    combos = [(a, b) for a in FIRST_PARTS for b in SECOND_PARTS]
    picks = rng.permutation(len(combos))[:count]
    names = []
    for i in picks:
        first, second = combos[int(i)]
        form = LEGAL_FORMS[int(rng.integers(len(LEGAL_FORMS)))]
        article = "De " if rng.random() < 0.5 else ""
        names.append(f"{form} {article}{first}{second} (fictief)")
    return names


def short_name(provider: str) -> str:
    """The provider's own name without legal form and label: "De Horizonbrug"."""
    words = provider.removesuffix(" (fictief)").split(" ", 1)
    return words[1] if len(words) == 2 else words[0]


def numbered(prefix: str, count: int, width: int) -> list[str]:
    """Pseudonymous ids ``prefix`` + zero-padded number from 1: Y000001, U0001, L0001."""
    width = max(width, len(str(count)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, count + 1)]
