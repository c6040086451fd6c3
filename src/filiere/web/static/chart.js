// The metric page's chart: reads the JSON data block written by the server (never inline script) and draws, per
// unit, for each series (a subject and its scope, actual or target) the line through one value a year and one
// marker trace per source, each source with its own symbol; targets are their own series, open stars at their
// deadline drawn under the actual figures. Numbers on the axis are written as the tables write them ("157,6 Md");
// every word and hover text comes written (and escaped) by the server. The legend is a list under the plot (it
// wraps and never covers it; a click hides a trace), the toolbar only on wide screens.
(function () {
  "use strict";
  var holder = document.getElementById("chart");
  var block = document.getElementById("chart-data");
  if (!holder || !block || typeof Plotly === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var palette = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#92400e",
                 "#0f172a", "#be123c", "#4d7c0f"];
  var symbols = ["circle", "square", "diamond", "triangle-up", "cross", "x", "triangle-down", "pentagon", "hexagon"];
  var narrow = window.innerWidth < 700;
  function fit(name) {  // a legend entry of two lines at most
    var most = 90;
    return name.length <= most ? name : name.slice(0, most - 1).replace(/\s+\S*$/, "") + "…";
  }

  function digits(value) {
    var rounded = Math.round(value * 100) / 100;
    var parts = Math.abs(rounded).toFixed(2).replace(/0+$/, "").replace(/\.$/, "").split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, data.group);
    return (rounded < 0 ? "-" : "") + whole + (parts[1] ? data.decimal + parts[1] : "");
  }
  function number(value) {
    for (var i = 0; i < data.scales.length; i++) {
      if (Math.abs(value) >= data.scales[i][0]) { return digits(value / data.scales[i][0]) + " " + data.scales[i][1]; }
    }
    return digits(value);
  }
  function ticks(max) {  // about five round steps from 0 to max
    if (!(max > 0)) { return [0]; }
    var raw = max / 5, power = Math.pow(10, Math.floor(Math.log10(raw))), step = power;
    [1, 2, 2.5, 5, 10].some(function (m) { step = m * power; return step >= raw; });
    var out = [];
    for (var v = 0; v <= max * 1.1 + step / 2; v += step) { out.push(v); }
    return out;
  }

  var seriesNames = [], sourceNames = [];
  data.units.forEach(function (u) {
    u.series.forEach(function (s) {
      var key = s.name.replace(/ — [^—]*$/, "");
      if (seriesNames.indexOf(key) < 0) { seriesNames.push(key); }
      s.sources.forEach(function (src) { if (sourceNames.indexOf(src.name) < 0) { sourceNames.push(src.name); } });
    });
  });

  var marks = {"circle": "●", "square": "■", "diamond": "◆", "triangle-up": "▲", "cross": "✚", "x": "✖",
               "triangle-down": "▼", "pentagon": "⬟", "hexagon": "⬢", "star-open": "☆"};
  function legend(box, traces) {  // one button per legend entry: a click hides or shows its trace
    var list = document.createElement("ul");
    list.className = "chart-legend";
    traces.forEach(function (t, i) {
      if (t.showlegend === false) { return; }
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("aria-pressed", "true");
      var mark = document.createElement("span");
      mark.className = "legend-mark";
      mark.style.color = t.mode === "lines" ? t.line.color : t.marker.color;
      mark.textContent = t.mode === "lines" ? "━" : (marks[t.marker.symbol] || "●");
      button.appendChild(mark);
      button.appendChild(document.createTextNode(" " + t.name));
      button.addEventListener("click", function () {
        var on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", on ? "true" : "false");
        Plotly.restyle(box, {visible: on ? true : "legendonly"}, [i]);
      });
      item.appendChild(button);
      list.appendChild(item);
    });
    box.parentNode.insertBefore(list, box.nextSibling);
  }

  var drawing = data.units.map(function (u) {
    var box = document.createElement("div");
    box.className = "chart-box";
    holder.appendChild(box);
    var traces = [], max = 0, years = [];
    var ordered = u.series.filter(function (s) { return s.kind === "target"; })
      .concat(u.series.filter(function (s) { return s.kind !== "target"; }));  // actual figures drawn on top
    ordered.forEach(function (s) {
      var target = s.kind === "target";
      var color = palette[seriesNames.indexOf(s.name.replace(/ — [^—]*$/, "")) % palette.length];
      if (!target && s.line.x.length > 1) {
        traces.push({x: s.line.x, y: s.line.y, name: fit(s.name), legendgroup: s.name, type: "scatter", mode: "lines",
                     line: {color: color, width: 2}, hoverinfo: "skip"});
      }
      s.sources.forEach(function (src, i) {
        var n = src.x.length;
        src.y.forEach(function (v) { max = Math.max(max, v); });
        src.x.forEach(function (x) { if (years.indexOf(x) < 0) { years.push(x); } });
        var shift = s.sources.length > 1 ? (i - (s.sources.length - 1) / 2) * 0.08 : 0;  // two sources, two dots
        traces.push({
          x: src.x.map(function (x) { return x + shift; }), y: src.y, customdata: src.hover,
          name: fit(target || s.sources.length > 1 || s.line.x.length <= 1 ? s.name + " · " + src.name : src.name),
          legendgroup: s.name, type: "scatter", mode: "markers",
          showlegend: target || s.sources.length > 1 || s.line.x.length <= 1,
          marker: target ? {symbol: "star-open", size: 16, color: color, line: {width: 2, color: color}}
                         : {symbol: symbols[sourceNames.indexOf(src.name) % symbols.length], size: 10, color: color,
                            line: {width: 1, color: "#fff"}},
          hovertemplate: "%{customdata}<extra></extra>", hoverlabel: {align: "left"}
        });
        if (n === 0) { traces.pop(); }
      });
    });
    var values = ticks(max);
    years.sort();
    var plot = narrow ? 280 : 360;
    var shown = narrow && years.length > 6 ? years.filter(function (y, i) { return i % 2 === (years.length - 1) % 2; }) : years;
    var layout = {
      margin: {l: narrow ? 56 : 80, r: 12, t: 10, b: 30}, height: plot,
      hovermode: "closest",
      xaxis: {tickmode: "array", tickvals: shown, ticktext: shown.map(String), tickangle: 0, range: [years[0] - 0.6, years[years.length - 1] + 0.6],
              fixedrange: narrow},
      yaxis: {title: {text: u.title, standoff: 6}, tickmode: "array", tickvals: values, ticktext: values.map(number),
              range: [0, values[values.length - 1] * 1.02], fixedrange: narrow, automargin: true},
      showlegend: false,  // the legend is a list under the plot (legend()): it wraps, and never covers the plot
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "#fafafa",
      separators: data.decimal + data.group
    };
    var drawn = Plotly.newPlot(box, traces, layout, {displaylogo: false, responsive: true,
                                                     displayModeBar: narrow ? false : "hover"});
    legend(box, traces);
    return drawn;
  });
  Promise.all(drawing).then(function () { holder.setAttribute("data-state", "drawn"); });
})();
