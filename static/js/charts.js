/*
 * Draws every chart on the page from its JSON data (measures/charts.py builds it).
 *
 * Each chart's data sits in <script type="application/json" data-chart="DIV-ID">, which is data,
 * not script, so a Content-Security-Policy without inline scripts allows it. Load this file with
 * <script src="..." defer> after plotly.min.js. Without Plotly, or on bad data, nothing happens and
 * the page keeps its summary and data table. Plain ES5: no modules, no eval, no inline handlers.
 */
(function () {
  "use strict";

  function chartConfig() {
    return {
      // The chart is a picture of the table below it: no buttons to reach by keyboard, so the
      // container can stay hidden from screen readers, which read the summary and table.
      displayModeBar: false,
      staticPlot: true,
      responsive: true
    };
  }

  function drawChart(source) {
    var target = document.getElementById(source.getAttribute("data-chart"));
    var figure;
    if (!target) {
      return;
    }
    try {
      figure = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    if (!figure || typeof figure !== "object") {
      return;
    }
    window.Plotly.newPlot(target, figure.data || [], figure.layout || {}, chartConfig());
  }

  function drawAll() {
    var sources;
    var i;
    if (!window.Plotly || typeof window.Plotly.newPlot !== "function") {
      return;
    }
    sources = document.querySelectorAll('script[type="application/json"][data-chart]');
    for (i = 0; i < sources.length; i += 1) {
      drawChart(sources[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
