/* Background work with stages: the analysis run (reports/results.html) and a schedule solve
 * (planning/run.html). While the job is pending or running, poll its status, show the stage
 * and the elapsed time, and reload into the results when it ends. Without this script the
 * pages show the status and a "Muat ulang" link. */
(function () {
  "use strict";

  /* One click starts one run: the button stays disabled while the form is sent. */
  var form = document.querySelector("form[data-run-form]");
  if (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; button.setAttribute("aria-disabled", "true"); }
    });
  }

  var box = document.querySelector("[data-stage-poll]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  var run = box.getAttribute("data-run");
  var line = box.querySelector("[data-line]");
  var clock = box.querySelector("[data-elapsed]");
  var stages = box.querySelectorAll("[data-stage]");
  var elapsed = parseInt(box.getAttribute("data-elapsed"), 10) || 0;
  var since = Date.now();
  var ended = false;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* Same format as the template filter `duration`: m:ss, h:mm:ss from an hour on. */
  function format(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  function tick() {
    if (ended || !clock) { return; }
    clock.textContent = format(elapsed + Math.floor((Date.now() - since) / 1000));
  }

  function show(data) {
    elapsed = data.elapsed || 0;
    since = Date.now();
    tick();
    if (line && line.textContent !== data.line) { line.textContent = data.line; }
    var idle = box.querySelector("[data-no-worker]");
    if (idle) { idle.hidden = !data.waiting_for_worker; }
    for (var i = 0; i < stages.length; i++) {
      var n = i + 1;
      stages[i].className = n < data.step ? "is-done" : n === data.step ? "is-current" : "is-todo";
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("status " + r.status); }
        return r.json();
      })
      .then(function (data) {
        if (String(data.run) !== run || (data.status !== "pending" && data.status !== "running")) {
          ended = true;
          if (line && data.line) { line.textContent = data.line; }
          window.location.reload();
          return;
        }
        show(data);
        /* Often at first, when a small evaluation is done in seconds; calmer for long runs. */
        window.setTimeout(poll, elapsed < 60 ? 1500 : 5000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setInterval(tick, 1000);
  window.setTimeout(poll, 1000);
})();
