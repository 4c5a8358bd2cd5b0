/* Video meetings (VISIT-8): WebRTC between the two browsers, signalling over the page's WebSocket.
 *
 * The practitioner makes the offer and the resident answers: when the practitioner
 * connects, and again whenever the resident says it is ready (joined or restarted).
 * Each offer carries a fresh negotiation number; messages of an older one are
 * ignored, so a restart never mixes two connections. Nothing is recorded.
 *
 * While the page is in the meeting it says "alive" every data-alive-seconds: the
 * server restarts the login session's idle clock and answers "alive", and the
 * layout's idle-logout warning (vardnav.js) is told to start its clock again, so
 * nobody is logged out in the middle of a call.
 */
(function () {
  "use strict";

  var root = document.getElementById("video-meeting");
  if (!root) { return; }
  var texts = root.dataset;
  var role = root.dataset.role;
  var status = document.getElementById("meeting-status");
  var joinButton = document.getElementById("meeting-join");
  var restartButton = document.getElementById("meeting-restart");
  var leaveButton = document.getElementById("meeting-leave");
  var localVideo = document.getElementById("local-video");
  var remoteVideo = document.getElementById("remote-video");
  var iceServers = JSON.parse(document.getElementById("ice-servers").textContent);

  var socket = null;
  var peer = null;
  var localStream = null;
  var negotiation = 0;
  var pending = [];
  var opened = false;
  var aliveTimer = null;
  var aliveMs = Math.max(parseInt(root.dataset.aliveSeconds, 10) || 60, 5) * 1000;

  function say(text) { status.textContent = text; }

  function showJoined(joined) {
    joinButton.hidden = joined;
    restartButton.hidden = !joined;
    leaveButton.hidden = !joined;
  }

  // Edge is built on Chromium but not among the browsers the service supports (VISIT-8).
  if (/\bEdg(e|A|iOS)?\//.test(navigator.userAgent)) {
    say(texts.textEdge);
    joinButton.hidden = true;
    return;
  }
  if (!window.RTCPeerConnection || !window.WebSocket || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    say(texts.textUnsupported);
    joinButton.hidden = true;
    return;
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(message)); }
  }

  function closePeer() {
    if (peer) { peer.close(); }
    peer = null;
    pending = [];
    remoteVideo.srcObject = null;
  }

  function newPeer() {
    closePeer();
    var connection = new RTCPeerConnection({ iceServers: iceServers });
    localStream.getTracks().forEach(function (track) { connection.addTrack(track, localStream); });
    connection.ontrack = function (event) {
      if (connection !== peer) { return; }
      if (remoteVideo.srcObject !== event.streams[0]) {
        remoteVideo.srcObject = event.streams[0];
        var playing = remoteVideo.play();
        if (playing && playing.catch) { playing.catch(function () {}); }
      }
    };
    var number = negotiation;
    connection.onicecandidate = function (event) {
      if (event.candidate && connection === peer) {
        send({ type: "candidate", negotiation: number, candidate: event.candidate.toJSON() });
      }
    };
    connection.onconnectionstatechange = function () {
      if (connection !== peer) { return; }
      if (connection.connectionState === "connected") { say(texts.textConnected); }
      if (connection.connectionState === "failed") { say(texts.textFailed); }
    };
    peer = connection;
    return connection;
  }

  function flush(connection) {
    var waiting = pending;
    pending = [];
    waiting.forEach(function (candidate) { connection.addIceCandidate(candidate).catch(function () {}); });
  }

  function offer() {
    negotiation = Math.floor(Math.random() * 1000000000);
    var connection = newPeer();
    var number = negotiation;
    connection.createOffer()
      .then(function (description) { return connection.setLocalDescription(description); })
      .then(function () {
        if (connection === peer) { send({ type: "offer", negotiation: number, sdp: connection.localDescription.sdp }); }
      })
      .catch(function () { say(texts.textFailed); });
  }

  function answer(message) {
    negotiation = message.negotiation;
    var connection = newPeer();
    connection.setRemoteDescription({ type: "offer", sdp: message.sdp })
      .then(function () { flush(connection); return connection.createAnswer(); })
      .then(function (description) { return connection.setLocalDescription(description); })
      .then(function () {
        if (connection === peer) { send({ type: "answer", negotiation: message.negotiation, sdp: connection.localDescription.sdp }); }
      })
      .catch(function () { say(texts.textFailed); });
  }

  function accepted(message) {
    if (!peer || message.negotiation !== negotiation) { return; }
    var connection = peer;
    connection.setRemoteDescription({ type: "answer", sdp: message.sdp })
      .then(function () { flush(connection); })
      .catch(function () { say(texts.textFailed); });
  }

  function candidate(message) {
    if (!peer || message.negotiation !== negotiation) { return; }
    if (!peer.remoteDescription) { pending.push(message.candidate); return; }
    peer.addIceCandidate(message.candidate).catch(function () {});
  }

  function onMessage(event) {
    var message = JSON.parse(event.data);
    if (message.type === "ready" && role === "practitioner") { offer(); }
    else if (message.type === "offer" && role === "resident") { answer(message); }
    else if (message.type === "answer" && role === "practitioner") { accepted(message); }
    else if (message.type === "candidate") { candidate(message); }
    else if (message.type === "bye") { closePeer(); say(texts.textLeft); }
    else if (message.type === "ended") { leave(texts.textEnded); }
    else if (message.type === "replaced") { leave(texts.textReplaced); }
    else if (message.type === "alive") { document.dispatchEvent(new CustomEvent("vardnav:session-alive")); }
  }

  function keepAlive() {
    window.clearInterval(aliveTimer);
    send({ type: "alive" });
    aliveTimer = window.setInterval(function () { send({ type: "alive" }); }, aliveMs);
  }

  function connect() {
    opened = false;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + root.dataset.socket);
    var current = socket;
    socket.onopen = function () {
      opened = true;
      say(texts.textWaiting);
      send({ type: "ready" });
      keepAlive();
      if (role === "practitioner") { offer(); }
    };
    socket.onmessage = onMessage;
    socket.onclose = function (event) {
      if (current !== socket) { return; }
      if (event.code === 4000) { leave(texts.textEnded); }
      else if (event.code === 4001) { leave(texts.textReplaced); }
      else { leave(opened ? texts.textFailed : texts.textRefused); }
    };
  }

  function join() {
    say(texts.textConnecting);
    joinButton.disabled = true;
    navigator.mediaDevices.getUserMedia({ video: true, audio: true })
      .then(function (stream) {
        localStream = stream;
        localVideo.srcObject = stream;
        showJoined(true);
        connect();
      })
      .catch(function () { say(texts.textCamera); })
      .then(function () { joinButton.disabled = false; });
  }

  function leave(text) {
    window.clearInterval(aliveTimer);
    var closing = socket;
    socket = null;
    if (closing) {
      if (closing.readyState === WebSocket.OPEN) { closing.send(JSON.stringify({ type: "bye" })); }
      closing.close();
    }
    closePeer();
    if (localStream) { localStream.getTracks().forEach(function (track) { track.stop(); }); }
    localStream = null;
    localVideo.srcObject = null;
    showJoined(false);
    say(text || texts.textIdle);
  }

  joinButton.addEventListener("click", join);
  leaveButton.addEventListener("click", function () { leave(texts.textIdle); });
  restartButton.addEventListener("click", function () { leave(texts.textConnecting); join(); });
  window.addEventListener("pagehide", function () { leave(); });
})();
