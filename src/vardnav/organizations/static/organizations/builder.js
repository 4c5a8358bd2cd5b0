// The questionnaire builder, enhanced: every step works without JavaScript (server-rendered forms).
// - On the question form, the answer options are shown only for "choice" questions.
// - After moving a question, focus returns to the same question's move button, so a keyboard
//   or screen-reader user keeps their place (the page address ends with #fraga-<id>).
(function () {
  "use strict";
  var type = document.getElementById("item-type");
  if (type) {
    var choiceOnly = ["item-options", "item-repeats"].map(function (id) {
      var input = document.getElementById(id);
      return input && input.closest("div");
    });
    var update = function () {
      choiceOnly.forEach(function (wrapper) {
        if (wrapper) wrapper.hidden = type.value !== "choice";
      });
    };
    type.addEventListener("change", update);
    update();
  }
  if (location.hash.indexOf("#fraga-") === 0) {
    // After the browser's own move to the #fragment (which would put focus on the page), as vardnav.js does.
    window.addEventListener("load", function () {
      window.setTimeout(function () {
        var item = document.getElementById(location.hash.slice(1));
        var button = item && (item.querySelector("[data-move]") || item.querySelector("a, button"));
        if (button) button.focus();
      }, 0);
    });
  }
})();
