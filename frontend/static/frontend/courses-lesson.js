// Lesson page: count the lesson as done when the learner reaches its end
// after spending a little while on it (the button does the same at once).
(function () {
  var MIN_SECONDS = 20;
  var opened = Date.now();
  function fitMedia() {
    // The site's CSP forbids style attributes in HTML; sizing through the CSSOM is allowed.
    document.querySelectorAll(".lesson-video").forEach(function (frame) {
      frame.style.width = "100%";
      frame.style.height = "auto";
      frame.style.aspectRatio = "16 / 9";
    });
    document.querySelectorAll(".lesson-body img").forEach(function (img) {
      img.style.maxWidth = "100%";
      img.style.height = "auto";
    });
  }
  function setup() {
    fitMedia();
    var end = document.getElementById("lesson-end");
    if (!end || !("IntersectionObserver" in window)) return;
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        var wait = MIN_SECONDS * 1000 - (Date.now() - opened);
        window.setTimeout(function () {
          var form = document.getElementById("lesson-done-form");
          if (form && form.dataset.autoComplete === "1" && form.requestSubmit) {
            form.dataset.autoComplete = "0";
            form.requestSubmit();
          }
        }, Math.max(wait, 0));
        observer.disconnect();
      });
    });
    observer.observe(end);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
