"""Random streams: one independent numpy stream per (replication, purpose, key), from ``--seed``.

A stream depends on the seed, the replication's index, what it is for and a key (a week, a
youth id), never on the order in which tasks run or on the scenario. That is what makes the
random numbers common to every scenario of a replication, and the files the same whatever the
number of workers.
"""

from __future__ import annotations

import zlib

import numpy as np

#: What a stream is for; each purpose has its own numbers, so adding draws for one purpose never
#: shifts those of another.
PURPOSES = {
    "arrivals": 1,   # how many youths arrive in a week, and who they are
    "thinning": 2,   # per arrival: does it arrive at all when a scenario lowers the inflow
    "stay": 3,       # per arrival: how long its stay will be
    "residual": 4,   # per week-0 youth: the stay (or the rest of the stay already under way)
    "factors": 5,    # per replication: the uncertain factors' values
    "demand": 6,     # per week: the scenario's re-indication of that week's arrivals
}


def key_of(text: str) -> int:
    """A stable whole number for a text key (a youth id, a factor name)."""
    return zlib.crc32(text.encode("utf-8"))


def stream(seed: int, replication: int, purpose: str, *keys: int) -> np.random.Generator:
    """The generator for ``purpose`` in ``replication`` (and ``keys``), derived from ``seed``."""
    return np.random.default_rng(np.random.SeedSequence([seed, replication, PURPOSES[purpose], *keys]))


def seed_of(seed: int, replication: int, purpose: str, *keys: int) -> int:
    """A whole-number seed for code that takes one (the scenario steps' ``Context``)."""
    sequence = np.random.SeedSequence([seed, replication, PURPOSES[purpose], *keys])
    return int(sequence.generate_state(1, dtype=np.uint32)[0])
