// Quiz builder: drag a slot by its handle (mouse, pen or finger: pointer events,
// which phones deliver where HTML5 drag and drop does not) to a new place; the
// new order is posted through the hidden #reorder-form and htmx swaps #slots.
// The Up/Down buttons do the same by keyboard, or without JavaScript.
(function () {
  "use strict";
  let dragged = null;
  let moved = false;

  function slots(list) {
    return Array.from(list.querySelectorAll("li.slot[data-item]"));
  }

  document.addEventListener("pointerdown", function (event) {
    const handle = event.target.closest && event.target.closest("#slot-list .drag-handle");
    if (!handle || event.button > 0) return;
    event.preventDefault();
    dragged = handle.closest("li.slot");
    moved = false;
    dragged.classList.add("dragging");
    handle.setPointerCapture(event.pointerId);
  });

  document.addEventListener("pointermove", function (event) {
    if (!dragged) return;
    const list = dragged.parentNode;
    for (const other of slots(list)) {
      if (other === dragged) continue;
      const box = other.getBoundingClientRect();
      if (event.clientY < box.top || event.clientY > box.bottom) continue;
      const after = event.clientY > box.top + box.height / 2;
      const before = after ? other.nextSibling : other;
      if (before !== dragged && dragged.nextSibling !== before) {
        list.insertBefore(dragged, before);
        moved = true;
      }
      break;
    }
  });

  function finish() {
    if (!dragged) return;
    const list = dragged.parentNode;
    dragged.classList.remove("dragging");
    dragged = null;
    const form = document.getElementById("reorder-form");
    if (!moved || !form) return;
    form.elements.order.value = slots(list).map(function (li) { return li.dataset.item; }).join(" ");
    if (window.htmx) {
      window.htmx.trigger(form, "submit");
    } else {
      form.submit();
    }
  }

  document.addEventListener("pointerup", finish);
  document.addEventListener("pointercancel", finish);
})();
