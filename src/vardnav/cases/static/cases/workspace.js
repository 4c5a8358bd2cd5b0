/*
 * The staff case page's action panel as tabs (Svara · Motfråga · Fördela · Avsluta · Anteckning).
 *
 * Without scripts every panel is a section with its heading, one under the other.
 * With them, a tab list (WAI-ARIA Authoring Practices "Tabs", automatic activation)
 * shows one panel at a time: Tab reaches the selected tab, Left/Right arrows move
 * between tabs, Home/End go to the first/last. The panel shown first is the one
 * with an error to fix, else the one the address's #fragment names (a form's
 * redirect to #anteckning), else the first.
 */
(function () {
  "use strict";

  function setUp(container) {
    var panels = Array.prototype.slice.call(container.querySelectorAll(":scope > [data-tab-label]"));
    if (panels.length < 2) {
      return;
    }
    var list = document.createElement("div");
    list.setAttribute("role", "tablist");
    list.className = "action-panel__tabs";
    var label = container.getAttribute("data-tabs-label");
    if (label) {
      list.setAttribute("aria-label", label);
    }
    var tabs = panels.map(function (panel) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = "tab-" + panel.id;
      tab.className = "action-panel__tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.textContent = panel.getAttribute("data-tab-label");
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      list.appendChild(tab);
      return tab;
    });
    container.insertBefore(list, container.firstChild);

    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var selected = i === index;
        tab.setAttribute("aria-selected", selected ? "true" : "false");
        tab.tabIndex = selected ? 0 : -1;
        panels[i].hidden = !selected;
      });
      if (focus) {
        tabs[index].focus();
      }
    }

    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () {
        select(index, false);
      });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") {
          next = (index + 1) % tabs.length;
        } else if (event.key === "ArrowLeft") {
          next = (index - 1 + tabs.length) % tabs.length;
        } else if (event.key === "Home") {
          next = 0;
        } else if (event.key === "End") {
          next = tabs.length - 1;
        }
        if (next !== null) {
          event.preventDefault();
          select(next, true);
        }
      });
    });

    var first = panels.findIndex(function (panel) {
      return panel.querySelector("[data-error-summary]") !== null;
    });
    if (first < 0 && window.location.hash) {
      var target = document.getElementById(window.location.hash.slice(1));
      first = panels.findIndex(function (panel) {
        return panel === target || (target !== null && panel.contains(target));
      });
    }
    select(first < 0 ? 0 : first, false);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), setUp);
})();
