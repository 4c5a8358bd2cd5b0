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

  /*
   * The idle timeout, told in advance (WCAG 2.2.1 Timing Adjustable): a little
   * before the server would end an unused session, #idle-warning appears with
   * "Fortsätt vara inloggad", which posts to the keep-alive URL and restarts the
   * clock. If nobody answers, what was typed in a form marked data-draft is kept
   * in this tab's sessionStorage (never sent anywhere, gone when the tab closes),
   * tagged with an opaque id of the person and the page, and the page is loaded
   * again, which leads to the login and back. After logging in as the same
   * person, the form is filled in again and the page says so. A page that has
   * kept the session alive itself (a connected video meeting) says so with the
   * event "vardnav:session-alive", and the clock starts again.
   */
  var DRAFT_PREFIX = "vardnav-draft:";
  var DRAFT_MAX_AGE_MS = 2 * 60 * 60 * 1000;

  function draftKey() {
    var owner = document.body.getAttribute("data-draft-owner");
    return owner ? DRAFT_PREFIX + owner + ":" + window.location.pathname : null;
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled) {
        return false;
      }
      var type = (el.type || "").toLowerCase();
      return ["hidden", "file", "submit", "button", "password"].indexOf(type) === -1;
    });
  }

  function saveDraft() {
    var form = document.querySelector("form[data-draft]");
    var key = draftKey();
    if (!form || !key) {
      return;
    }
    var values = {};
    draftFields(form).forEach(function (el) {
      var type = (el.type || "").toLowerCase();
      if (type === "radio" || type === "checkbox") {
        values[el.name + "=" + el.value] = el.checked;
      } else {
        values[el.name] = el.value;
      }
    });
    try {
      window.sessionStorage.setItem(key, JSON.stringify({ savedAt: Date.now(), values: values }));
    } catch (error) {
      // Storage full or disabled: nothing is kept, as without script.
    }
  }

  function restoreDraft() {
    var form = document.querySelector("form[data-draft]");
    var key = draftKey();
    if (!form || !key) {
      return;
    }
    var raw = null;
    try {
      raw = window.sessionStorage.getItem(key);
      window.sessionStorage.removeItem(key);
    } catch (error) {
      return;
    }
    if (!raw) {
      return;
    }
    var draft = JSON.parse(raw);
    if (!draft || Date.now() - draft.savedAt > DRAFT_MAX_AGE_MS) {
      return;
    }
    draftFields(form).forEach(function (el) {
      var type = (el.type || "").toLowerCase();
      if (type === "radio" || type === "checkbox") {
        var checked = draft.values[el.name + "=" + el.value];
        if (checked !== undefined) {
          el.checked = checked;
        }
      } else if (Object.prototype.hasOwnProperty.call(draft.values, el.name)) {
        el.value = draft.values[el.name];
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    var text = form.getAttribute("data-draft-restored");
    if (text) {
      var note = document.createElement("p");
      note.className = "notice notice--info draft-restored";
      note.setAttribute("role", "status");
      note.textContent = text;
      form.parentNode.insertBefore(note, form);
    }
  }

  function startIdleClock() {
    var dialog = document.getElementById("idle-warning");
    if (!dialog) {
      return;
    }
    var form = dialog.querySelector("form");
    var button = form.querySelector("button");
    var warnMs = parseInt(dialog.getAttribute("data-warn-seconds"), 10) * 1000;
    var idleMs = parseInt(dialog.getAttribute("data-idle-seconds"), 10) * 1000;
    var leftMs = parseInt(dialog.getAttribute("data-seconds-left"), 10) * 1000;
    var warnTimer = null;
    var endTimer = null;
    var returnFocus = null;

    function schedule(msLeft) {
      window.clearTimeout(warnTimer);
      window.clearTimeout(endTimer);
      warnTimer = window.setTimeout(show, Math.max(msLeft - warnMs, 0));
      // A second late, so the server has certainly ended the session when the page reloads.
      endTimer = window.setTimeout(expire, msLeft + 1000);
    }

    function show() {
      returnFocus = document.activeElement;
      dialog.hidden = false;
      button.focus();
    }

    function hide() {
      dialog.hidden = true;
      if (returnFocus && returnFocus.focus) {
        returnFocus.focus();
      }
    }

    function expire() {
      saveDraft();
      window.location.reload();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window
        .fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) {
          if (response.status === 204) {
            hide();
            schedule(idleMs);
          } else {
            expire();
          }
        })
        .catch(function () {
          // Offline for a moment: leave the warning up so the person can try again.
        });
    });

    document.addEventListener("vardnav:session-alive", function () {
      if (!dialog.hidden) {
        hide();
      }
      schedule(idleMs);
    });

    schedule(leftMs);
  }

  /*
   * File pickers marked data-file-check: a file that would be refused (type,
   * size, one too many) is taken out of the selection with a message naming it,
   * and the other files stay chosen. Needs DataTransfer to rebuild the list;
   * without it the server's check (which refuses the whole message and names
   * each bad file) is all there is.
   */
  var ACCEPTED_TYPES = ["application/pdf", "image/gif", "image/jpeg", "image/png"];
  var ACCEPTED_ENDINGS = [".pdf", ".gif", ".jpg", ".jpeg", ".png"];

  function fileProblem(input, file, index) {
    var name = file.name.toLowerCase();
    var typeOk =
      ACCEPTED_TYPES.indexOf(file.type) !== -1 ||
      ACCEPTED_ENDINGS.some(function (ending) {
        return name.slice(-ending.length) === ending;
      });
    if (!typeOk) {
      return input.getAttribute("data-msg-type");
    }
    if (file.size > parseInt(input.getAttribute("data-max-bytes"), 10)) {
      return input.getAttribute("data-msg-size");
    }
    if (index >= parseInt(input.getAttribute("data-max-files"), 10)) {
      return input.getAttribute("data-msg-count");
    }
    return null;
  }

  function checkFiles(input) {
    var noteId = input.id + "_client_error";
    var old = document.getElementById(noteId);
    if (old) {
      old.parentNode.removeChild(old);
      var rest = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
        return id && id !== noteId;
      });
      if (rest.length) {
        input.setAttribute("aria-describedby", rest.join(" "));
      } else {
        input.removeAttribute("aria-describedby");
      }
    }
    if (typeof DataTransfer === "undefined" || !input.files) {
      return;
    }
    var kept = new DataTransfer();
    var messages = [];
    Array.prototype.forEach.call(input.files, function (file) {
      var problem = fileProblem(input, file, kept.files.length);
      if (problem) {
        messages.push(
          problem.replace("%(name)s", file.name).replace("%(max)s", input.getAttribute("data-max-files"))
        );
      } else {
        kept.items.add(file);
      }
    });
    if (!messages.length) {
      return;
    }
    input.files = kept.files;
    if (kept.files.length) {
      messages.push(input.getAttribute("data-msg-kept"));
    }
    var note = document.createElement("div");
    note.id = noteId;
    note.className = "errorlist file-check";
    note.setAttribute("role", "alert");
    messages.forEach(function (text) {
      var line = document.createElement("p");
      line.textContent = text;
      note.appendChild(line);
    });
    input.parentNode.insertBefore(note, input);
    var described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(noteId) === -1) {
      described.push(noteId);
      input.setAttribute("aria-describedby", described.join(" "));
    }
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.matches && input.matches("input[type=file][data-file-check]")) {
      checkFiles(input);
    }
  });

  function start() {
    focusErrorSummary();
    restoreDraft();
    startIdleClock();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  if (window.location.hash) {
    window.addEventListener("load", function () {
      window.setTimeout(focusErrorSummary, 0);
    });
  }
})();
