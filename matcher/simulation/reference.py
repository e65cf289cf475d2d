"""Real figures the simulated baseline is held against, each with its source (docs/simulation.md).

The simulation reproduces some of them by construction (places are the instance's), some only
roughly, and some not at all; the report shows every one beside the simulated baseline and says
which. Waiting times are regional and old: no national waiting-time registration exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.i18n import N_


@dataclass(frozen=True)
class RealFigure:
    """A published figure: what, when, the value, its source, and whether it is regional or old."""

    figure: str     # the key of the simulated figure it is compared with
    when: str
    value: float
    source: str
    caveat: str = ""


JA = "Jeugdautoriteit, monitor JeugdzorgPlus"
REGIONAL_OLD = N_("regional and old: no national waiting-time registration exists")

REAL_FIGURES = (
    RealFigure("gesloten_places", "1-1-2023", 609, JA),
    RealFigure("gesloten_places", "31-3-2024", 575, JA),
    RealFigure("gesloten_places", "30-6-2024", 564, JA),
    RealFigure("gesloten_places", "Q1 2025", 526, JA),
    RealFigure("gesloten_places", "30-6-2025", 525, JA),
    RealFigure("gesloten_occupancy", "1-1-2023", 0.83, JA),
    RealFigure("gesloten_occupancy", "31-3-2024", 0.81, JA),
    RealFigure("gesloten_occupancy", "30-6-2024", 0.82, JA),
    RealFigure("gesloten_occupancy", "Q1 2025", 0.78, JA),
    RealFigure("gesloten_youths", "31-3-2024", 467, JA),
    RealFigure("gesloten_youths", "30-6-2024", 462, JA),
    RealFigure("gesloten_youths", "Q1 2025", 408, JA),
    RealFigure("gesloten_youths", "30-6-2025", 421, JA),
    RealFigure("gesloten_placements_half_year", "H1 2021", 546, JA),
    RealFigure("gesloten_placements_half_year", "H1 2022", 423, JA),
    RealFigure("gesloten_placements_half_year", "H1 2023", 426, JA),
    RealFigure("gesloten_placements_half_year", "H1 2024", 355, JA),
    RealFigure("wait_eetstoornis_weeks", "2019", 14, "Expertisenetwerk eetstoornissen (mean wait)", REGIONAL_OLD),
    RealFigure("wait_intensieve_ggz_weeks", "end 2022", 11, "Rijnmond, clinical youth care (mean wait for admission)",
               REGIONAL_OLD),
    RealFigure("kleinschalig_group_size", "NJi", 4, "NJi: small-scale groups of 4-6 youths, preferably at most 4"),
    RealFigure("gezinsgericht_per_home", "end 2020", 3678 / 979, "NJi: 979 gezinshuizen with 3,678 children"),
)

LABEL = {
    "gesloten_places": N_("JeugdzorgPlus: places"),
    "gesloten_occupancy": N_("JeugdzorgPlus: occupancy"),
    "gesloten_youths": N_("JeugdzorgPlus: youths in care"),
    "gesloten_placements_half_year": N_("JeugdzorgPlus: placements per half-year"),
    "wait_eetstoornis_weeks": N_("eating-disorder care: mean wait (weeks)"),
    "wait_intensieve_ggz_weeks": N_("intensive youth mental health care: mean wait (weeks)"),
    "wait_all_weeks": N_("all care types: mean wait (weeks)"),
    "kleinschalig_group_size": N_("small-scale unit: mean places"),
    "gezinsgericht_per_home": N_("family-style home (gezinshuis): mean places"),
}
