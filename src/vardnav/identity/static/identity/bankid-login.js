// BankID login: refresh the animated QR code every second and ask the server
// for the order's status every two seconds. The QR secret stays on the server;
// this script only fetches finished images. Without JavaScript the page still
// works: the "Jag har legitimerat mig" button posts the same status request.
(function () {
  "use strict";
  var order = document.getElementById("bankid-order");
  if (!order) { return; }
  var statusUrl = order.getAttribute("data-status-url");
  var qrUrl = order.getAttribute("data-qr-url");
  var qrBox = document.getElementById("bankid-qr");
  var messageBox = document.getElementById("bankid-message");
  var form = document.getElementById("bankid-status-form");
  var flowInput = document.getElementById("bankid-flow");
  var autostart = document.getElementById("bankid-autostart");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var SVG_NS = "http://www.w3.org/2000/svg";
  var stopped = false;
  var lastMessage = "";

  function showMessage(text) {
    if (!text || text === lastMessage) { return; }
    lastMessage = text;
    messageBox.textContent = "";
    var p = document.createElement("p");
    p.textContent = text;
    messageBox.appendChild(p);
  }

  function stop() {
    stopped = true;
    qrBox.hidden = true;
  }

  function refreshQr() {
    if (stopped) { return; }
    fetch(qrUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("qr " + response.status); }
        return response.text();
      })
      .then(function (svg) {
        if (stopped) { return; }
        // The server's own SVG (generated from a string it computed); parsed, not injected as HTML.
        var doc = new DOMParser().parseFromString(svg, "image/svg+xml");
        var node = doc.documentElement;
        // Only a real SVG element replaces the code on screen: anything else (an error
        // page, an element outside the SVG namespace) would show as text, not a QR code.
        if (node && node.namespaceURI === SVG_NS && node.localName === "svg") {
          qrBox.replaceChildren(document.importNode(node, true));
        }
      })
      .catch(function () { /* the next tick tries again; polling reports real failures */ });
  }

  function poll() {
    if (stopped) { return; }
    var body = new URLSearchParams();
    body.set("flow", flowInput.value);
    fetch(statusUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf },
      body: body
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        showMessage(data.message);
        if (data.status === "complete" && data.redirect) {
          stop();
          window.location.assign(data.redirect);
        } else if (data.status === "pending") {
          window.setTimeout(poll, 2000);
        } else {
          // The order is over (cancelled in the app, timed out, failed): its buttons
          // would do nothing now, so they go, and one way forward takes their place.
          stop();
          order.hidden = true;
          var again = document.createElement("p");
          var link = document.createElement("a");
          link.href = window.location.pathname;
          link.className = "button";
          link.id = "bankid-try-again";
          link.textContent = order.getAttribute("data-try-again") || "Försök igen";
          again.appendChild(link);
          messageBox.appendChild(again);
          link.focus();
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  if (autostart) {
    autostart.addEventListener("click", function () { flowInput.value = "same_device"; });
  }
  window.setInterval(refreshQr, 1000);
  window.setTimeout(poll, 2000);
}());
