/* Dashboard charts (Chart.js) and the hotspot map (Leaflet), drawn from data on the page and
 * from /api/v1/hotspots. Without JavaScript the tables and CSV links still work. */
(function () {
  "use strict";
  var BLUE = "#0b5cab", ORANGE = "#c2410c", GREY = "#9aa4b2";

  function data() {
    var el = document.getElementById("dash-data");
    return el ? JSON.parse(el.textContent) : null;
  }

  function chart(id, config) {
    var el = document.getElementById(id);
    if (!el || !window.Chart) { return; }
    config.options = Object.assign({responsive: true, maintainAspectRatio: false, animation: false}, config.options || {});
    new window.Chart(el, config);
  }

  function english() { return document.documentElement.lang === "en"; }

  // Counts are whole numbers: no tick at 0.1 of a report.
  function counts(axis, extra) {
    var scales = {};
    scales[axis] = Object.assign({beginAtZero: true, ticks: {precision: 0}}, extra || {});
    return scales;
  }

  function charts(d) {
    var lang = english();
    var reported = lang ? "Reported" : "แจ้ง", open = lang ? "Still open" : "ยังไม่เสร็จ";
    chart("chart-trend", {
      type: "line",
      data: {
        labels: d.trend.points.map(function (p) { return p.period; }),
        datasets: [
          {label: reported, data: d.trend.points.map(function (p) { return p.reported; }), borderColor: BLUE, backgroundColor: BLUE, pointRadius: 0},
          {label: open, data: d.trend.points.map(function (p) { return p.open; }), borderColor: ORANGE, backgroundColor: ORANGE, pointRadius: 0}
        ]
      },
      options: {scales: counts("y")}
    });
    chart("chart-rows", {
      type: "bar",
      data: {
        labels: d.rows.map(function (r) { return r.name; }),
        datasets: [
          {label: reported, data: d.rows.map(function (r) { return r.reported; }), backgroundColor: BLUE},
          {label: open, data: d.rows.map(function (r) { return r.open; }), backgroundColor: ORANGE}
        ]
      },
      options: {indexAxis: "y", scales: counts("x")}
    });
  }

  function forwardingCharts() {
    var el = document.getElementById("forwarding-data");
    if (!el || el.dataset.drawn) { return; }
    el.dataset.drawn = "1";
    var d = JSON.parse(el.textContent), lang = english();
    chart("chart-hops", {
      type: "bar",
      data: {
        labels: d.hops.map(function (h) { return h.hops; }),
        datasets: [{label: lang ? "Cases by number of forwards" : "จำนวนเรื่องตามจำนวนครั้งที่ส่งต่อ", data: d.hops.map(function (h) { return h.cases; }), backgroundColor: BLUE}]
      },
      options: {scales: counts("y")}
    });
    chart("chart-pairs", {
      type: "bar",
      data: {
        labels: d.pairs.map(function (p) { return p.name; }),
        datasets: [
          {label: "A→B", data: d.pairs.map(function (p) { return p.ab; }), backgroundColor: BLUE},
          {label: "B→A", data: d.pairs.map(function (p) { return p.ba; }), backgroundColor: GREY},
          {label: lang ? "Bounces" : "ส่งกลับ", data: d.pairs.map(function (p) { return p.bounces; }), backgroundColor: ORANGE}
        ]
      },
      options: {indexAxis: "y", scales: counts("x")}
    });
  }

  function colour(share) {
    var stops = ["#fde68a", "#f59e0b", "#d97706", "#b45309", "#7c2d12"];
    return stops[Math.min(stops.length - 1, Math.floor(share * stops.length))];
  }

  function hotspotMap() {
    var el = document.getElementById("hotspot-map");
    if (!el || !window.L) { return; }
    var map = L.map(el, {scrollWheelZoom: false, zoomControl: false}).setView([13.7563, 100.5018], 11);
    // Leaflet's own zoom buttons are titled in English; a Thai page names them in Thai.
    var thai = (document.documentElement.lang || "th").slice(0, 2).toLowerCase() === "th";
    L.control.zoom(thai ? {zoomInTitle: "ซูมเข้า", zoomOutTitle: "ซูมออก"}
                        : {zoomInTitle: "Zoom in", zoomOutTitle: "Zoom out"}).addTo(map);
    var tiles = el.getAttribute("data-tiles");
    if (tiles) {
      var layer = L.tileLayer(tiles, {maxZoom: 19, attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'});
      layer.on("tileerror", function () {
        var note = el.parentElement.querySelector("[data-map-note]");
        if (note) { note.hidden = false; }
      });
      layer.addTo(map);
    }
    var hexes = L.geoJSON(null).addTo(map);
    var pending = null;

    function load() {
      var b = map.getBounds();
      var params = new URLSearchParams({
        zoom: String(map.getZoom()), from: el.dataset.from, to: el.dataset.to,
        bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (x) { return x.toFixed(5); }).join(",")
      });
      ["category", "district", "agency"].forEach(function (name) {
        if (el.dataset[name]) { params.set(name, el.dataset[name]); }
      });
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch("/api/v1/hotspots?" + params.toString(), {signal: pending.signal})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (geo) {
          if (!geo) { return; }
          var most = Math.max.apply(null, geo.features.map(function (f) { return f.properties.reported; }).concat([1]));
          hexes.clearLayers();
          hexes.addData(geo);
          hexes.eachLayer(function (layer) {
            var p = layer.feature.properties;
            layer.setStyle({color: "#7c2d12", weight: 1, fillOpacity: 0.55, fillColor: colour(p.reported / most)});
            layer.bindTooltip(p.reported + " / " + p.open + " " + el.dataset.openWord +
              (p.reopened ? " / " + p.reopened + " " + el.dataset.reopenedWord : ""));
          });
        })
        .catch(function () { /* a newer request replaced this one */ });
    }
    map.on("moveend", load);
    load();
  }

  function start() {
    var d = data();
    if (d) { charts(d); }
    forwardingCharts();
    hotspotMap();
    document.body.addEventListener("htmx:afterSettle", forwardingCharts);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
