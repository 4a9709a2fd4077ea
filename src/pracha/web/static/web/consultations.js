/* A consultation's results as bar charts (Chart.js, vendored with the dashboard), drawn from
 * the JSON on the page. Without JavaScript the tables under each chart show the same counts. */
(function () {
  "use strict";
  var BLUE = "#0b5cab";

  function draw() {
    var el = document.getElementById("consultation-results");
    if (!el || !window.Chart) { return; }
    var people = document.documentElement.lang === "en" ? "People" : "คน";
    JSON.parse(el.textContent).forEach(function (q) {
      var canvas = document.getElementById("chart-q" + q.id);
      if (!canvas || !q.labels) { return; }
      new window.Chart(canvas, {
        type: "bar",
        data: {labels: q.labels, datasets: [{label: people, data: q.counts, backgroundColor: BLUE}]},
        options: {
          indexAxis: q.kind === "scale_1_5" ? "x" : "y",
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: {legend: {display: false}},
          scales: q.kind === "scale_1_5"
            ? {y: {beginAtZero: true, ticks: {precision: 0}}}
            : {x: {beginAtZero: true, ticks: {precision: 0}}}
        }
      });
      canvas.setAttribute("data-drawn", "1");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
