"""Synthetic Netherlands instances, calibrated on national figures (see docs/netherlands.md).

``generate(preset, seed, youths=None, units=None)`` returns a frozen ``Instance``; the same
preset and seed always give the same instance. Providers and their names are fictitious,
towns and gemeente codes are real, youths are drawn at random: nothing describes a real person.
"""

from matcher.generator.presets import PRESETS, Preset, generate

__all__ = ["PRESETS", "Preset", "generate"]
