// The venue map. Visitors only reach this page by asking for a map, and the page names the
// tile host before this runs; without JavaScript the venue list below still has every address.
(function () {
  "use strict";
  var box = document.querySelector("[data-map]");
  if (!box || !window.L) return;
  var points = JSON.parse(document.getElementById(box.getAttribute("data-points")).textContent);
  box.textContent = "";
  box.classList.add("is-live");

  var map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(box.getAttribute("data-tiles"), {
    maxZoom: 18,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
  }).addTo(map);
  var icon = L.icon({
    iconUrl: box.getAttribute("data-marker"),
    iconRetinaUrl: box.getAttribute("data-marker-2x"),
    shadowUrl: box.getAttribute("data-shadow"),
    iconSize: [25, 41],
    iconAnchor: [12, 41],
    popupAnchor: [1, -34],
    shadowSize: [41, 41]
  });

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    return node;
  }

  var corners = [];
  var markers = [];
  points.forEach(function (point) {
    var popup = element("div");
    popup.appendChild(element("strong", point.name));
    popup.appendChild(element("p", point.address));
    var list = element("ul");
    point.groups.forEach(function (group) {
      var link = element("a", group.name);
      link.href = group.url;
      list.appendChild(element("li")).appendChild(link);
    });
    popup.appendChild(list);
    var marker = L.marker([point.lat, point.lng], { icon: icon, alt: point.name, title: point.name })
      .bindPopup(popup)
      .addTo(map);
    marker.home = L.latLng(point.lat, point.lng);
    markers.push(marker);
    corners.push([point.lat, point.lng]);
  });

  // Markers for venues close together would overlap into one target too small to tap
  // (WCAG 2.2 2.5.8): at each zoom, a marker within reach of one already placed is moved
  // round it on a ring until it stands clear. Each popup still names its own venue.
  var CLEAR = { x: 28, y: 44 };  // the marker's 25 x 41 px, and a little space
  function spread() {
    var placed = [];
    markers.forEach(function (marker) {
      var home = map.latLngToLayerPoint(marker.home);
      var spot = home;
      for (var step = 0; step < 48 && placed.some(clash); step++) {
        var ring = 1 + Math.floor(step / 8);
        var angle = (step % 8) * Math.PI / 4;
        spot = home.add(L.point(Math.cos(angle) * CLEAR.x * ring, Math.sin(angle) * CLEAR.y * ring));
      }
      placed.push(spot);
      marker.setLatLng(map.layerPointToLatLng(spot));

      function clash(other) {
        return Math.abs(other.x - spot.x) < CLEAR.x && Math.abs(other.y - spot.y) < CLEAR.y;
      }
    });
  }
  map.on("zoomend viewreset", spread);
  if (corners.length === 1) map.setView(corners[0], 14);
  else map.fitBounds(corners, { padding: [30, 30], maxZoom: 14 });
  spread();
})();
