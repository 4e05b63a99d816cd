// Draws the oversight statistics charts from the JSON data island (CSP: no inline scripts).
(function () {
  function draw() {
    var island = document.getElementById("oversight-charts");
    if (!island || !window.echarts) { return; }
    var charts = JSON.parse(island.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = charts[el.getAttribute("data-chart")];
      if (!data || !data.values.some(function (v) { return v > 0; })) { el.style.display = "none"; return; }
      var chart = window.echarts.init(el);
      chart.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 16, bottom: 90 },
        xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: data.values, itemStyle: { color: "#b71c1c" }, label: { show: true, position: "top" } }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
