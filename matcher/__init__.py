"""matcher: bovenregionale capacity matching for Dutch specialist youth care.

The run reads as its stages, each a subpackage: ``input`` (read and validate) -> ``solver``
(solve) -> ``analysis`` (check, then analyse) -> ``output`` (write). The public API is here::

    from matcher import read_instance, solve, check, analyse, run

Each name is imported when it is first used (PEP 562), so ``import matcher`` stays cheap and
``matcher --help`` does not load the solver.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: public name -> module that defines it
_PUBLIC = {
    "Instance": "matcher.instance",
    "read_instance": "matcher.input.source",
    "validate_instance": "matcher.input.source",
    "solve": "matcher.solver.solve",
    "check": "matcher.analysis.check",
    "analyse": "matcher.analysis.analysis",
    "Analysis": "matcher.analysis.analysis",
    "run": "matcher.pipeline",
    "RunOptions": "matcher.pipeline",
    "RunOutcome": "matcher.pipeline",
}

__all__ = ["__version__", *_PUBLIC]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from matcher.analysis.analysis import Analysis, analyse
    from matcher.analysis.check import check
    from matcher.input.source import read_instance, validate_instance
    from matcher.instance import Instance
    from matcher.pipeline import RunOptions, RunOutcome, run
    from matcher.solver.solve import solve


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'matcher' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
