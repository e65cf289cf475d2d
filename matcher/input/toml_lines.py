"""Where each key of a TOML file sits, so that a message can point at its line.

tomllib gives line numbers only for syntax errors; for a value that is wrong a planner still
wants "line 12". A light scan of the usual layout (table headers, ``key = value`` lines, dotted
keys and one-line inline tables) is enough for that; it is never used to read values. Both
instance.toml and scenario files are scanned here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from matcher.errors import Problem
from matcher.i18n import _

_NAME = r'([A-Za-z0-9_.\-" ]+?)'
_ARRAY_HEADER = re.compile(rf"^\s*\[\[\s*{_NAME}\s*\]\]\s*(?:#.*)?$")
_TABLE_HEADER = re.compile(rf"^\s*\[\s*{_NAME}\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r'^\s*("?[A-Za-z0-9_\-]+"?(?:\s*\.\s*"?[A-Za-z0-9_\-]+"?)*)\s*=')
_INLINE_KEY = re.compile(r"[{,]\s*([A-Za-z0-9_\-]+)\s*=")
_SYNTAX_AT = re.compile(r"\s*\(at line (\d+), column \d+\)$")
_AT_END = " (at end of document)"


def _parts(name: str) -> list[str]:
    return [p.strip().strip('"') for p in name.split(".")]


def _resolve(parts: list[str], counts: dict[str, int], new_element: bool) -> str:
    """The dotted path of a header, with ``[n]`` after every array of tables (counted from 1)."""
    path = ""
    for i, part in enumerate(parts):
        path = f"{path}.{part}" if path else part
        if new_element and i == len(parts) - 1:
            counts[path] = counts.get(path, 0) + 1
        if path in counts:
            path = f"{path}[{counts[path]}]"
    return path


def key_lines(text: str) -> dict[str, int]:
    """Line of every table header and key, as ``max_km.gesloten``, ``step[2].where.care_type``, ...

    An array of tables counts its elements from 1 (``[[step]]`` is ``step[1]``, ``step[2]``, ...;
    ``[[step.units]]`` inside the second step is ``step[2].units[1]``); the array itself points at
    its first element. Keys inside a one-line inline table are found through their enclosing key.
    """
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    prefix = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _ARRAY_HEADER.match(line) or _TABLE_HEADER.match(line)
        if header:
            is_array = header.re is _ARRAY_HEADER
            parts = _parts(header.group(1))
            prefix = _resolve(parts, counts, new_element=is_array)
            lines.setdefault(prefix, number)
            if is_array:
                lines.setdefault(prefix.rsplit("[", 1)[0], number)
            continue
        if m := _KEY.match(line):
            key = ".".join([prefix, *_parts(m.group(1))] if prefix else _parts(m.group(1)))
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


def syntax_error_position(message: str, text: str) -> tuple[int | None, str]:
    """The line of a ``tomllib`` syntax error and its message without the position.

    tomllib writes '... (at line 3, column 7)' or '... (at end of document)' into its message.
    """
    found = _SYNTAX_AT.search(message)
    if found:
        return int(found.group(1)), message[: found.start()]
    if message.endswith(_AT_END):
        return max(1, text.count("\n") + (0 if text.endswith("\n") else 1)), message[: -len(_AT_END)]
    return None, message


@dataclass
class TomlText:
    """A TOML file read for checking: its values, the line of every key, and its problems so far."""

    file: str
    raw: dict
    lines: dict[str, int]
    problems: list[Problem] = field(default_factory=list)

    def add(self, key: str | None, message: str) -> None:
        """A problem at ``key`` (its line found in the text), or of the whole file (``None``)."""
        self.problems.append(Problem(self.file, line_of(self.lines, key) if key else None, key, message))


def read_toml(text: str, file: str, error: type[Exception]) -> TomlText:
    """The values of ``text`` with the line of every key; a syntax error raises ``error`` with one
    problem at its line."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = syntax_error_position(str(exc), text)
        raise error([Problem(file, line, None, _("is not valid TOML: {reason}").format(reason=message))]) from None
    return TomlText(file, raw, key_lines(text))
