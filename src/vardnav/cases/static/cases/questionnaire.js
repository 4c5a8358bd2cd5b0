// Shows a conditional question only when the earlier answer it depends on matches
// (questionnaire item enableWhen). Without JavaScript every question is shown and the
// server ignores answers to questions whose conditions don't hold.
(function () {
  "use strict";
  // The questionnaire's own form: not simply the page's first <form>, which on a
  // logged-in page is the header's logout (or language) form.
  var first = document.querySelector("[data-conditional]");
  var form = first && first.closest("form");
  if (!form) return;

  function valuesOf(linkId) {
    var inputs = form.querySelectorAll('[name="' + linkId + '"], [name$="-' + linkId + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.value !== "") values.push(input.value);
    });
    return values;
  }

  function normalise(value) {
    if (value === true) return ["ja", "true"];
    if (value === false) return ["nej", "false"];
    return [String(value)];
  }

  function holds(condition) {
    var values = valuesOf(condition.question);
    if (condition.operator === "exists") return (values.length > 0) === Boolean(condition.answer);
    var hit = normalise(condition.answer).some(function (wanted) { return values.indexOf(wanted) !== -1; });
    return condition.operator === "=" ? hit : !hit;
  }

  function update() {
    form.querySelectorAll("[data-conditional]").forEach(function (wrapper) {
      var control = wrapper.querySelector("[data-enable-when]");
      if (!control) return;
      var conditions = JSON.parse(control.getAttribute("data-enable-when"));
      wrapper.hidden = !conditions.every(holds);
    });
  }

  form.addEventListener("change", update);
  update();
})();
