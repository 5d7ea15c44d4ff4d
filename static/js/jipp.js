// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Live character counters for fields that declare data-maxlength.
  function bindCounter(field) {
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    var out = document.getElementById(field.id + "_counter");
    if (!max || !out) return;
    var update = function () {
      var left = max - field.value.length;
      out.textContent = out.getAttribute("data-template").replace("{n}", String(left));
      out.classList.toggle("over", left < 0);
    };
    field.addEventListener("input", update);
    update();
  }
  function init(root) {
    root.querySelectorAll("[data-maxlength]").forEach(bindCounter);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
