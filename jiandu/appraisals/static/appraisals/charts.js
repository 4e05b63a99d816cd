// Charts of the appraisal results page. Data comes from a JSON script element (the CSP forbids
// inline scripts); the tables on the page carry the same numbers for printing and screen readers.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); } }
  ready(function () {
    var source = document.getElementById("appraisal-chart-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var palette = ["#1b7f3b", "#0b5cad", "#9a6700", "#b42318"];
    // Long unit names wrap onto two short lines ending with …; the tooltip and a hover title show the full name.
    var LINE = 6;
    function shortLabel(name) {
      if (name.length <= LINE) { return name; }
      if (name.length <= 2 * LINE) { return name.slice(0, LINE) + "\n" + name.slice(LINE); }
      return name.slice(0, LINE) + "\n" + name.slice(LINE, 2 * LINE - 1) + "…";
    }
    function bars(id, title, items) {
      var el = document.getElementById(id);
      if (!el) { return; }
      var chart = window.echarts.init(el);
      chart.setOption({
        title: { text: title, left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 20, bottom: 30, top: 40 },
        xAxis: { type: "category", data: items.map(function (g) { return g.label; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: items.map(function (g, i) { return { value: g.count, itemStyle: { color: palette[i % palette.length] } }; }), label: { show: true, position: "top" } }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }
    bars("chart-grades", data.labels.grades, data.grades);
    bars("chart-teams", data.labels.teams, data.teams);
    var el = document.getElementById("chart-units");
    if (el && data.units.length) {
      var chart = window.echarts.init(el);
      var names = data.units.map(function (u) { return u.name; });
      function series(key, color) { return { name: data.labels[key], type: "bar", data: data.units.map(function (u) { return u[key]; }), itemStyle: { color: color } }; }
      chart.setOption({
        title: { text: data.labels.scores, left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis", confine: true },
        legend: { bottom: 0 },
        grid: { left: 40, right: 20, bottom: 60, top: 40, containLabel: true },
        xAxis: { type: "category", data: names, triggerEvent: true, axisLabel: { interval: 0, rotate: el.clientWidth / Math.max(names.length, 1) < 64 ? 40 : 0, formatter: shortLabel, lineHeight: 14 } },
        yAxis: { type: "value", min: function (v) { return Math.max(0, Math.floor(v.min / 10) * 10 - 10); }, max: 100 },
        series: [series("target", "#0b5cad"), series("democratic", "#9a6700"), series("final", "#b71c1c")]
      });
      chart.on("mouseover", function (params) { if (params.componentType === "xAxis") { el.title = params.value; } });
      chart.on("mouseout", function (params) { if (params.componentType === "xAxis") { el.removeAttribute("title"); } });
      window.addEventListener("resize", function () { chart.resize(); });
    }
  });
})();
