// Draws the yearly statistics charts (daily supervision, the yearly report) from the JSON data
// island "statistics-charts" (CSP: no inline scripts).
(function () {
  // Long unit names (示范区人民代表大会常务委员会) wrap onto two short lines and end with …;
  // the tooltip of the column shows the full name.
  var LINE = 6;
  function shortLabel(name) {
    if (name.length <= LINE) { return name; }
    if (name.length <= 2 * LINE) { return name.slice(0, LINE) + "\n" + name.slice(LINE); }
    return name.slice(0, LINE) + "\n" + name.slice(LINE, 2 * LINE - 1) + "…";
  }
  function draw() {
    var island = document.getElementById("statistics-charts");
    if (!island || !window.echarts) { return; }
    var charts = JSON.parse(island.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = charts[el.getAttribute("data-chart")];
      if (!data || !data.values.some(function (v) { return v > 0; })) { el.style.display = "none"; return; }
      var chart = window.echarts.init(el);
      chart.setOption({
        tooltip: { trigger: "axis", confine: true },
        grid: { left: 40, right: 16, top: 16, bottom: 90, containLabel: true },
        xAxis: {
          type: "category",
          data: data.labels,
          triggerEvent: true,
          axisLabel: { interval: 0, rotate: el.clientWidth / Math.max(data.labels.length, 1) < 64 ? 40 : 0, formatter: shortLabel, lineHeight: 14 }
        },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: data.values, itemStyle: { color: "#b71c1c" }, label: { show: true, position: "top" } }]
      });
      // Hovering a shortened axis label shows the full unit name.
      chart.on("mouseover", function (params) { if (params.componentType === "xAxis") { el.title = params.value; } });
      chart.on("mouseout", function (params) { if (params.componentType === "xAxis") { el.removeAttribute("title"); } });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
