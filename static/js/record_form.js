// The record form: focus on the error summary, a warning before leaving unsaved changes, and more
// award rows. The form works without this file (one blank award row appears after each save).
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  // Once something was typed (or from the start when the page shows a form that could not be
  // saved), and never when the form itself is being sent.
  function warnBeforeLeaving(form) {
    var dirty = form.hasAttribute("data-unsaved");
    var mark = function () { dirty = true; };
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  // A new row from the formset's empty form (in a <template>), numbered after the existing ones.
  function bindAddRow(button) {
    var prefix = button.getAttribute("data-add-form");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var template = document.getElementById(prefix + "-empty-form");
    var rows = document.getElementById(prefix + "-rows");
    if (!total || !template || !rows) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) return;
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = rows.lastElementChild.querySelector("input, select, textarea");
      if (first) first.focus();
      if (max && index + 1 >= parseInt(max.value, 10)) button.hidden = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    document.querySelectorAll("form[data-warn-unsaved]").forEach(warnBeforeLeaving);
    document.querySelectorAll("[data-add-form]").forEach(bindAddRow);
  });
})();
