// Dashboard charts: every <canvas data-chart-url> is drawn with Chart.js from its JSON endpoint.
(function () {
  "use strict";

  var COLOURS = ["#c2410c", "#1d4ed8", "#15803d", "#b45309", "#7c3aed", "#0f766e"];

  // The chart's data: written into the page (data-chart-data names a json_script element), so it
  // draws on first paint, or else fetched from its endpoint.
  function dataOf(canvas) {
    var inline = canvas.dataset.chartData && document.getElementById(canvas.dataset.chartData);
    if (inline) {
      return Promise.resolve(JSON.parse(inline.textContent));
    }
    return fetch(canvas.dataset.chartUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      });
  }

  function draw(canvas) {
    if (typeof Chart === "undefined") {
      return;
    }
    dataOf(canvas)
      .then(function (data) {
        data.datasets.forEach(function (dataset, i) {
          dataset.backgroundColor = COLOURS[i % COLOURS.length];
        });
        var horizontal = canvas.dataset.chartAxis === "y";
        new Chart(canvas, {
          type: canvas.dataset.chartType || "bar",
          data: data,
          options: {
            indexAxis: horizontal ? "y" : "x",
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            plugins: { legend: { display: data.datasets.length > 1 } },
            scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
          },
        });
        canvas.dataset.drawn = "true";
      })
      .catch(function () {
        var note = document.createElement("p");
        note.className = "muted small";
        note.textContent = gettext("This chart could not be loaded; reload the page to try again.");
        canvas.replaceWith(note);
      });
  }

  function init() {
    document.querySelectorAll("canvas[data-chart-url]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
