// Type-ahead for medicine names (RX-3): fills the input's <datalist> with products
// from the drug register as the resident types. Without JavaScript the field is a
// plain text input and the server checks the name and suggests products.
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[data-product-search]");
  inputs.forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (query.length < 2 || query === last) return;
      last = query;
      clearTimeout(timer);
      timer = setTimeout(function () {
        var url = input.getAttribute("data-product-search") + "?q=" + encodeURIComponent(query);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.textContent = "";
            data.results.forEach(function (product) {
              var option = document.createElement("option");
              option.value = product.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* the server still checks the name on submit */ });
      }, 200);
    });
  });
})();
