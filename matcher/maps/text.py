"""Text as it goes into a map: HTML-escaped, and safe inside folium's JavaScript template strings."""

from __future__ import annotations

from html import escape

from matcher import i18n


def safe_text(value: object) -> str:
    """Escape for HTML text (not attributes) and for folium's JavaScript template literals."""
    return escape(str(value), quote=False).replace("`", "&#96;").replace("$", "&#36;")


def number(value: float, decimals: int = 0) -> str:
    """A number in the run's language (12.345,6 in Dutch), safe for the map."""
    return safe_text(i18n.number(value, decimals))
