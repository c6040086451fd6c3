// Document page: clicking (or pressing Enter on) a highlighted figure or milestone shows its record as a card:
// the rows come written for people by the server (data-card, JSON) and are written here with textContent, so
// nothing in them is ever parsed as HTML. The card scrolls into view (beside the text on a wide screen, at the
// bottom of the screen on a phone) and closes with its button or Escape.
(function () {
  "use strict";
  var panel = document.getElementById("record");
  if (!panel) { return; }
  var box = document.getElementById("record-panel");
  function close() {
    box.classList.remove("open");
    panel.textContent = "";
    document.querySelectorAll("mark.selected").forEach(function (m) { m.classList.remove("selected"); });
  }
  function show(mark) {
    var card = JSON.parse(mark.getAttribute("data-card"));
    panel.textContent = "";
    var head = document.createElement("div");
    head.className = "record-head";
    var title = document.createElement("strong");
    title.textContent = card.title;
    var shut = document.createElement("button");
    shut.type = "button";
    shut.className = "record-close";
    shut.textContent = "×";
    shut.setAttribute("aria-label", panel.getAttribute("data-close") || "close");
    shut.addEventListener("click", close);
    head.appendChild(title);
    head.appendChild(shut);
    panel.appendChild(head);
    var list = document.createElement("dl");
    card.rows.forEach(function (row) {
      var dt = document.createElement("dt");
      dt.textContent = row[0];
      var dd = document.createElement("dd");
      dd.textContent = String(row[1]);
      list.appendChild(dt);
      list.appendChild(dd);
    });
    panel.appendChild(list);
    var quote = document.createElement("blockquote");
    quote.textContent = mark.textContent;
    panel.appendChild(quote);
    box.classList.add("open");
    document.querySelectorAll("mark.selected").forEach(function (m) { m.classList.remove("selected"); });
    mark.classList.add("selected");
    if (window.innerWidth >= 900) { box.scrollIntoView({block: "nearest", behavior: "smooth"}); }
  }
  document.querySelectorAll("mark[data-card]").forEach(function (mark) {
    mark.addEventListener("click", function () { show(mark); });
    mark.addEventListener("keydown", function (event) { if (event.key === "Enter") { show(mark); } });
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { close(); } });
  if (location.hash) {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.hasAttribute("data-card")) { show(target); target.scrollIntoView({block: "center"}); }
  }
})();
