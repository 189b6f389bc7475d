// The projector screen's countdown and full-screen button, the profile's print button.
(function () {
  "use strict";
  var deadline = 0;
  function arm() {
    var el = document.querySelector("[data-countdown]");
    if (el) deadline = Date.now() + Number(el.getAttribute("data-countdown")) * 1000;
  }
  function tick() {
    var el = document.querySelector("[data-countdown]");
    if (!el || !deadline) return;
    el.textContent = String(Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
  }
  document.addEventListener("DOMContentLoaded", function () {
    arm();
    setInterval(tick, 1000);
    document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-fullscreen"));
      if (!target || !target.requestFullscreen) { button.hidden = true; return; }
      button.addEventListener("click", function () { target.requestFullscreen(); });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
  document.addEventListener("htmx:afterSettle", arm);
})();
