// Quiz builder: drag a slot to a new place; the new order is posted through the
// hidden #reorder-form (htmx swaps #slots). The Up/Down buttons do the same
// without a mouse or without JavaScript.
(function () {
  "use strict";
  let dragged = null;

  function items(list) {
    return Array.from(list.querySelectorAll("li.slot[data-item]"));
  }

  document.addEventListener("dragstart", function (event) {
    const li = event.target.closest && event.target.closest("#slot-list li.slot[draggable]");
    if (!li) return;
    dragged = li;
    li.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", li.dataset.item);
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) return;
    const over = event.target.closest && event.target.closest("#slot-list li.slot");
    if (!over || over === dragged) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });

  document.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });

  document.addEventListener("dragend", function () {
    if (!dragged) return;
    const list = dragged.closest("#slot-list");
    dragged.classList.remove("dragging");
    dragged = null;
    const form = document.getElementById("reorder-form");
    if (!list || !form) return;
    form.elements.order.value = items(list).map(function (li) { return li.dataset.item; }).join(" ");
    if (window.htmx) {
      window.htmx.trigger(form, "submit");
    } else {
      form.submit();
    }
  });
})();
