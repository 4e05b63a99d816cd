// Charts of a closed ballot's results. Data comes from <script type="application/json"
// id="ballot-chart-data"> (CSP forbids inline scripts); tables on the page carry the exact values.
(function () {
  "use strict";
  function init() {
    var source = document.getElementById("ballot-chart-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var palette = ["#1b7f3b", "#6aa84f", "#f1c232", "#cc0000", "#9e9e9e", "#0b5cad", "#8e7cc3"];
    var charts = [];
    data.charts.forEach(function (entry) {
      var bars = entry.bars;
      var el = document.getElementById(bars.id);
      if (el) {
        // Height follows the number of subjects (one team alone needs no 360 px); beside a radar
        // chart it keeps the radar's height. CSSOM styles are allowed by the CSP.
        var height = Math.max(200, 110 + 40 * bars.subjects.length);
        el.style.height = (entry.radar ? Math.max(height, 360) : height) + "px";
        var chart = window.echarts.init(el);
        chart.setOption({
          color: bars.colors || palette,
          title: { text: bars.title, left: "center", textStyle: { fontSize: 14 } },
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          legend: { bottom: 0 },
          grid: { left: 8, right: 16, top: 40, bottom: 40, containLabel: true },
          xAxis: { type: "value", name: data.labels.count, minInterval: 1 },
          yAxis: { type: "category", data: bars.subjects, inverse: true },
          series: bars.series.map(function (s) {
            return { name: s.name, type: "bar", stack: "total", barMaxWidth: 36, data: s.data, label: { show: true, formatter: function (p) { return p.value ? p.value : ""; } } };
          })
        });
        charts.push(chart);
      }
      var radar = entry.radar;
      var rel = radar && document.getElementById(radar.id);
      if (rel) {
        var rchart = window.echarts.init(rel);
        rchart.setOption({
          title: { text: radar.title, left: "center", textStyle: { fontSize: 14 } },
          tooltip: {},
          legend: { bottom: 0, type: "scroll" },
          radar: { indicator: radar.indicators, radius: "62%", center: ["50%", "52%"] },
          series: [{ type: "radar", name: data.labels.score, data: radar.series.map(function (s) { return { name: s.name, value: s.value }; }) }]
        });
        charts.push(rchart);
      }
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  document.addEventListener("click", function (event) {
    if (event.target && event.target.hasAttribute && event.target.hasAttribute("data-print")) { window.print(); }
  });
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
