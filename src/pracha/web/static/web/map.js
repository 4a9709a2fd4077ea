/* Pracha maps (Leaflet). Any element with data-map="pins" or data-map="picker" becomes a map.
 *
 * data-tiles:  tile URL template (PRACHA_MAP_TILES). When tiles cannot load (offline), the map
 *              keeps working on a plain background and a note says so; pins are drawn as
 *              vector circles, which need no images or network.
 * data-pins:   id of a <script type="application/json"> holding [{id, lat, lon, state, style,
 *              text, url}]; re-read after htmx swaps new results in.
 * picker:      data-lat-input / data-lon-input name the hidden inputs the pin fills;
 *              data-status names the element that says where the pin is.
 */
(function () {
  "use strict";
  var BANGKOK = [13.7563, 100.5018];
  var COLOURS = {waiting: "#b42318", open: "#b45309", forwarded: "#6d28d9", done: "#15803d", irrelevant: "#4b5563"};

  // Leaflet's zoom buttons say "Zoom in/out" (their title and screen-reader name) in English;
  // a Thai page (<html lang="th">) names them in Thai.
  var ZOOM_TITLES = {
    th: {zoomInTitle: "ซูมเข้า", zoomOutTitle: "ซูมออก"},
    en: {zoomInTitle: "Zoom in", zoomOutTitle: "Zoom out"}
  };

  function zoomTitles() {
    var lang = (document.documentElement.lang || "th").slice(0, 2).toLowerCase();
    return ZOOM_TITLES[lang] || ZOOM_TITLES.en;
  }

  function note(el) {
    var box = el.parentElement && el.parentElement.querySelector("[data-map-note]");
    if (box) { box.hidden = false; }
    el.classList.add("map--offline");
  }

  function create(el) {
    if (el._prachaMap) { return el._prachaMap; }
    var map = L.map(el, {scrollWheelZoom: false, keyboard: true, zoomControl: false})
      .setView(BANGKOK, 11);
    L.control.zoom(zoomTitles()).addTo(map);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      var layer = L.tileLayer(tiles, {
        maxZoom: 19,
        attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
      });
      var failed = false;
      layer.on("tileerror", function () { if (!failed) { failed = true; note(el); } });
      layer.addTo(map);
    }
    el._prachaMap = map;
    return map;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function readPins(id) {
    var script = document.getElementById(id);
    if (!script) { return []; }
    try { return JSON.parse(script.textContent) || []; } catch (e) { return []; }
  }

  function showPins(el) {
    var map = create(el);
    if (map._prachaPins) { map.removeLayer(map._prachaPins); }
    var pins = readPins(el.getAttribute("data-pins"));
    var group = L.featureGroup();
    pins.forEach(function (pin) {
      if (pin.lat == null || pin.lon == null) { return; }
      var marker = L.circleMarker([pin.lat, pin.lon], {
        radius: 8, weight: 2, color: "#ffffff", fillOpacity: 0.9,
        fillColor: COLOURS[pin.style] || COLOURS.open
      });
      marker.bindPopup(
        '<strong>' + escapeHtml(pin.state) + '</strong><br>' + escapeHtml(pin.text) +
        '<br><a href="' + escapeHtml(pin.url) + '">' + escapeHtml(pin.id) + '</a>'
      );
      marker.addTo(group);
    });
    group.addTo(map);
    el.setAttribute("data-pin-count", String(group.getLayers().length));
    map._prachaPins = group;
    if (group.getLayers().length === 1) {
      map.setView(group.getLayers()[0].getLatLng(), 16);
    } else if (group.getLayers().length > 1) {
      map.fitBounds(group.getBounds(), {padding: [20, 20], maxZoom: 16});
    }
  }

  function picker(el) {
    var map = create(el);
    var latInput = document.getElementById(el.getAttribute("data-lat-input"));
    var lonInput = document.getElementById(el.getAttribute("data-lon-input"));
    var status = document.getElementById(el.getAttribute("data-status"));
    var marker = null;
    L.Icon.Default.imagePath = el.getAttribute("data-icons") || "/static/vendor/leaflet/images/";

    function place(latlng, zoom) {
      var lat = Math.round(latlng.lat * 1e6) / 1e6;
      var lon = Math.round(latlng.lng * 1e6) / 1e6;
      if (!marker) {
        marker = L.marker([lat, lon], {draggable: true, keyboard: true, title: el.getAttribute("data-pin-title") || ""});
        marker.on("dragend", function () { place(marker.getLatLng()); });
        marker.addTo(map);
      } else {
        marker.setLatLng([lat, lon]);
      }
      latInput.value = lat;
      lonInput.value = lon;
      el.setAttribute("data-pinned", "true");
      if (status) {
        status.textContent = (status.getAttribute("data-placed") || "") + " " + lat.toFixed(5) + ", " + lon.toFixed(5);
        status.classList.remove("error-text");
      }
      if (zoom) { map.setView([lat, lon], zoom); }
      document.body.dispatchEvent(new CustomEvent("pracha:pinned", {bubbles: true, detail: {lat: lat, lon: lon}}));
    }

    map.on("click", function (event) { place(event.latlng); });
    if (latInput.value && lonInput.value) {
      place(L.latLng(parseFloat(latInput.value), parseFloat(lonInput.value)), 16);
    }

    var centre = document.querySelector("[data-pin-centre]");
    if (centre) {
      centre.addEventListener("click", function () { place(map.getCenter()); });
    }
    var locate = document.querySelector("[data-use-location]");
    if (locate) {
      if (!navigator.geolocation) { locate.hidden = true; }
      locate.addEventListener("click", function () {
        if (status) { status.textContent = locate.getAttribute("data-finding") || ""; }
        navigator.geolocation.getCurrentPosition(
          function (pos) { place(L.latLng(pos.coords.latitude, pos.coords.longitude), 17); },
          function () {
            if (status) {
              status.textContent = locate.getAttribute("data-failed") || "";
              status.classList.add("error-text");
            }
          },
          {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000}
        );
      });
    }
    el._prachaPlace = place;
  }

  function init(root) {
    (root || document).querySelectorAll("[data-map]").forEach(function (el) {
      var kind = el.getAttribute("data-map");
      if (kind === "pins") { showPins(el); }
      else if (kind === "picker") { picker(el); }
    });
  }

  window.PrachaMap = {create: create, showPins: showPins, init: init};
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll('[data-map="pins"]').forEach(showPins);
  });
})();
