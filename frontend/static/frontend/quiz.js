// Taking a quiz: every answer is saved as it is given, nothing is lost offline.
//
// Each change gets a higher sequence number and is kept in localStorage
// until the server acknowledges it; the server ignores a save older than
// what it holds, so resending after a lost connection is always safe.
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
  var draftKey = "quiz-draft-" + attemptId;
  var pending = {}; // slot id -> {response, seq}
  var retryDelay = {}; // slot id -> ms
  var timers = {}; // slot id -> debounce/retry timer
  var closed = false;

  function loadDrafts() {
    try {
      return JSON.parse(window.localStorage.getItem(draftKey) || "{}");
    } catch (e) {
      return {};
    }
  }

  function storeDrafts() {
    try {
      if (Object.keys(pending).length) {
        window.localStorage.setItem(draftKey, JSON.stringify(pending));
      } else {
        window.localStorage.removeItem(draftKey);
      }
    } catch (e) {
      // Private mode or full storage: saving still works, only the offline copy is lost.
    }
  }

  function fieldsetFor(slot) {
    return document.getElementById("question-" + slot);
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

  function markAnswered(slot, answered) {
    var nav = document.getElementById("nav-" + slot);
    if (nav) {
      nav.classList.toggle("answered", answered);
      renderNav(slot);
    }
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
  function send(slot) {
    var entry = pending[slot];
    if (!entry || closed) {
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
        if (res.ok || res.status === 400 || res.status === 404) {
          // Acknowledged (or refused for good): only forget it if nothing newer was typed meanwhile.
          if (pending[slot] && pending[slot].seq === entry.seq) {
            delete pending[slot];
            storeDrafts();
          }
          retryDelay[slot] = 0;
          setStatus(slot, res.ok ? "saved" : "invalid");
          if (res.ok) {
            markAnswered(slot, entry.response !== null);
            var fs = fieldsetFor(slot); // absent on the summary page: drafts are still sent
            if (fs) {
              fs.dataset.seq = String(entry.seq);
            }
          }
          return;
        }
        if (res.status === 409) {
          closed = true;
          setStatus(slot, "closed");
          var form = document.getElementById("autosubmit");
          if (form) {
            form.submit();
          }
          return;
        }
        throw new Error("HTTP " + res.status);
      })
      .catch(function () {
        setStatus(slot, "retrying");
        retryDelay[slot] = Math.min((retryDelay[slot] || 1000) * 2, 30000);
        window.clearTimeout(timers[slot]);
        timers[slot] = window.setTimeout(function () {
          send(slot);
        }, retryDelay[slot]);
      });
  }

  function nextSeq(fs) {
    var slot = fs.dataset.slot;
    var known = parseInt(fs.dataset.seq, 10) || 0;
    var local = pending[slot] ? pending[slot].seq : 0;
    return Math.max(known, local) + 1;
  }

  function queue(fs, delay) {
    var slot = fs.dataset.slot;
    var response = readResponse(fs);
    if (response === undefined) {
      setStatus(slot, "invalid");
      return;
    }
    pending[slot] = { response: response, seq: nextSeq(fs) };
    storeDrafts();
    window.clearTimeout(timers[slot]);
    timers[slot] = window.setTimeout(function () {
      send(slot);
    }, delay);
  }

  function flushAll() {
    return Promise.all(
      Object.keys(pending).map(function (slot) {
        window.clearTimeout(timers[slot]);
        return send(slot);
      })
    );
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
        var body = new URLSearchParams({ flagged: flag.checked ? "1" : "0" });
        fetch(flag.dataset.url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken() },
          body: body,
        });
        var nav = document.getElementById("nav-" + fs.dataset.slot);
        if (nav) {
          nav.classList.toggle("flagged", flag.checked);
          renderNav(fs.dataset.slot);
        }
      });
    }
  });

  // A draft newer than what the server holds (lost connection, closed tab): restore and resend.
  var drafts = loadDrafts();
  Object.keys(drafts).forEach(function (slot) {
    var fs = fieldsetFor(slot);
    var known = fs ? parseInt(fs.dataset.seq, 10) || 0 : 0;
    if (drafts[slot].seq > known) {
      pending[slot] = drafts[slot];
      if (fs) {
        restoreResponse(fs, drafts[slot].response);
      }
      send(slot);
    }
  });
  storeDrafts();

  var banner = document.getElementById("connection");
  window.addEventListener("offline", function () {
    if (banner) {
      banner.textContent = banner.dataset.offline;
      banner.hidden = false;
    }
  });
  window.addEventListener("online", function () {
    if (banner) {
      banner.textContent = banner.dataset.online;
      window.setTimeout(function () {
        banner.hidden = true;
      }, 4000);
    }
    flushAll();
  });

  // Leaving for another page of the quiz: send what is pending first (the draft stays if it fails).
  document.querySelectorAll("a[href]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!Object.keys(pending).length) {
        return;
      }
      event.preventDefault();
      var go = function () {
        window.location.href = link.href;
      };
      flushAll().then(go, go);
    });
  });

  var submitForm = document.getElementById("autosubmit");
  if (submitForm && !submitForm.hidden) {
    submitForm.addEventListener("submit", function (event) {
      if (!Object.keys(pending).length) {
        return;
      }
      event.preventDefault();
      flushAll().then(function () {
        submitForm.submit();
      });
    });
  }

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
          if (submitForm) {
            submitForm.submit();
          }
        };
        // Whatever reaches the server before the deadline counts; then submit.
        Promise.race([flushAll(), new Promise(function (r) { window.setTimeout(r, 3000); })]).then(done, done);
      }
    };
    var interval = window.setInterval(tick, 1000);
    tick();
  }
})();
