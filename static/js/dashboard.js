// Draws the role dashboard's charts (core.dashboard) from the JSON data island "dashboard-charts"
// (CSP: no inline scripts, ECharts vendored). Long unit names on horizontal bars are shortened to
// two lines ending with …; the tooltip shows the full name. A value above zero that needs action
// is red; zero and neutral counts are never in the alarm colour.
(function () {
  var INK = "#5c6b7a", ALARM = "#b71c1c", ZERO = "#c8ced6";
  var PALETTE = ["#3d6fb6", "#7a9cc6", "#5b8c5a", "#c9a227", "#8e6c8a", "#4f9aa8"];
  var LINE = 8;
  function shortLabel(name) {
    if (name.length <= LINE) { return name; }
    if (name.length <= 2 * LINE) { return name.slice(0, LINE) + "\n" + name.slice(LINE); }
    return name.slice(0, LINE) + "\n" + name.slice(LINE, 2 * LINE - 1) + "…";
  }
  function draw() {
    var island = document.getElementById("dashboard-charts");
    if (!island || !window.echarts) { return; }
    var charts = JSON.parse(island.textContent);
    document.querySelectorAll("[data-dashboard-chart]").forEach(function (el) {
      var data = charts[el.getAttribute("data-dashboard-chart")];
      // Nothing above zero: no empty axes, the table under it says the zeros.
      var any = data && data.series.some(function (s) { return s.values.some(function (v) { return v > 0; }); });
      if (!data || !data.categories.length || !any) { el.style.display = "none"; return; }
      var horizontal = data.horizontal;
      var categoryAxis = {
        type: "category",
        data: data.categories,
        inverse: horizontal,
        axisLabel: horizontal ? { formatter: shortLabel, lineHeight: 14, width: 130, overflow: "truncate" } : { interval: 0, formatter: shortLabel, lineHeight: 14 }
      };
      var valueAxis = { type: "value", minInterval: 1 };
      var series = data.series.map(function (s, n) {
        var base = PALETTE[n % PALETTE.length];
        return {
          name: s.name,
          type: "bar",
          stack: data.stacked ? "all" : undefined,
          data: s.values.map(function (v, i) {
            // Stacked bars keep their series' colours (the table under the chart marks the
            // overdue counts); a single series turns red only where a count above zero is an alarm.
            var alarm = s.alarm[i] && !data.stacked;
            return { value: v, itemStyle: { color: alarm ? ALARM : (v > 0 ? base : ZERO) } };
          }),
          label: { show: !data.stacked, position: horizontal ? "right" : "top", color: INK }
        };
      });
      var chart = window.echarts.init(el);
      chart.setOption({
        tooltip: {
          trigger: "axis",
          confine: true,
          axisPointer: { type: "shadow" },
          // The full category name (a unit's whole name) heads the tooltip.
          formatter: function (items) {
            // Names are data: escaped before they reach the tooltip's HTML.
            var esc = window.echarts.format.encodeHTML;
            var head = esc(data.categories[items[0].dataIndex]);
            return [head].concat(items.map(function (it) { return it.marker + esc(it.seriesName) + "：" + esc(String(it.value)); })).join("<br>");
          }
        },
        legend: data.series.length > 1 ? { bottom: 0, type: "scroll" } : undefined,
        grid: { left: 8, right: 32, top: 16, bottom: data.series.length > 1 ? 40 : 16, containLabel: true },
        xAxis: horizontal ? valueAxis : categoryAxis,
        yAxis: horizontal ? categoryAxis : valueAxis,
        series: series
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
