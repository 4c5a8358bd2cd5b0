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

  /*
   * Forms marked data-submit-once send once: the pressed button says what is
   * happening (its data-busy-text, e.g. "Skickar …") and further presses or
   * Enter do nothing until the next page. Why not `disabled`: a disabled button
   * drops its own name=value from the submission (e.g. send_anyway=1), and
   * screen readers lose it; aria-disabled keeps both. The server also answers a
   * repeated submission_key with the first result, so this is for the person,
   * not for correctness. A page restored from the back/forward cache is reset.
   */
  function markBusy(form, button) {
    form.setAttribute("data-submitting", "true");
    form.setAttribute("aria-busy", "true");
    if (button) {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("button--busy");
      var busy = button.getAttribute("data-busy-text");
      if (busy) {
        button.setAttribute("data-idle-text", button.textContent);
        button.textContent = busy;
      }
    }
  }

  function resetBusy() {
    var forms = document.querySelectorAll("form[data-submit-once]");
    Array.prototype.forEach.call(forms, function (form) {
      form.removeAttribute("data-submitting");
      form.removeAttribute("aria-busy");
      var buttons = form.querySelectorAll("[aria-disabled='true']");
      Array.prototype.forEach.call(buttons, function (button) {
        button.removeAttribute("aria-disabled");
        button.classList.remove("button--busy");
        var idle = button.getAttribute("data-idle-text");
        if (idle !== null) {
          button.textContent = idle;
        }
      });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-submit-once")) {
      return;
    }
    if (form.getAttribute("data-submitting") === "true") {
      event.preventDefault();
      return;
    }
    markBusy(form, event.submitter || form.querySelector("button[type='submit']"));
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      resetBusy();
    }
  });

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
