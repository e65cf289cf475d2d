"""Synthetic Netherlands instances, calibrated on national figures (see docs/netherlands.md).

``generate(preset, seed, youths=None, units=None)`` returns a frozen ``Instance``; the same
preset and seed always give the same instance. Providers and their names are fictitious,
towns and gemeente codes are real, youths are drawn at random: nothing describes a real person.
"""

from pathlib import Path

from matcher.generator.presets import PRESETS, Preset, generate
from matcher.instance import Instance

__all__ = ["PRESETS", "Preset", "generate", "generate_folder"]


def generate_folder(preset: str, seed: int, out: str | Path, youths: int | None = None,
                    units: int | None = None) -> Instance:
    """Generate ``preset`` with ``seed``, write it with its README.md into ``out``, return it."""
    from matcher.generator.describe import readme
    from matcher.input.instance_writer import write_instance

    instance = generate(preset, seed, youths=youths, units=units)
    text = readme(instance, preset, seed, youths=youths, units=units)
    write_instance(instance, out, extra_files={"README.md": text})
    return instance

