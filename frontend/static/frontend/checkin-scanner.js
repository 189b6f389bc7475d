// The trainer's scanner: learners' personal QR codes through the camera
// (getUserMedia + the vendored jsQR) or typed by hand. Every scan goes into a
// queue in localStorage first and is sent from there, so nothing is lost
// when the hall's network drops; the queue is drained one scan at a time by
// one tab (Web Locks), and a scan leaves the queue only once the server has
// answered it. A reply lost on the way back means one resend, which the
// server answers "already checked in" (one record per learner per session).
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root) return;
  var api = root.getAttribute("data-api");
  var csrf = root.getAttribute("data-csrf");
  var key = "checkin-queue-" + root.getAttribute("data-session");
  var log = document.getElementById("scanner-log");
  var net = document.getElementById("scanner-net");
  var pendingBadge = document.getElementById("scanner-pending");
  var recent = {};
  var syncing = false;

  function msg(name) { return root.getAttribute("data-msg-" + name) || ""; }
  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(key, JSON.stringify(queue)); }

  function show(id, text, kind) {
    var li = log.querySelector('[data-id="' + id + '"]');
    if (!li) {
      li = document.createElement("li");
      li.setAttribute("data-id", id);
      log.insertBefore(li, log.firstChild);
    }
    li.className = kind;
    li.textContent = text;
  }
  function updatePending() {
    var count = load().length;
    pendingBadge.hidden = count === 0;
    pendingBadge.textContent = msg("pending") + " " + count;
  }
  function setOnline(online) {
    net.textContent = online ? msg("online") : msg("offline");
    net.className = "scanner-net" + (online ? "" : " offline");
  }

  function enqueue(raw) {
    var code = String(raw || "").trim();
    if (!code) return;
    var now = Date.now();
    // The camera sees the same card for many frames: one scan per code per 10 s.
    if (recent[code] && now - recent[code] < 10000) return;
    recent[code] = now;
    var queue = load();
    if (queue.some(function (item) { return item.code === code; })) {
      show("repeat-" + now, code + " — " + msg("repeat"), "wait");
      return;
    }
    var item = {
      id: now.toString(36) + "-" + Math.random().toString(36).slice(2, 8),
      code: code,
      at: new Date(now).toISOString(),
    };
    queue.push(item);
    save(queue);
    show(item.id, code + " — " + msg("queued"), "wait");
    updatePending();
    sync();
  }

  function forget(id) {
    save(load().filter(function (item) { return item.id !== id; }));
  }

  function send(item) {
    show(item.id, item.code + " — " + msg("sending"), "wait");
    return fetch(api, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrf,
      },
      body: JSON.stringify({ code: item.code, scanned_at: item.at }),
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        var answered = body && (body.recorded !== undefined || typeof body.code === "string");
        var final = response.status < 500 && response.status !== 401 && response.status !== 429 &&
          (answered || response.status === 400 || response.status === 404);
        if (!final) {
          show(item.id, item.code + " — " + msg("failed"), "wait");
          return false;
        }
        forget(item.id);
        var text = body && body.detail ? body.detail : String(response.status);
        show(item.id, item.code + " — " + text, response.ok ? "ok" : "bad");
        return true;
      });
    });
  }

  function drain() {
    var queue = load();
    if (!queue.length) return Promise.resolve();
    return send(queue[0]).then(function (done) {
      setOnline(true);
      if (done) return drain();
    }, function () {
      setOnline(false);  // no reply at all: keep the scan, try again when online
    });
  }

  function sync() {
    if (syncing || !load().length) return;
    syncing = true;
    var finish = function () { syncing = false; updatePending(); };
    if (navigator.locks && navigator.locks.request) {
      navigator.locks.request(key, { ifAvailable: true }, function (lock) {
        return lock ? drain() : null;
      }).then(finish, finish);
    } else {
      drain().then(finish, finish);
    }
  }

  // ---------------------------------------------------------------- camera
  var video = document.getElementById("scanner-video");
  var canvas = document.getElementById("scanner-canvas");
  var startButton = document.getElementById("scanner-start");
  var stopButton = document.getElementById("scanner-stop");
  var stream = null;
  var lastFrame = 0;

  function frame(time) {
    if (!stream) return;
    if (time - lastFrame > 200 && video.readyState >= 2 && window.jsQR) {
      lastFrame = time;
      var scale = Math.min(1, 640 / (video.videoWidth || 640));
      var w = Math.round(video.videoWidth * scale);
      var h = Math.round(video.videoHeight * scale);
      if (w && h) {
        canvas.width = w;
        canvas.height = h;
        var ctx = canvas.getContext("2d", { willReadFrequently: true });
        ctx.drawImage(video, 0, 0, w, h);
        var found = window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h, {
          inversionAttempts: "dontInvert",
        });
        if (found && found.data) {
          if (navigator.vibrate) navigator.vibrate(80);
          enqueue(found.data);
        }
      }
    }
    window.requestAnimationFrame(frame);
  }
  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  }
  startButton.addEventListener("click", function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      show("camera", msg("no-camera"), "bad");
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        startButton.hidden = true;
        stopButton.hidden = false;
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(frame); })
      .catch(function () { stopCamera(); show("camera", msg("no-camera"), "bad"); });
  });
  stopButton.addEventListener("click", stopCamera);

  // ---------------------------------------------------------------- typed codes
  var form = document.getElementById("scanner-manual");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("scanner-code");
    recent[input.value.trim()] = 0;  // typed on purpose: no repeat filter
    enqueue(input.value);
    input.value = "";
    input.focus();
  });

  window.addEventListener("online", function () { setOnline(true); sync(); });
  window.addEventListener("offline", function () { setOnline(false); });
  setOnline(navigator.onLine);
  load().forEach(function (item) { show(item.id, item.code + " — " + msg("queued"), "wait"); });
  updatePending();
  sync();
  setInterval(sync, 15000);
})();
