// Lesson page: count the lesson as done when the learner reaches its end
// after spending a little while on it (the button does the same at once).
(function () {
  var MIN_SECONDS = 20;
  var opened = Date.now();
  function setup() {
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
