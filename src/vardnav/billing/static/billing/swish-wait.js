// While a Swish payment waits, ask the page every 3 seconds how it stands (the page asks Swish) and
// show the answer once it is final. Only then does the page change, so nothing interrupts a screen
// reader while the payer approves in their Swish app. Without JavaScript the Uppdatera link does it.
(function () {
  "use strict";
  var box = document.querySelector("[data-swish-status-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-swish-status-url");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer && answer.final) {
          window.location.assign(answer.next);
        } else {
          window.setTimeout(poll, 3000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 3000);
})();
