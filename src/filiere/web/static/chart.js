// The metric page's chart: reads the JSON data block written by the server (never inline script) and draws,
// per unit, the actual figures over the years per subject and the targets as points at their deadlines.
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var block = document.getElementById("chart-data");
  if (!holder || !block || typeof Plotly === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var palette = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d"];
  var units = [];
  data.series.forEach(function (s) { if (units.indexOf(s.unit) < 0) { units.push(s.unit); } });
  var subjects = [];
  data.series.forEach(function (s) { if (subjects.indexOf(s.subject) < 0) { subjects.push(s.subject); } });
  var drawing = units.map(function (unit) {
    var box = document.createElement("div");
    box.className = "chart-box";
    holder.appendChild(box);
    var traces = data.series.filter(function (s) { return s.unit === unit; }).map(function (s) {
      var target = s.kind === "target";
      var color = palette[subjects.indexOf(s.subject) % palette.length];
      return {
        x: s.points.map(function (p) { return p.year; }),
        y: s.points.map(function (p) { return p.value; }),
        text: s.points.map(function (p) { return p.doc + (p.verdict ? " · " + p.verdict : ""); }),
        name: s.subject + " — " + (target ? data.words.chart_target : data.words.chart_actual),
        type: "scatter",
        mode: target ? "markers" : "lines+markers",
        marker: target ? {symbol: "star", size: 15, color: color, line: {width: 1, color: "#111"}} : {size: 8, color: color},
        line: {color: color},
        hovertemplate: "%{x}: %{y:,}<br>%{text}<extra>%{fullData.name}</extra>"
      };
    });
    var layout = {
      margin: {l: 70, r: 20, t: 30, b: 40}, height: 360, hovermode: "closest",
      xaxis: {title: {text: data.words.year}, dtick: 1, tickformat: "d"},
      yaxis: {title: {text: data.units[unit] || unit}, rangemode: "tozero", separatethousands: true},
      legend: {orientation: "h", y: -0.2}, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "#fafafa",
      separators: data.lang === "fr" ? ", " : ".,"
    };
    return Plotly.newPlot(box, traces, layout, {displaylogo: false, responsive: true});
  });
  Promise.all(drawing).then(function () { holder.setAttribute("data-state", "drawn"); });
})();
