/*
 * Progressive enhancement shared by every page. Pages work without it.
 *
 * Why focus the error summary: after a failed submit, screen-reader and
 * keyboard users land on the list of what to fix instead of the page top.
 * Why again on "load": a form that posts to its own page keeps the URL's
 * #fragment (e.g. #main, after the skip link), and the browser then moves
 * focus to that target as the page loads, away from the summary.
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
  if (window.location.hash) {
    window.addEventListener("load", function () {
      window.setTimeout(focusErrorSummary, 0);
    });
  }
})();
