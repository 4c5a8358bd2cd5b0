// The "Övrig information" editor (ORG-5): Quill (vendored, see package.json and `make vendor`)
// with exactly the rule's toolbar: undo/redo, heading 2 and 3, paste as plain text, bold,
// italic, bullet and numbered lists, and links with URL, text, title and "open in new window".
//
// Progressive enhancement: without JavaScript (or if Quill fails to load) the form is a plain
// text area. The server sanitises whatever arrives (organizations/html.py); this is comfort,
// not the guard. The toolbar and the link dialog are rendered by the page (translated) in a
// <template>; this file only wires them up.
//
// Keyboard: the toolbar is one tab stop (arrow keys, Home and End move between its buttons,
// as the WAI-ARIA toolbar pattern says) and remembers the last button used; a pressed button
// returns focus to the text, Escape returns without pressing anything; Tab leaves the text
// instead of inserting a tab character; Shift+Tab or Alt+F10 moves from the text to the
// toolbar; Ctrl+B, Ctrl+I, Ctrl+Z and Ctrl+Y work.
(function () {
  "use strict";
  var textarea = document.querySelector("textarea[data-rich-text]");
  var template = document.getElementById("rich-text-ui");
  if (!textarea || !template || typeof window.Quill === "undefined") return;
  var Quill = window.Quill;

  // Links keep a title and open in a new window only when asked to (Quill's own always do).
  var Link = Quill.import("formats/link");
  class RichLink extends Link {
    static create(value) {
      var link = typeof value === "string" ? { href: value } : value;
      var node = super.create(link.href);
      RichLink.apply(node, link);
      return node;
    }
    static apply(node, link) {
      node.setAttribute("href", Link.sanitize(link.href));
      if (link.title) node.setAttribute("title", link.title);
      else node.removeAttribute("title");
      if (link.newWindow) {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
      } else {
        node.removeAttribute("target");
        node.removeAttribute("rel");
      }
    }
    static formats(node) {
      return {
        href: node.getAttribute("href"),
        title: node.getAttribute("title") || "",
        newWindow: node.getAttribute("target") === "_blank",
      };
    }
    format(name, value) {
      if (name !== "link" || !value) {
        super.format(name, value);
        return;
      }
      RichLink.apply(this.domNode, typeof value === "string" ? { href: value } : value);
    }
  }
  Quill.register(RichLink, true);

  var ui = template.content.cloneNode(true);
  var wrapper = ui.querySelector("[data-rich-text-editor]");
  var toolbar = ui.querySelector("[role=toolbar]");
  var dialog = ui.querySelector("dialog");
  var area = document.createElement("div");
  wrapper.appendChild(area);
  textarea.parentNode.insertBefore(ui, textarea.nextSibling);

  var quill = new Quill(area, {
    formats: ["header", "bold", "italic", "list", "link"],
    modules: {
      toolbar: false,
      keyboard: {
        bindings: {
          // Tab moves focus on (WCAG 2.1.2): no tab characters, no indenting by Tab.
          tab: false,
          "remove tab": false,
          indent: false,
          outdent: false,
          "indent code-block": false,
          "outdent code-block": false,
          underline: false,
          toolbar: {
            key: "F10",
            altKey: true,
            handler: function () {
              focusButton(currentButton());
              return false;
            },
          },
          redo: {
            key: "y",
            shortKey: true,
            handler: function () {
              quill.history.redo();
              return false;
            },
          },
        },
      },
    },
  });
  var label = document.querySelector('label[for="' + textarea.id + '"]');
  var editor = quill.root;
  editor.setAttribute("role", "textbox");
  editor.setAttribute("aria-multiline", "true");
  if (label) {
    label.id = label.id || textarea.id + "-label";
    editor.setAttribute("aria-labelledby", label.id);
    label.addEventListener("click", function () { quill.focus(); });
  }
  var described = textarea.getAttribute("aria-describedby");
  if (described) editor.setAttribute("aria-describedby", described);
  editor.id = textarea.id + "-editor";
  toolbar.setAttribute("aria-controls", editor.id);

  if (textarea.value.trim()) quill.clipboard.dangerouslyPasteHTML(textarea.value, "silent");
  quill.history.clear();
  textarea.hidden = true;
  textarea.setAttribute("aria-hidden", "true");
  textarea.tabIndex = -1;

  function html() {
    if (!quill.getText().trim()) return "";
    // Quill writes spaces as &nbsp;; the stored text should read as ordinary text.
    return quill.getSemanticHTML().replace(/&nbsp;/g, " ");
  }
  textarea.form.addEventListener("submit", function () { textarea.value = html(); });

  // --- paste as plain text (a toggle, on from the start) ---------------------------------
  var plainPaste = toolbar.querySelector('[data-action="plain-paste"]');
  editor.addEventListener(
    "paste",
    function (event) {
      if (plainPaste.getAttribute("aria-pressed") !== "true") return;
      event.preventDefault();
      event.stopImmediatePropagation();
      var text = (event.clipboardData || window.clipboardData).getData("text/plain");
      var range = quill.getSelection(true);
      quill.deleteText(range.index, range.length, "user");
      quill.insertText(range.index, text, "user");
      quill.setSelection(range.index + text.length, 0, "silent");
    },
    true
  );

  // --- the toolbar --------------------------------------------------------------------
  var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
  var current = 0;
  function currentButton() { return buttons[current]; }
  function focusButton(button) {
    buttons.forEach(function (other) { other.tabIndex = other === button ? 0 : -1; });
    current = buttons.indexOf(button);
    button.focus();
  }
  buttons.forEach(function (button, index) { button.tabIndex = index === 0 ? 0 : -1; });
  toolbar.addEventListener("keydown", function (event) {
    var index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    var next = null;
    if (event.key === "ArrowRight") next = (index + 1) % buttons.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + buttons.length) % buttons.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = buttons.length - 1;
    else if (event.key === "Escape") { quill.focus(); event.preventDefault(); return; }
    else if (event.key === "Enter" || event.key === " ") {
      // Press the button here, so the key itself never reaches the text that takes focus next.
      event.preventDefault();
      document.activeElement.click();
      return;
    }
    if (next === null) return;
    event.preventDefault();
    focusButton(buttons[next]);
  });

  var lastRange = { index: 0, length: 0 };
  // editor-change also reports the selection moves Quill makes silently while one types,
  // which "selection-change" leaves out: the toolbar must act where the caret really is.
  quill.on("editor-change", function (type, range) {
    if (type === "selection-change" && range) lastRange = range;
    refresh();
  });

  function refresh() {
    var formats = quill.getFormat(lastRange);
    press("h2", formats.header === 2);
    press("h3", formats.header === 3);
    press("bold", !!formats.bold);
    press("italic", !!formats.italic);
    press("bullet", formats.list === "bullet");
    press("ordered", formats.list === "ordered");
    press("link", !!formats.link);
  }
  function press(action, on) {
    var button = toolbar.querySelector('[data-action="' + action + '"]');
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  var actions = {
    undo: function () { quill.history.undo(); },
    redo: function () { quill.history.redo(); },
    h2: function (f) { quill.format("header", f.header === 2 ? false : 2, "user"); },
    h3: function (f) { quill.format("header", f.header === 3 ? false : 3, "user"); },
    bold: function (f) { quill.format("bold", !f.bold, "user"); },
    italic: function (f) { quill.format("italic", !f.italic, "user"); },
    bullet: function (f) { quill.format("list", f.list === "bullet" ? false : "bullet", "user"); },
    ordered: function (f) { quill.format("list", f.list === "ordered" ? false : "ordered", "user"); },
    "plain-paste": function () {
      plainPaste.setAttribute("aria-pressed", plainPaste.getAttribute("aria-pressed") === "true" ? "false" : "true");
    },
    link: function () { openLinkDialog(); },
  };
  toolbar.addEventListener("keyup", function (event) {
    if (event.key === " ") event.preventDefault();
  });
  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    event.preventDefault();
    var action = button.getAttribute("data-action");
    focusButton(button);
    if (action === "plain-paste" || action === "link") {
      actions[action]();
      return;
    }
    // The button's work is done on the text it was pressed for, and focus returns there, so a
    // keyboard user goes on writing (Shift+Tab comes back to the same button).
    quill.setSelection(lastRange, "silent");
    actions[action](quill.getFormat(lastRange));
    quill.focus();
    refresh();
  });

  // --- the link dialog: URL, text, title, open in new window --------------------------
  var linkForm = dialog.querySelector("form");
  var fields = {
    href: dialog.querySelector('[name="link-href"]'),
    text: dialog.querySelector('[name="link-text"]'),
    title: dialog.querySelector('[name="link-title"]'),
    newWindow: dialog.querySelector('[name="link-new-window"]'),
  };
  var hrefError = dialog.querySelector("[data-link-error]");
  var removeButton = dialog.querySelector('[data-action="unlink"]');
  var linkRange = null;

  function openLinkDialog() {
    var range = lastRange;
    var format = quill.getFormat(range).link;
    if (format && range.length === 0) {
      // On an existing link: edit the whole link.
      var [leaf] = quill.getLeaf(range.index);
      var blot = leaf && leaf.parent;
      if (blot && blot.statics && blot.statics.blotName === "link") {
        range = { index: quill.getIndex(blot), length: blot.length() };
      }
    }
    linkRange = range;
    fields.href.value = format ? format.href : "https://";
    fields.text.value = quill.getText(range.index, range.length);
    fields.title.value = format ? format.title : "";
    fields.newWindow.checked = format ? !!format.newWindow : false;
    hrefError.hidden = true;
    fields.href.removeAttribute("aria-invalid");
    removeButton.hidden = !format;
    dialog.showModal();
    fields.href.focus();
    fields.href.select();
  }

  function closeDialog() {
    dialog.close();
    quill.setSelection(linkRange || lastRange, "user");
    quill.focus();
  }

  linkForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var href = fields.href.value.trim();
    if (!/^https?:\/\/[^\s]+\.[^\s]+/i.test(href)) {
      hrefError.hidden = false;
      fields.href.setAttribute("aria-invalid", "true");
      fields.href.focus();
      return;
    }
    var text = fields.text.value.trim() || href;
    var value = { href: href, title: fields.title.value.trim(), newWindow: fields.newWindow.checked };
    var range = linkRange || { index: quill.getLength() - 1, length: 0 };
    // A link is one step to undo, whatever was typed just before it.
    quill.history.cutoff();
    quill.updateContents(
      new (Quill.import("delta"))().retain(range.index).delete(range.length).insert(text, { link: value }),
      "user"
    );
    quill.history.cutoff();
    linkRange = { index: range.index + text.length, length: 0 };
    closeDialog();
  });
  removeButton.addEventListener("click", function () {
    if (linkRange) quill.formatText(linkRange.index, linkRange.length, "link", false, "user");
    closeDialog();
  });
  dialog.querySelector('[data-action="cancel"]').addEventListener("click", closeDialog);
  dialog.addEventListener("cancel", function (event) { event.preventDefault(); closeDialog(); });
})();
