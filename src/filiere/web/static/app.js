// Document page: clicking (or pressing Enter on) a highlighted figure or milestone shows its record.
// The record is read from a data attribute and written with textContent, so nothing in it is ever parsed as HTML.
(function () {
  "use strict";
  var panel = document.getElementById("record");
  if (!panel) { return; }
  function show(mark) {
    var record = JSON.parse(mark.getAttribute("data-record"));
    panel.textContent = JSON.stringify(record, null, 2);
    document.querySelectorAll("mark.selected").forEach(function (m) { m.classList.remove("selected"); });
    mark.classList.add("selected");
  }
  document.querySelectorAll("mark[data-record]").forEach(function (mark) {
    mark.addEventListener("click", function () { show(mark); });
    mark.addEventListener("keydown", function (event) { if (event.key === "Enter") { show(mark); } });
  });
  if (location.hash) {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.hasAttribute("data-record")) { show(target); }
  }
})();
