// The metric page's chart: reads the JSON data block written by the server (never inline script) and draws,
// per unit, one line per series (a subject and its scope: "Maroc, VP" and "Maroc, véhicules électrifiés" are two
// lines) through one value a year, a marker for every source's figure, and the targets as stars at their deadlines.
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var block = document.getElementById("chart-data");
  if (!holder || !block || typeof Plotly === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var palette = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d"];
  var units = [];
  data.series.forEach(function (s) { if (units.indexOf(s.unit) < 0) { units.push(s.unit); } });
  var labels = [];
  data.series.forEach(function (s) { if (labels.indexOf(s.label) < 0) { labels.push(s.label); } });
  function sourceText(p) { return p.doc + (p.date ? " (" + p.date + ")" : "") + (p.verdict ? " · " + p.verdict : ""); }
  var drawing = units.map(function (unit) {
    var box = document.createElement("div");
    box.className = "chart-box";
    holder.appendChild(box);
    var traces = [];
    data.series.filter(function (s) { return s.unit === unit; }).forEach(function (s) {
      var target = s.kind === "target";
      var color = palette[labels.indexOf(s.label) % palette.length];
      var name = s.label + " — " + (target ? data.words.chart_target : data.words.chart_actual);
      var group = s.label + "|" + s.kind;
      if (!target) {
        traces.push({
          x: s.line.map(function (p) { return p.year; }), y: s.line.map(function (p) { return p.value; }),
          name: name, legendgroup: group, type: "scatter", mode: "lines", line: {color: color},
          hoverinfo: "skip"
        });
      }
      traces.push({
        x: s.points.map(function (p) { return p.year; }),
        y: s.points.map(function (p) { return p.value; }),
        text: s.points.map(sourceText),
        name: name, legendgroup: group, showlegend: target, type: "scatter", mode: "markers",
        marker: target ? {symbol: "star", size: 15, color: color, line: {width: 1, color: "#111"}}
                       : {size: 8, color: color, line: {width: 1, color: "#fff"}},
        hovertemplate: "%{x}: %{y:,}<br>%{text}<extra>%{fullData.name}</extra>"
      });
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
