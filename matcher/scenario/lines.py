"""Where each key of a scenario file sits, so that a message can point at its line.

tomllib gives line numbers only for syntax errors; for a value that is wrong a planner still
wants "line 12". A light scan of the usual layout (table headers, ``key = value`` lines and
one-line inline tables) is enough for that; it is never used to read values.
"""

from __future__ import annotations

import re

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\- ]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\- ]+?)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")
_INLINE_KEY = re.compile(r"[{,]\s*([A-Za-z0-9_\-]+)\s*=")


def key_lines(text: str) -> dict[str, int]:
    """Line of every table header and key, as ``step[2]``, ``step[2].where.care_type``, ...

    A light scan of the usual layout (headers and ``key = value`` lines); keys inside inline
    tables are found through their enclosing key. Only used to point at lines in messages.
    """
    lines: dict[str, int] = {}
    counters: dict[str, int] = {}
    prefix = ""
    step_prefix = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if m := _ARRAY_HEADER.match(line):
            parts = [p.strip() for p in m.group(1).split(".")]
            if parts == ["step"]:
                counters = {"step": counters.get("step", 0) + 1}
                step_prefix = prefix = f"step[{counters['step']}]"
            elif parts[0] == "step" and step_prefix:
                name = ".".join(parts[1:])
                counters[name] = counters.get(name, 0) + 1
                prefix = f"{step_prefix}.{name}[{counters[name]}]"
            else:
                prefix = ".".join(parts)
            lines.setdefault(prefix, number)
            continue
        if m := _TABLE_HEADER.match(line):
            parts = [p.strip() for p in m.group(1).split(".")]
            if parts[0] == "step" and step_prefix:
                name = ".".join(parts[1:])
                prefix = f"{step_prefix}.{name}[{counters[name]}]" if name in counters else f"{step_prefix}.{name}"
            else:
                prefix = ".".join(parts)
            lines.setdefault(prefix, number)
            continue
        if m := _KEY.match(line):
            key = f"{prefix}.{m.group(1)}" if prefix else m.group(1)
            lines.setdefault(key, number)
            rest = line[m.end():].strip()
            if rest.startswith("{"):  # an inline table on one line: where = { unit = "U1" }
                for inner in _INLINE_KEY.findall(rest):
                    lines.setdefault(f"{key}.{inner}", number)
    return lines


def line_of(lines: dict[str, int], key: str | None) -> int | None:
    """Line of ``key``, else of the nearest enclosing key or table that was found."""
    while key:
        if key in lines:
            return lines[key]
        cut = max(key.rfind("."), key.rfind("["))
        key = key[:cut] if cut > 0 else ""
    return None
