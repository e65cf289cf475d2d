"""Offline maps: Leaflet is put inside the HTML file, so the map opens without any network.

folium's page template links Leaflet, jQuery, Bootstrap, awesome-markers and Font Awesome from
public CDNs. These maps use only Leaflet (no icon markers, no jQuery popups), so the other
libraries are dropped and Leaflet's JavaScript and CSS, vendored in ``assets/leaflet`` with their
licence, are written inline; the CSS's images become data: URIs. A reviewer can then mail the
file around or open it on a machine without internet, and opening it tells nobody anything.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from html.parser import HTMLParser
from importlib import resources
from itertools import count

import folium
from branca.element import Element
from folium.template import Template

ASSETS = resources.files("matcher") / "maps" / "assets"
LEAFLET = ASSETS / "leaflet"
#: The Leaflet release folium's template expects (folium 0.20 links leaflet@1.9.3).
LEAFLET_VERSION = "1.9.3"

_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_IMAGE = re.compile(r"url\((images/[A-Za-z0-9_.-]+\.png)\)")
_NETWORK = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)


class InlineAsset(Element):
    """A script or style element whose code is written into the page as it is."""

    _template = Template("<{{ this.tag }}>\n{{ this.code }}\n</{{ this.tag }}>")

    def __init__(self, tag: str, code: str):
        super().__init__()
        self._name = "InlineAsset"
        self.tag = tag
        self.code = code


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    """Leaflet's minified JavaScript, without the pointer to a source map that is not shipped."""
    return _SOURCE_MAP.sub("", (LEAFLET / "leaflet.js").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """Leaflet's CSS with its images (layer-switch icon, default marker) embedded as data: URIs."""

    def embed(match: re.Match) -> str:
        data = base64.b64encode((LEAFLET / match.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return _CSS_IMAGE.sub(embed, (LEAFLET / "leaflet.css").read_text(encoding="utf-8"))


def use_inline_assets(m: folium.Map) -> folium.Map:
    """Replace the map's CDN links by inline Leaflet; drop libraries these maps do not use."""
    m.default_js = []  # instance attributes: folium's class-wide lists stay untouched
    m.default_css = []
    header = m.get_root().header
    header.add_child(InlineAsset("script", leaflet_js()), name="leaflet")
    header.add_child(InlineAsset("style", leaflet_css()), name="leaflet_css")
    return m


class _LinkCollector(HTMLParser):
    """Collects src and href attributes of the page's tags (script contents are not tags)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name in ("src", "href") and value]


def external_references(html: str) -> list[str]:
    """Every src or href of a tag in the page that points at the network.

    Text inside scripts (Leaflet's own credit link, the online background's tile address) is
    inert until a reviewer acts, and is not counted.
    """
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    return [link for link in collector.links if _NETWORK.match(link)]


def _elements(element: Element):
    yield element
    for part in ("header", "html", "script"):
        child = getattr(element, part, None)
        if isinstance(child, Element) and child is not element:
            yield from _elements(child)
    for child in element._children.values():
        yield from _elements(child)


def number_elements(m: folium.Map) -> folium.Map:
    """Give every element a sequential id instead of a random one.

    folium names each JavaScript variable after a random id; numbering them makes the same
    solution give the same file, byte for byte, so two maps can be compared with a diff.
    """
    numbers = count(1)
    seen: set[int] = set()
    for element in _elements(m.get_root()):
        if id(element) not in seen:
            seen.add(id(element))
            element._id = f"{next(numbers):08d}"
    return m

