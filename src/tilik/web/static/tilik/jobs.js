/* Staff pages with background work (tilik.web.jobs): poll until the work ends, then reload
 * to show its outcome. Without this script the pages show a "Muat ulang" link. */
/* Import progress: poll the batch until it is done, then reload to show the result. */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.getAttribute("data-running") !== "yes") { return; }
  var url = box.getAttribute("data-url");
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.status !== "pending" && data.status !== "running") { window.location.reload(); return; }
        var bar = box.querySelector("progress");
        var count = box.querySelector("[data-progress]");
        if (bar) { bar.max = Math.max(data.total || 1, data.progress || 0); bar.value = data.progress || 0; }
        if (count) { count.textContent = data.progress; }
        window.setTimeout(poll, 1000);
      }).catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();

/* Background work without a progress count (an XLSForm being checked): reload once it ends. */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-poll]");
  if (!box || box.getAttribute("data-active") !== "yes" || !window.fetch) { return; }
  var url = box.getAttribute("data-job-poll");
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.status !== "pending" && data.status !== "running") { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      }).catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 700);
})();

