"""Small folium elements the maps need and folium does not offer without extra libraries."""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template


class HtmlPopup(MacroElement):
    """A popup with ready-made HTML, bound by Leaflet alone.

    folium's own ``Popup`` builds its content with jQuery; this one needs nothing but Leaflet,
    which keeps the offline map small.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, max_width: int = 300):
        super().__init__()
        self._name = "HtmlPopup"
        self.html = html
        self.options = {"maxWidth": max_width, "autoPan": False}  # maps/layout.py keeps it in view


class HtmlBlock(MacroElement):
    """A block of HTML on top of the map (side panel, legend), with its own CSS in the page head."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            {{ this.body }}
        {% endmacro %}
        """
    )

    def __init__(self, name: str, body: str, css: str = ""):
        super().__init__()
        self._name = name
        self.body = body
        self.css = css
