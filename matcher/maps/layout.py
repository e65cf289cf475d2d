"""The page layout from 1024x700 to 1920x1080: panels in Leaflet's corners, their height kept to
the window, folded on a small screen, and popups kept clear of them.

Leaflet stacks the controls of one corner, so the panel (top left, under the zoom buttons), the
layer switch and the legend (top right, one under the other) never overlap. On a screen narrower
than ``FOLD_BELOW_WIDTH`` or lower than ``FOLD_BELOW_HEIGHT`` pixels the legend starts folded (one
click opens it) and the layer switch is folded to its button (it opens on hover or a tap), and
below ``FOLD_PANEL_BELOW_WIDTH`` the panel folds too. When a popup opens, the map
pans until the popup is clear of every panel; if it cannot be (too little room between them), the
panels it touches fold, and the map pans once more. Leaflet's own auto-pan is off for these
popups (``HtmlPopup``), so the two never pull against each other.
"""

from __future__ import annotations

from branca.element import MacroElement
from folium.template import Template

FOLD_BELOW_WIDTH = 1280
FOLD_BELOW_HEIGHT = 800
FOLD_PANEL_BELOW_WIDTH = 1100
#: Pixels kept free between a popup and a panel.
MARGIN = 10


class Layout(MacroElement):
    """Moves the panel and legend into Leaflet's corners and keeps popups in view (add it last)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            window.matcherMap = map;
            var margin = {{ this.margin }};
            var panel = document.getElementById('matcher-panel');
            var legend = document.getElementById('matcher-legend');
            var boxes = [panel, legend].filter(function (el) { return el; });
            var corners = {'matcher-panel': 'topleft', 'matcher-legend': 'topright'};
            boxes.forEach(function (el) {
                el.classList.add('leaflet-control');
                map._controlCorners[corners[el.id]].appendChild(el);
                L.DomEvent.disableClickPropagation(el);
                L.DomEvent.disableScrollPropagation(el);
            });
            var w = window.innerWidth, h = window.innerHeight;
            if (legend && (w < {{ this.fold_width }} || h < {{ this.fold_height }})) {
                legend.querySelector('details').open = false;
            }
            if (panel && w < {{ this.fold_panel_width }}) { panel.querySelector('details').open = false; }
            var layers = document.querySelector('.leaflet-control-layers');
            var EXPANDED = 'leaflet-control-layers-expanded';
            function foldLayers() { if (layers) { layers.classList.remove(EXPANDED); } }
            if (layers) {  // the layer switch opens on hover or a tap once it has been folded
                layers.addEventListener('mouseenter', function () { layers.classList.add(EXPANDED); fit(); });
                layers.addEventListener('click', function () { layers.classList.add(EXPANDED); fit(); });
                layers.addEventListener('mouseleave', function () {
                    if (layers.dataset.folded) { foldLayers(); fit(); }
                });
                if (w < {{ this.fold_width }} || h < {{ this.fold_height }}) { layers.dataset.folded = '1'; foldLayers(); }
            }
            function fit() {
                var bottom = map.getContainer().getBoundingClientRect().bottom;
                boxes.forEach(function (el) {
                    el.style.maxHeight = Math.max(80, bottom - el.getBoundingClientRect().top - margin - 20) + 'px';
                });
            }
            function obstacles() {
                return boxes.concat(layers ? [layers] : []);
            }
            function hits(a, b) {
                return a.left < b.right + margin && b.left < a.right + margin &&
                       a.top < b.bottom + margin && b.top < a.bottom + margin;
            }
            function moved(r, mv) {
                return {left: r.left - mv[0], right: r.right - mv[0], top: r.top - mv[1], bottom: r.bottom - mv[1]};
            }
            function intoMap(r) {  // the pan that brings r inside the map, as far as it fits
                var m = map.getContainer().getBoundingClientRect();
                var dx = 0, dy = 0;
                if (r.right > m.right - margin) { dx = r.right - m.right + margin; }
                if (r.left - dx < m.left + margin) { dx = r.left - m.left - margin; }
                if (r.bottom > m.bottom - margin) { dy = r.bottom - m.bottom + margin; }
                if (r.top - dy < m.top + margin) { dy = r.top - m.top - margin; }
                return [dx, dy];
            }
            function blocked(r) {
                return obstacles().some(function (b) { return hits(r, b.getBoundingClientRect()); });
            }
            function bestPan(r) {  // the smallest pan after which r is in the map and clear of every panel
                var moves = [[0, 0]];
                obstacles().forEach(function (el) {
                    var b = el.getBoundingClientRect();
                    moves.push([-(b.right + margin - r.left), 0], [r.right - (b.left - margin), 0],
                               [0, -(b.bottom + margin - r.top)], [0, r.bottom - (b.top - margin)]);
                });
                var best = null;
                moves.forEach(function (mv) {
                    var fix = intoMap(moved(r, mv));
                    var total = [mv[0] + fix[0], mv[1] + fix[1]];
                    if (blocked(moved(r, total))) { return; }
                    var size = Math.abs(total[0]) + Math.abs(total[1]);
                    if (best === null || size < best.size) { best = {pan: total, size: size}; }
                });
                return best && best.pan;
            }
            function clear(popup) {
                var el = popup.getElement();
                if (!el) { return; }
                var wrapper = el.querySelector('.leaflet-popup-content-wrapper') || el;
                for (var round = 0; round < 2; round++) {
                    var rect = wrapper.getBoundingClientRect();
                    var pan = bestPan(rect);
                    if (pan) {
                        if (pan[0] || pan[1]) { map.panBy(pan, {animate: false}); }
                        return;
                    }
                    boxes.forEach(function (box) {  // no room between the panels: fold the ones in the way
                        if (hits(rect, box.getBoundingClientRect())) { box.querySelector('details').open = false; }
                    });
                    if (layers && hits(rect, layers.getBoundingClientRect())) { layers.dataset.folded = '1'; foldLayers(); }
                    fit();
                }
            }
            boxes.forEach(function (el) {
                el.querySelector('details').addEventListener('toggle', fit);
            });
            window.addEventListener('resize', fit);
            // Leaflet may lay a popup out once more after 'popupopen': check again when it has settled
            // (each check pans only when the popup is in the way, so checking twice is harmless).
            map.on('popupopen', function (e) {
                setTimeout(function () { clear(e.popup); }, 0);
                setTimeout(function () { clear(e.popup); }, 60);
            });
            fit();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "Layout"
        self.margin = MARGIN
        self.fold_width = FOLD_BELOW_WIDTH
        self.fold_height = FOLD_BELOW_HEIGHT
        self.fold_panel_width = FOLD_PANEL_BELOW_WIDTH
