// Taking a quiz: every answer is saved as it is given, nothing is lost offline.
//
// Each change gets a higher sequence number and is kept in localStorage; the
// server ignores a save older than what it holds, so resending after a lost
// connection is always safe. All pages of the attempt are in the document, so
// turning pages works offline too. Submitting asks for confirmation first.
// The timer counts down from the server's remaining seconds and submits at 0.
(function () {
  "use strict";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  // ---------------------------------------------------------------- countdown to opening
  // The page asks the server nothing while it waits: it counts down on the
  // local clock from the server's figure and reloads once, at the open time
  // plus a random delay within the spread the server gives, so a whole cohort
  // arrives over several seconds instead of in the same millisecond.
  var countdown = document.getElementById("quiz-countdown");
  if (countdown) {
    var wait = parseInt(countdown.dataset.seconds, 10) || 0;
    var spread = parseFloat(countdown.dataset.spread) || 0;
    var opensAt = Date.now() + wait * 1000;
    var enterAt = opensAt + 1000 + Math.random() * spread * 1000;
    var shown = document.getElementById("open-countdown");
    var two = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    var show = function () {
      var left = Math.max(0, Math.ceil((opensAt - Date.now()) / 1000));
      var d = Math.floor(left / 86400);
      var h = Math.floor((left % 86400) / 3600);
      shown.textContent =
        (d ? d + " · " : "") + two(h) + ":" + two(Math.floor((left % 3600) / 60)) + ":" + two(left % 60);
    };
    if (shown) {
      show();
      window.setInterval(show, 1000);
    }
    // Re-armed at most a minute at a time: a single long setTimeout overflows
    // past 24.8 days (and fires at once), and a sleeping phone's timers drift.
    var enter = function () {
      var ms = enterAt - Date.now();
      if (ms <= 0) {
        window.location.reload();
      } else {
        window.setTimeout(enter, Math.min(ms, 60000));
      }
    };
    enter();
  }

  var root = document.getElementById("quiz-attempt");
  if (!root) {
    return;
  }
  var attemptId = root.dataset.attempt;
  var saveUrl = root.dataset.saveUrl;
  var storeKey = "quiz-draft-" + attemptId;
  // The device's copy of every answer and flag given here, kept in localStorage.
  // `sent` turns true once the server has confirmed that exact seq, but the copy
  // stays: a page the server rendered a moment before that save committed would
  // otherwise show the question blank (issue 21.1). A copy is dropped only when
  // a page shows the server holding that seq or a newer one.
  var copies = {}; // slot id -> {response, seq, sent}
  var flags = {}; // slot id -> {flagged, url, sent}
  var retryDelay = {}; // slot id -> ms
  var timers = {}; // slot id -> debounce/retry timer
  var closed = false; // the server accepts nothing more
  var leaving = false; // a submit is on its way: no warning on unload
  var sequential = root.hasAttribute("data-sequential");
  var serverPage = parseInt(root.dataset.page, 10) || 0; // sequential: the page the server has reached
  var wantPage = serverPage; // sequential: the furthest page turned to here

  function load() {
    var data;
    try {
      data = JSON.parse(window.localStorage.getItem(storeKey) || "{}") || {};
    } catch (e) {
      data = {};
    }
    if (data.v !== 2) {
      data = { answers: data }; // drafts of the previous version: none confirmed
    }
    [data.answers, data.flags].forEach(function (kept) {
      Object.keys(kept || {}).forEach(function (slot) {
        if (!/^\d+$/.test(slot) || typeof kept[slot] !== "object" || !kept[slot]) {
          delete kept[slot]; // not written by this page
        }
      });
    });
    return data;
  }

  function store() {
    try {
      if (Object.keys(copies).length || Object.keys(flags).length || wantPage > serverPage) {
        window.localStorage.setItem(
          storeKey,
          JSON.stringify({ v: 2, answers: copies, flags: flags, page: wantPage })
        );
      } else {
        window.localStorage.removeItem(storeKey);
      }
    } catch (e) {
      // Private mode or full storage: saving still works, only the offline copy is lost.
    }
  }

  // Anything the server has not confirmed yet.
  function unsent() {
    var slot;
    for (slot in copies) {
      if (!copies[slot].sent) {
        return true;
      }
    }
    for (slot in flags) {
      if (!flags[slot].sent) {
        return true;
      }
    }
    return sequential && wantPage > serverPage;
  }

  function fieldsetFor(slot) {
    return document.getElementById("question-" + slot);
  }

  // What stands for the slot on this page: its question, or its row on the summary.
  function holderFor(slot) {
    return fieldsetFor(slot) || document.querySelector("#summary tr[data-slot='" + slot + "']");
  }

  function setStatus(slot, key) {
    var fs = fieldsetFor(slot);
    var status = fs && fs.querySelector(".save-status");
    if (status) {
      status.textContent = key ? status.dataset[key] : "";
    }
  }

  // Navigator marks: a visible glyph plus words for screen readers.
  function renderNav(slot) {
    var nav = document.getElementById("nav-" + slot);
    var labels = document.getElementById("navigator");
    var state = nav && nav.querySelector(".nav-state");
    if (!state || !labels) {
      return;
    }
    state.textContent = "";
    [["answered", " ✓"], ["flagged", " ⚑"]].forEach(function (mark) {
      if (nav.classList.contains(mark[0])) {
        state.appendChild(document.createTextNode(mark[1]));
        var words = document.createElement("span");
        words.className = "visually-hidden";
        words.textContent = labels.dataset[mark[0]];
        state.appendChild(words);
      }
    });
  }

  // The summary's status cell, written as the server writes it.
  function renderRow(row) {
    var table = document.getElementById("summary");
    var cell = row.querySelector(".slot-status");
    var answered = row.hasAttribute("data-answered");
    cell.textContent = "";
    if (answered) {
      cell.appendChild(document.createTextNode(table.dataset.answered));
    } else {
      var strong = document.createElement("strong");
      strong.textContent = table.dataset.unanswered;
      cell.appendChild(strong);
    }
    if (row.hasAttribute("data-flagged")) {
      cell.appendChild(document.createTextNode(" · " + table.dataset.flagged));
    }
  }

  function markAnswered(slot, answered) {
    var nav = document.getElementById("nav-" + slot);
    if (nav) {
      nav.classList.toggle("answered", answered);
      renderNav(slot);
    }
  }

  function markFlagged(slot, flagged) {
    var nav = document.getElementById("nav-" + slot);
    if (nav) {
      nav.classList.toggle("flagged", flagged);
      renderNav(slot);
    }
    var fs = fieldsetFor(slot);
    var box = fs && fs.querySelector("input.flag");
    if (box) {
      box.checked = flagged;
    }
    var row = holderFor(slot);
    if (row && row.tagName === "TR") {
      row.toggleAttribute("data-flagged", flagged);
      renderRow(row);
    }
  }

  function banner(key) {
    var connection = document.getElementById("connection");
    if (connection) {
      connection.textContent = connection.dataset[key];
      connection.hidden = false;
    }
    return connection;
  }

  // ---------------------------------------------------------------- reading and restoring answers
  function readResponse(fs) {
    var type = fs.dataset.type;
    var inputs = fs.querySelectorAll("input[name^='slot-'], textarea[name^='slot-']");
    var values = [];
    var i;
    if (type === "single" || type === "truefalse" || type === "multiple") {
      for (i = 0; i < inputs.length; i++) {
        if (inputs[i].checked) {
          values.push(inputs[i].value);
        }
      }
      if (type === "multiple") {
        return values.length ? { choices: values } : null;
      }
      if (!values.length) {
        return null;
      }
      return type === "single" ? { choice: values[0] } : { value: values[0] === "true" };
    }
    if (type === "short" || type === "essay") {
      var text = inputs[0].value;
      return text.trim() ? { text: text } : null;
    }
    if (type === "numeric") {
      var raw = inputs[0].value.trim().replace(",", ".");
      if (!raw) {
        return null;
      }
      var number = Number(raw);
      if (!isFinite(number)) {
        return undefined; // invalid: do not send
      }
      return { value: number };
    }
    if (type === "matching") {
      var pairs = {};
      var any = false;
      fs.querySelectorAll("select[data-left]").forEach(function (sel) {
        if (sel.value) {
          pairs[sel.dataset.left] = sel.value;
          any = true;
        }
      });
      return any ? { pairs: pairs } : null;
    }
    if (type === "ordering") {
      var order = [];
      fs.querySelectorAll("li[data-item]").forEach(function (li) {
        order.push(li.dataset.item);
      });
      return { order: order };
    }
    return null;
  }

  function restoreResponse(fs, response) {
    var type = fs.dataset.type;
    if (!response) {
      return;
    }
    if (type === "single" || type === "truefalse" || type === "multiple") {
      var picked = response.choices || [];
      if (response.choice) {
        picked = [response.choice];
      }
      if (typeof response.value === "boolean") {
        picked = [String(response.value)];
      }
      fs.querySelectorAll("input[name^='slot-']").forEach(function (input) {
        input.checked = picked.indexOf(input.value) >= 0;
      });
    } else if (type === "short" || type === "essay") {
      fs.querySelector("[name^='slot-']").value = response.text || "";
    } else if (type === "numeric") {
      fs.querySelector("[name^='slot-']").value = String(response.value).replace(".", ",");
    } else if (type === "matching") {
      fs.querySelectorAll("select[data-left]").forEach(function (sel) {
        sel.value = (response.pairs || {})[sel.dataset.left] || "";
      });
    } else if (type === "ordering") {
      var list = fs.querySelector("ol.ordering");
      (response.order || []).forEach(function (id) {
        var li = list.querySelector("li[data-item='" + id + "']");
        if (li) {
          list.appendChild(li);
        }
      });
    }
  }

  // ---------------------------------------------------------------- saving
  function retry(slot, fn) {
    retryDelay[slot] = Math.min((retryDelay[slot] || 1000) * 2, 30000);
    window.clearTimeout(timers[slot]);
    timers[slot] = window.setTimeout(fn, retryDelay[slot]);
  }

  function send(slot) {
    var entry = copies[slot];
    if (!entry || entry.sent || closed) {
      return Promise.resolve();
    }
    setStatus(slot, "saving");
    return fetch(saveUrl + slot + "/", {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ response: entry.response, seq: entry.seq }),
    })
      .then(function (res) {
        var current = copies[slot];
        var same = current && current.seq === entry.seq;
        if (res.ok) {
          // The server holds this seq (or, if it answers saved: false, a newer one).
          if (same) {
            current.sent = true;
            store();
            setStatus(slot, "saved");
          }
          retryDelay[slot] = 0;
          markAnswered(slot, (current || entry).response !== null);
          var fs = fieldsetFor(slot); // absent on the summary page: copies are still sent
          if (fs && entry.seq > (parseInt(fs.dataset.seq, 10) || 0)) {
            fs.dataset.seq = String(entry.seq);
          }
          syncPage();
          return;
        }
        if (res.status === 400 || res.status === 404) {
          // Refused for good: this copy will never be stored.
          if (same) {
            delete copies[slot];
            store();
            setStatus(slot, "invalid");
          }
          retryDelay[slot] = 0;
          syncPage();
          return;
        }
        if (res.status === 409) {
          // Past the deadline, already submitted, or (sequential) a page the server
          // has moved past: this copy will never be stored. The attempt page shows
          // what comes next (the result, the page to answer, or the final seconds).
          if (same) {
            delete copies[slot];
            store();
          }
          closed = true;
          setStatus(slot, "closed");
          leaving = true;
          window.location.href = root.dataset.attemptUrl;
          return;
        }
        throw new Error("HTTP " + res.status);
      })
      .catch(function () {
        if (closed || !copies[slot] || copies[slot].sent) {
          return;
        }
        setStatus(slot, "retrying");
        retry(slot, function () {
          send(slot);
        });
      });
  }

  function sendFlag(slot) {
    var entry = flags[slot];
    if (!entry || entry.sent || closed) {
      return Promise.resolve();
    }
    return fetch(entry.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      body: new URLSearchParams({ flagged: entry.flagged ? "1" : "0" }),
    })
      .then(function (res) {
        if (!res.ok && res.status !== 404) {
          throw new Error("HTTP " + res.status);
        }
        if (flags[slot] === entry) {
          entry.sent = true;
          store();
        }
      })
      .catch(function () {
        retry("flag-" + slot, function () {
          sendFlag(slot);
        });
      });
  }

  function nextSeq(fs) {
    var slot = fs.dataset.slot;
    var known = parseInt(fs.dataset.seq, 10) || 0;
    var local = copies[slot] ? copies[slot].seq : 0;
    return Math.max(known, local) + 1;
  }

  function queue(fs, delay) {
    var slot = fs.dataset.slot;
    var response = readResponse(fs);
    if (response === undefined) {
      setStatus(slot, "invalid");
      return;
    }
    copies[slot] = { response: response, seq: nextSeq(fs), sent: false };
    store();
    markAnswered(slot, response !== null); // answered here; the status says whether it is stored
    window.clearTimeout(timers[slot]);
    timers[slot] = window.setTimeout(function () {
      send(slot);
    }, delay);
  }

  function flushAll() {
    var all = Object.keys(copies).map(function (slot) {
      window.clearTimeout(timers[slot]);
      retryDelay[slot] = 0;
      return send(slot);
    });
    Object.keys(flags).forEach(function (slot) {
      window.clearTimeout(timers["flag-" + slot]);
      all.push(sendFlag(slot));
    });
    return Promise.all(all).then(syncPage);
  }

  // Time is up: submit what the server holds (the form carries the confirmation).
  function submitNow() {
    var form = document.getElementById("autosubmit");
    if (form) {
      leaving = true;
      form.submit();
    }
  }

  document.querySelectorAll("fieldset.question").forEach(function (fs) {
    fs.addEventListener("change", function (event) {
      if (event.target.classList.contains("flag")) {
        return;
      }
      queue(fs, 300);
    });
    fs.addEventListener("input", function (event) {
      if (event.target.matches("input[type=text], textarea")) {
        queue(fs, 1200);
      }
    });
    fs.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-move]");
      if (!button) {
        return;
      }
      var li = button.closest("li");
      if (button.dataset.move === "up" && li.previousElementSibling) {
        li.parentNode.insertBefore(li, li.previousElementSibling);
      } else if (button.dataset.move === "down" && li.nextElementSibling) {
        li.parentNode.insertBefore(li.nextElementSibling, li);
      }
      button.focus();
      queue(fs, 300);
    });
    var flag = fs.querySelector("input.flag");
    if (flag) {
      flag.addEventListener("change", function () {
        var slot = fs.dataset.slot;
        flags[slot] = { flagged: flag.checked, url: flag.dataset.url, sent: false };
        store();
        markFlagged(slot, flag.checked);
        sendFlag(slot);
      });
    }
  });

  // ---------------------------------------------------------------- pages
  // Every page of the attempt is in the document; turning one shows it without
  // asking the server, so it works offline and the banner stays where it is.
  var pages = document.querySelectorAll("section.quiz-page");

  function pageOf(slot) {
    var fs = fieldsetFor(slot);
    var section = fs && fs.closest("section.quiz-page");
    return section ? parseInt(section.dataset.page, 10) : null;
  }

  // Sequential navigation: the server refuses answers on pages it has moved past,
  // so it hears of a page turn only once the pages left behind are stored.
  var syncing = false;
  function syncPage() {
    if (!sequential || syncing || closed || wantPage <= serverPage) {
      return Promise.resolve();
    }
    var waiting = Object.keys(copies).some(function (slot) {
      var page = pageOf(slot);
      return !copies[slot].sent && page !== null && page < wantPage;
    });
    if (waiting) {
      return Promise.resolve();
    }
    var target = wantPage;
    syncing = true;
    return fetch(root.dataset.pageUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      body: new URLSearchParams({ page: String(target) }),
    })
      .then(function (res) {
        syncing = false;
        if (!res.ok) {
          throw new Error("HTTP " + res.status);
        }
        serverPage = Math.max(serverPage, target);
        store();
        return syncPage();
      })
      .catch(function () {
        syncing = false;
        retry("page", syncPage);
      });
  }

  // Pages left behind under sequential navigation: their navigator entries go dead.
  function lockBefore(number) {
    document.querySelectorAll("#navigator a[data-page]").forEach(function (link) {
      if (parseInt(link.dataset.page, 10) < number) {
        var dead = document.createElement("span");
        dead.className = "button secondary";
        dead.setAttribute("aria-disabled", "true");
        dead.textContent = link.firstChild.textContent;
        link.parentNode.replaceChild(dead, link);
      }
    });
  }

  function showPage(number) {
    var section = document.getElementById("page-" + number);
    if (!section || (sequential && number < wantPage)) {
      return null;
    }
    pages.forEach(function (other) {
      other.hidden = other !== section;
    });
    document.querySelectorAll("#navigator a[data-page]").forEach(function (link) {
      if (parseInt(link.dataset.page, 10) === number) {
        link.setAttribute("aria-current", "true");
      } else {
        link.removeAttribute("aria-current");
      }
    });
    if (sequential && number > wantPage) {
      wantPage = number;
      lockBefore(number);
      store();
      syncPage();
    }
    return section;
  }

  // Bring a question (or the top of a page) into view and give it the focus.
  function reveal(target) {
    if (!target) {
      return;
    }
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  }

  function turnTo(link) {
    var number = parseInt(link.dataset.page, 10);
    var section = showPage(number);
    if (!section) {
      return false;
    }
    var url = new URL(link.href, window.location.href);
    // Sequential: the address stays the server's page, so a reload never skips
    // ahead of answers that have not reached it yet.
    if (!sequential) {
      window.history.pushState({ page: number }, "", url.search + url.hash);
    }
    var question = url.hash ? document.getElementById(url.hash.slice(1)) : null;
    reveal(question || section.querySelector("h2") || section);
    return true;
  }

  var firstPage = serverPage; // the page this document opened on
  window.addEventListener("popstate", function () {
    var number = parseInt(new URLSearchParams(window.location.search).get("page"), 10);
    if (pages.length && !sequential) {
      showPage(isNaN(number) ? firstPage : number);
    }
  });

  // ---------------------------------------------------------------- what the page shows on load
  // The newer of the server's answer (rendered with its seq) and the device's copy.
  var kept = load();
  copies = kept.answers || {};
  flags = kept.flags || {};
  Object.keys(copies).forEach(function (slot) {
    var holder = holderFor(slot);
    var copy = copies[slot];
    if (!holder) {
      return; // a page left behind: kept until a page that lists it (the summary)
    }
    if (copy.seq <= (parseInt(holder.dataset.seq, 10) || 0)) {
      delete copies[slot]; // the server holds this answer or a newer one
      return;
    }
    copy.sent = false; // newer than what the server showed: send it again
    if (holder.tagName === "TR") {
      holder.toggleAttribute("data-answered", copy.response !== null);
      renderRow(holder);
      var count = document.getElementById("unanswered-count");
      if (count) {
        count.hidden = true; // no longer the right figure; the confirmation counts afresh
      }
    } else {
      restoreResponse(holder, copy.response);
      markAnswered(slot, copy.response !== null);
    }
  });
  Object.keys(flags).forEach(function (slot) {
    var holder = holderFor(slot);
    if (!holder) {
      return;
    }
    var box = holder.querySelector("input.flag");
    var shown = box ? box.defaultChecked : holder.hasAttribute("data-flagged");
    if (shown === flags[slot].flagged) {
      delete flags[slot];
    } else {
      flags[slot].sent = false;
      markFlagged(slot, flags[slot].flagged);
    }
  });
  if (sequential && kept.page > wantPage && document.getElementById("page-" + kept.page)) {
    showPage(kept.page); // turned to offline, not yet known to the server
  }
  store();
  flushAll();

  // ---------------------------------------------------------------- connection
  function showOffline() {
    banner("offline");
  }
  if (navigator.onLine === false) {
    showOffline();
  }
  window.addEventListener("offline", showOffline);
  window.addEventListener("online", function () {
    var connection = banner("online");
    if (connection) {
      window.setTimeout(function () {
        if (connection.textContent === connection.dataset.online) {
          connection.hidden = true;
        }
      }, 4000);
    }
    flushAll();
  });

  window.addEventListener("beforeunload", function (event) {
    if (!leaving && !closed && unsent()) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to ask
    }
  });

  // Links: a page of this attempt turns in place. Leaving sends what is unsent
  // first (what still fails stays on the device and the next page sends it);
  // offline, the learner stays: the browser's error page would hide the quiz.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (link.hasAttribute("data-page") && turnTo(link)) {
      event.preventDefault();
      return;
    }
    if (link.hasAttribute("data-cancel") && link.closest("dialog")) {
      event.preventDefault();
      link.closest("dialog").close(); // cancelling keeps the attempt open, nothing is sent
      return;
    }
    if (link.getAttribute("href").charAt(0) === "#") {
      return;
    }
    if (navigator.onLine === false) {
      event.preventDefault();
      banner("stay");
      return;
    }
    if (!unsent()) {
      return;
    }
    event.preventDefault();
    var go = function () {
      if (navigator.onLine === false) {
        banner("stay");
      } else {
        leaving = true;
        window.location.href = link.href;
      }
    };
    flushAll().then(go, go);
  });

  // ---------------------------------------------------------------- submitting
  // The first step asks the server for the counts (after sending everything, so
  // they are right) and shows them in a dialog; without JavaScript the same
  // step is a page.
  var start = document.getElementById("submit-start");
  var dialog = document.getElementById("submit-dialog");
  if (start && dialog && typeof dialog.showModal === "function") {
    start.addEventListener("submit", function (event) {
      event.preventDefault();
      flushAll()
        .then(function () {
          if (unsent()) {
            throw new Error("unsent");
          }
          return fetch(start.action.split("#")[0] + "?confirm=1", {
            credentials: "same-origin",
            headers: { "HX-Request": "true" },
          });
        })
        .then(function (res) {
          if (res.redirected) {
            leaving = true;
            window.location.href = res.url; // time ran out meanwhile: the result
            return;
          }
          if (!res.ok) {
            throw new Error("HTTP " + res.status);
          }
          return res.text().then(function (html) {
            dialog.innerHTML = html;
            dialog.showModal();
          });
        })
        .catch(function () {
          banner(unsent() ? "unsent" : "offline");
        });
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "submit-final" && form.id !== "autosubmit") {
      return;
    }
    if (unsent()) {
      event.preventDefault();
      flushAll().then(function () {
        if (unsent()) {
          banner("unsent");
        } else {
          form.requestSubmit();
        }
      });
      return;
    }
    leaving = true;
    copies = {};
    flags = {};
    wantPage = serverPage;
    store();
  });

  // ---------------------------------------------------------------- timer
  var timer = document.getElementById("timer");
  if (timer) {
    var announce = document.getElementById("timer-announce");
    var endsAt = Date.now() + (parseInt(timer.dataset.remaining, 10) || 0) * 1000;
    var said = {};
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    var tick = function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      var h = Math.floor(left / 3600);
      var m = Math.floor((left % 3600) / 60);
      timer.textContent = (h ? h + ":" + pad(m) : String(m)) + ":" + pad(left % 60);
      [["five", 300], ["one", 60], ["zero", 0]].forEach(function (step) {
        if (left <= step[1] && !said[step[0]] && announce) {
          said[step[0]] = true;
          announce.textContent = announce.dataset[step[0]];
        }
      });
      if (left === 0) {
        window.clearInterval(interval);
        var done = function () {
          closed = true; // past the deadline nothing more is stored: submit what the server has
          submitNow();
        };
        // Whatever reaches the server before the deadline counts; then submit.
        Promise.race([flushAll(), new Promise(function (r) { window.setTimeout(r, 3000); })]).then(done, done);
      }
    };
    var interval = window.setInterval(tick, 1000);
    tick();
  }
})();
