// KPI charts (ECharts), redrawn whenever HTMX swaps in a fresh KPI partial.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var ordersEl = document.getElementById("chart-orders");
  var backlogEl = document.getElementById("chart-backlog");
  if (!ordersEl || !backlogEl) { return; }
  var orders = echarts.init(ordersEl);
  var backlog = echarts.init(backlogEl);

  function draw() {
    var el = document.getElementById("kpi-data");
    if (!el) { return; }
    var d = JSON.parse(el.textContent || "{}");
    orders.setOption({ animation: false,
      title: { text: "Orders per hour (simulated)", textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 35, bottom: 40 },
      xAxis: { type: "category", data: (d.series || []).map(function (x) { return x[0].slice(6); }) },
      yAxis: { type: "value" },
      series: [{ type: "line", smooth: true, areaStyle: {}, data: (d.series || []).map(function (x) { return x[1]; }) }]
    });
    backlog.setOption({ animation: false,
      title: { text: "Backlog per FC (undelivered shipments)", textStyle: { fontSize: 13 } },
      tooltip: {}, grid: { left: 90, right: 10, top: 35, bottom: 20 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: (d.backlog || []).map(function (x) { return x[0]; }).reverse() },
      series: [{ type: "bar", data: (d.backlog || []).map(function (x) { return x[1]; }).reverse() }]
    });
  }
  draw();
  document.body.addEventListener("htmx:afterSwap", function (ev) {
    if (ev.detail && ev.detail.target && ev.detail.target.id === "kpi-panel") { draw(); }
  });
  window.addEventListener("resize", function () { orders.resize(); backlog.resize(); });
})();
