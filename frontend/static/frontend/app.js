// Site-wide behaviour. No inline script anywhere (Content-Security-Policy).
document.addEventListener("htmx:responseError", function (event) {
  var target = document.getElementById("htmx-error");
  if (target) {
    target.textContent = target.dataset.message;
    target.hidden = false;
  }
});
