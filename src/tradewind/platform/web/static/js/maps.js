// Leaflet maps without a tile server (no internet): vector layers on a plain background.
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var COLORS = { fc: "#d9480f", sort_center: "#1971c2", delivery_station: "#2f9e44",
                 airport: "#9c36b5", sea_port: "#0c8599", customer: "#e03131",
                 rail_terminal: "#5c940d" };

  function baseMap(el, canvas) {
    var map = L.map(el, { worldCopyJump: true, attributionControl: false, preferCanvas: canvas });
    // A light graticule gives a sense of place where tiles would be.
    for (var lat = -60; lat <= 80; lat += 20) {
      L.polyline([[lat, -180], [lat, 180]], { color: "#dee2e6", weight: 1, interactive: false }).addTo(map);
    }
    for (var lon = -180; lon <= 180; lon += 30) {
      L.polyline([[-60, lon], [80, lon]], { color: "#dee2e6", weight: 1, interactive: false }).addTo(map);
    }
    return map;
  }

  function dot(p, radius) {
    return L.circleMarker([p.lat, p.lon], { radius: radius, color: COLORS[p.kind] || "#495057",
                                            weight: 1, fillOpacity: 0.8 });
  }

  var pathEl = document.getElementById("path-data");
  var trackEl = document.getElementById("map");
  if (pathEl && trackEl) {
    var path = JSON.parse(pathEl.textContent || "[]");
    var map = baseMap(trackEl, false);
    var pts = path.map(function (p) { return [p.lat, p.lon]; });
    if (pts.length) {
      L.polyline(pts, { color: "#d9480f", weight: 3 }).addTo(map);
      path.forEach(function (p, i) {
        dot(p, i === path.length - 1 ? 8 : 6).bindTooltip((i + 1) + ". " + p.name).addTo(map);
      });
      map.fitBounds(L.latLngBounds(pts).pad(0.3), { maxZoom: 9 });
      trackEl.dataset.points = String(pts.length);
    } else {
      map.setView([20, 0], 2);
    }
  }

  var netEl = document.getElementById("network-map");
  if (netEl) {
    var net = baseMap(netEl, true);
    net.setView([25, 10], 2);
    fetch(netEl.dataset.src).then(function (r) { return r.json(); }).then(function (data) {
      var bounds = [];
      var MODE = { sea: "#0c8599", air: "#9c36b5", rail: "#5c940d" };
      (data.lanes || []).forEach(function (l) {
        L.polyline(l.path, { color: MODE[l.mode] || "#868e96", weight: 1, opacity: 0.35,
                             dashArray: l.mode === "air" ? "4 4" : null })
          .bindTooltip(l.from + " \u2192 " + l.to + " (" + l.mode + ")").addTo(net);
      });
      netEl.dataset.lanes = String((data.lanes || []).length);
      data.nodes.forEach(function (n) {
        var r = n.kind === "fc" ? 5 : (n.kind === "delivery_station" ? 2 : 4);
        dot(n, r).bindTooltip(n.name + " (" + n.kind + ", " + n.site_id + ")").addTo(net);
        bounds.push([n.lat, n.lon]);
      });
      if (bounds.length) { net.fitBounds(L.latLngBounds(bounds).pad(0.05)); }
      netEl.dataset.nodes = String(bounds.length);
    });
  }
})();
