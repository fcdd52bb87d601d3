// Small behaviours of every page, kept out of the templates (no inline scripts).
(function () {
  "use strict";

  // After a failed submit the error summary takes the focus, so a screen reader reads it.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("#error-summary");
    if (summary) { summary.focus(); }
  }

  // A table that is wider than its box says so ("scroll sideways"), and can be scrolled
  // with the keyboard: the container is focusable only while it actually scrolls.
  function markScrollableTables(root) {
    (root || document).querySelectorAll(".table-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("is-scrollable", scrolls);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    markScrollableTables(document);
  });
  window.addEventListener("resize", function () { markScrollableTables(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    focusErrorSummary(event.target);
    markScrollableTables(event.target);
  });
})();
