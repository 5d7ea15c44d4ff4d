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
  // Per-section progress of a long form: how many of a fieldset's fields hold a value.
  function bindProgress(section) {
    var name = section.getAttribute("data-section");
    var outputs = document.querySelectorAll('[data-progress-for="' + name + '"]');
    var update = function () {
      var filled = {};
      var names = {};
      section.querySelectorAll("input, select, textarea").forEach(function (field) {
        if (!field.name || field.type === "hidden") return;
        names[field.name] = true;
        var hasValue = (field.type === "checkbox" || field.type === "radio") ? field.checked : field.value.trim() !== "";
        if (hasValue) filled[field.name] = true;
      });
      var total = Object.keys(names).length;
      var count = Object.keys(filled).length;
      outputs.forEach(function (out) {
        out.textContent = out.getAttribute("data-template").replace("{filled}", String(count)).replace("{total}", String(total));
        out.classList.toggle("done", count === total);
      });
    };
    section.addEventListener("input", update);
    section.addEventListener("change", update);
  }
  function init(root) {
    root.querySelectorAll("[data-maxlength]").forEach(bindCounter);
    root.querySelectorAll("[data-section]").forEach(bindProgress);
  }
  // Forms marked data-drop-empty send only the fields that hold a value: short, shareable URLs.
  // (Here rather than in an hx-on attribute: the Content-Security-Policy forbids eval.)
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.hasAttribute("data-drop-empty")) return;
    var parameters = event.detail.parameters;
    Object.entries(parameters).forEach(function (entry) {
      if (entry[1] === "") delete parameters[entry[0]];
    });
  });
  // The header's menu folds behind a button on a phone (CSS decides when); Escape folds it again.
  function bindMenu(toggle) {
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) return;
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    };
    toggle.closest(".site-header").classList.add("has-menu-toggle");
    toggle.hidden = false;
    toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
      setOpen(false);
      toggle.focus();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".menu-toggle[aria-controls]").forEach(bindMenu);
  });
  // Catalogue: the filters sit beside the results on a wide screen, so their disclosure starts open
  // there (the same width as .layout-sidebar in jipp.css). New results that came from a search, a
  // removed filter or "Show n results" take the focus to their heading: on a phone they are below
  // the filters, out of sight. A changed filter keeps the focus; #catalog-status reads the count out.
  function focusResults() {
    var heading = document.getElementById("results-title");
    if (!heading) return;
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia("(min-width: 48.01rem)").matches) return;
    document.querySelectorAll("details[data-open-wide]").forEach(function (panel) { panel.open = true; });
  });
  // A search box searches when submitted: its change event (also fired by Enter, just before the
  // submit) would send a second, racing request through the form's hx-trigger "change".
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-submit-only]")) event.stopPropagation();
  }, true);
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-show-results]")) return;
    event.preventDefault();
    focusResults();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id !== "catalog-results") return;
    var config = event.detail.requestConfig || {};
    var trigger = config.triggeringEvent;
    var fromResults = config.elt && config.elt.closest && config.elt.closest("#catalog-results");
    if (fromResults || (trigger && trigger.type === "submit")) focusResults();
  });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
