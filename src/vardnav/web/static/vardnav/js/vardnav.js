/*
 * Progressive enhancement shared by every page. Pages work without it.
 *
 * Why focus the error summary: after a failed submit, screen-reader and
 * keyboard users land on the list of what to fix instead of the page top.
 */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
})();
