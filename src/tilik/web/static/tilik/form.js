/* Tilik respondent form: keeps answers on the phone until the server has them.
 *
 * - every change is saved in localStorage (key: link + instance id), so a closed tab or a
 *   dropped connection loses nothing; a reload restores the answers;
 * - the instance id is made here (crypto.randomUUID, with a fallback) and sent with the
 *   answers: the server stores a submission once however often it arrives;
 * - relevance and constraints are evaluated from the same expression trees the server uses
 *   (the server checks everything again; this is only for comfort).
 * No dependencies, no external requests.
 */
(function () {
  "use strict";
  var form = document.getElementById("formulir");
  if (!form) { return; }
  var key = form.getAttribute("data-storage-key");
  var url = form.getAttribute("data-submit-url");
  var lang = form.getAttribute("data-lang") || "id";
  var msg = function (name) { return form.getAttribute("data-msg-" + name) || ""; };
  var statusBox = document.getElementById("status");
  var summary = document.getElementById("ringkasan-galat");
  var idInput = form.querySelector("input[name=_instance_id]");
  var retryTimer = null;
  var sending = false;

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) { bytes[i] = Math.floor(Math.random() * 256); }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function load() {
    try { return JSON.parse(window.localStorage.getItem(key) || "null") || {}; }
    catch (e) { return {}; }
  }
  function save() {
    try { window.localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* full */ }
  }
  function forget() {
    try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ }
  }

  var state = load();
  if (!state.instance_id) { state.instance_id = newId(); }
  idInput.value = state.instance_id;

  /* ---- expressions (the tree from tilik.core.xpath) ---- */
  function val(v) {
    if (v === undefined || v === null) { return ""; }
    if (Array.isArray(v)) { return v.join(" "); }
    return v;
  }
  function num(v) {
    if (typeof v === "boolean") { return v ? 1 : 0; }
    if (typeof v === "number") { return v; }
    var s = String(v).trim();
    if (s === "") { return NaN; }
    var n = Number(s);
    if (!isNaN(n)) { return n; }
    if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
      return Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86400000;
    }
    return NaN;
  }
  function str(v) {
    if (typeof v === "boolean") { return v ? "true" : "false"; }
    return String(v);
  }
  function truthy(v) {
    if (typeof v === "boolean") { return v; }
    if (typeof v === "number") { return !isNaN(v) && v !== 0; }
    return v !== "";
  }
  function today() {
    var d = new Date();
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }
  var fns = {
    "selected": function (a) { return str(a[0]).split(/\s+/).indexOf(str(a[1]).trim()) >= 0; },
    "count-selected": function (a) { var s = str(a[0]).trim(); return s ? s.split(/\s+/).length : 0; },
    "string-length": function (a) { return str(a[0]).length; },
    "regex": function (a) { return new RegExp(str(a[1])).test(str(a[0])); },
    "today": function () { return today(); },
    "not": function (a) { return !truthy(a[0]); },
    "true": function () { return true; },
    "false": function () { return false; },
    "boolean": function (a) { return truthy(a[0]); },
    "number": function (a) { return num(a[0]); },
    "string": function (a) { return str(a[0]); },
    "int": function (a) { return Math.trunc(num(a[0])); },
    "concat": function (a) { return a.map(str).join(""); },
    "contains": function (a) { return str(a[0]).indexOf(str(a[1])) >= 0; },
    "starts-with": function (a) { return str(a[0]).indexOf(str(a[1])) === 0; },
    "coalesce": function (a) { return str(a[0]) !== "" ? a[0] : a[1]; }
  };
  function compare(op, l, r) {
    if (op === "=" || op === "!=") {
      var eq;
      if (typeof l === "boolean" || typeof r === "boolean") { eq = truthy(l) === truthy(r); }
      else if (typeof l === "number" || typeof r === "number") { eq = num(l) === num(r); }
      else { eq = str(l) === str(r); }
      return op === "=" ? eq : !eq;
    }
    var a = num(l), b = num(r);
    if (isNaN(a) || isNaN(b)) { return false; }
    return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
  }
  function ev(n, ctx) {
    switch (n[0]) {
      case "ref": return val(ctx.answers[n[1]]);
      case "self": return val(ctx.current);
      case "str": case "num": return n[1];
      case "name":
        if (!ctx.names || !(n[1] in ctx.names)) { throw new Error("unknown name"); }
        return val(ctx.names[n[1]]);
      case "neg": return -num(ev(n[1], ctx));
      case "bin":
        if (n[1] === "and") { return truthy(ev(n[2], ctx)) && truthy(ev(n[3], ctx)); }
        if (n[1] === "or") { return truthy(ev(n[2], ctx)) || truthy(ev(n[3], ctx)); }
        var l = ev(n[2], ctx), r = ev(n[3], ctx);
        if (/^(=|!=|<|<=|>|>=)$/.test(n[1])) { return compare(n[1], l, r); }
        var a = num(l), b = num(r);
        if (n[1] === "+") { return a + b; }
        if (n[1] === "-") { return a - b; }
        if (n[1] === "*") { return a * b; }
        if (n[1] === "div") { return a / b; }
        return a % b;
      case "call":
        if (n[1] === "if") { return truthy(ev(n[2][0], ctx)) ? ev(n[2][1], ctx) : ev(n[2][2], ctx); }
        if (!fns[n[1]]) { throw new Error("unsupported"); }
        return fns[n[1]](n[2].map(function (x) { return ev(x, ctx); }));
      default: throw new Error("unsupported");
    }
  }
  function test(json, answers, current, fallback, names) {
    if (!json) { return true; }
    try { return truthy(ev(JSON.parse(json), { answers: answers, current: current, names: names })); }
    catch (e) { return fallback; }
  }

  /* ---- answers ---- */
  var questions = Array.prototype.slice.call(form.querySelectorAll(".q"));
  function valueOf(q) {
    var name = q.getAttribute("data-name");
    var type = q.getAttribute("data-type");
    if (type === "select_multiple") {
      return Array.prototype.map.call(
        q.querySelectorAll("input[name='" + name + "']:checked"), function (i) { return i.value; });
    }
    if (type === "select_one") {
      var picked = q.querySelector("input[name='" + name + "']:checked");
      return picked ? picked.value : "";
    }
    var field = q.querySelector("[name='" + name + "']");
    return field ? field.value : "";
  }
  function collect() {
    var answers = {};
    questions.forEach(function (q) {
      var name = q.getAttribute("data-name");
      answers[name] = valueOf(q);
      var other = q.querySelector("[name='" + name + "_other']");
      if (other) { answers[name + "_other"] = other.value; }
    });
    return answers;
  }
  function restore(answers) {
    questions.forEach(function (q) {
      var name = q.getAttribute("data-name");
      if (!(name in answers)) { return; }
      var v = answers[name];
      var inputs = q.querySelectorAll("[name='" + name + "']");
      Array.prototype.forEach.call(inputs, function (input) {
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = Array.isArray(v) ? v.indexOf(input.value) >= 0 : input.value === v;
        } else {
          input.value = v;
        }
      });
      var other = q.querySelector("[name='" + name + "_other']");
      if (other && answers[name + "_other"] !== undefined) { other.value = answers[name + "_other"]; }
    });
  }
  function hiddenByAncestor(el) {
    for (var node = el.parentElement; node && node !== form; node = node.parentElement) {
      if (node.hidden) { return true; }
    }
    return false;
  }
  function applyRelevance() {
    var answers = collect();
    Array.prototype.forEach.call(form.querySelectorAll("[data-relevant]"), function (el) {
      var json = el.getAttribute("data-relevant");
      if (json) { el.hidden = !test(json, answers, "", true); }
    });
    Array.prototype.forEach.call(form.querySelectorAll("[data-choice-filter]"), function (q) {
      var filter = q.getAttribute("data-choice-filter");
      Array.prototype.forEach.call(q.querySelectorAll("label[data-row]"), function (label) {
        var keep = test(filter, answers, "", true, JSON.parse(label.getAttribute("data-row")));
        label.hidden = !keep;
        if (!keep) { label.querySelector("input").checked = false; }
      });
    });
  }

  /* ---- errors, announced and linked to their fields ---- */
  function setError(q, text) {
    var name = q.getAttribute("data-name");
    var box = document.getElementById("err-" + name);
    if (box) { box.textContent = text || ""; }
    q.classList.toggle("has-error", !!text);
    Array.prototype.forEach.call(q.querySelectorAll("input, textarea, select"), function (i) {
      if (text) { i.setAttribute("aria-invalid", "true"); } else { i.removeAttribute("aria-invalid"); }
    });
  }
  function labelOf(q) {
    var label = q.querySelector("legend, label");
    return label ? label.textContent.replace("*", "").trim() : q.getAttribute("data-name");
  }
  function showErrors(errors) {
    var list = [];
    questions.forEach(function (q) {
      var name = q.getAttribute("data-name");
      setError(q, errors[name] || "");
      if (errors[name]) { list.push([name, labelOf(q), errors[name]]); }
    });
    summary.innerHTML = "";
    if (!list.length) { summary.hidden = true; return; }
    var h = document.createElement("h2");
    h.textContent = msg("summary");
    var ul = document.createElement("ul");
    list.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "#f-" + e[0];
      a.textContent = e[1] + ": " + e[2];
      a.addEventListener("click", function (ev2) {
        ev2.preventDefault();
        var target = document.getElementById("f-" + e[0]);
        var first = document.querySelector("#q-" + CSS.escape(e[0]) + " input, #f-" + CSS.escape(e[0]));
        (first || target).focus();
      });
      li.appendChild(a);
      ul.appendChild(li);
    });
    summary.appendChild(h);
    summary.appendChild(ul);
    summary.hidden = false;
    summary.focus();
  }
  function validate(answers) {
    var errors = {};
    questions.forEach(function (q) {
      if (q.hidden || hiddenByAncestor(q)) { return; }
      var name = q.getAttribute("data-name");
      var v = answers[name];
      var empty = v === "" || (Array.isArray(v) && v.length === 0);
      if (empty) {
        if (q.getAttribute("data-required") === "yes") { errors[name] = msg("required"); }
        return;
      }
      if (!test(q.getAttribute("data-constraint"), answers, v, true)) {
        errors[name] = q.getAttribute("data-constraint-msg") || msg("constraint");
      }
    });
    return errors;
  }

  /* ---- sending ---- */
  function say(text) { statusBox.textContent = text; }
  function scheduleRetry() {
    if (retryTimer) { return; }
    retryTimer = window.setInterval(function () {
      if (state.pending && navigator.onLine !== false) { send(); }
    }, 15000);
  }
  function finished(text) {
    forget();
    if (retryTimer) { window.clearInterval(retryTimer); retryTimer = null; }
    state = { instance_id: newId() };
    form.hidden = true;
    summary.hidden = true;
    var notice = document.getElementById("privasi");
    if (notice) { notice.hidden = true; }
    say("");
    var done = document.getElementById("selesai");
    document.getElementById("selesai-pesan").textContent = text;
    done.hidden = false;
    done.focus();
  }
  function csrf() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function send() {
    if (sending) { return; }
    sending = true;
    say(msg("sending"));
    var body = JSON.stringify({ instance_id: state.instance_id, answers: state.answers, lang: lang });
    fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        sending = false;
        if (r.status === 200 || r.status === 201) { finished(data.message || ""); return; }
        if (r.status === 400 && data.errors) {
          state.pending = false; save(); say(""); showErrors(data.errors); return;
        }
        if (r.status === 409 || r.status === 410 || r.status === 404) {
          state.pending = false; save(); say(data.message || msg("error")); return;
        }
        say(data.message || msg("error"));
        scheduleRetry();
      });
    }).catch(function () {
      sending = false;
      say(msg("offline"));
      scheduleRetry();
    });
  }

  /* ---- wiring ---- */
  if (state.answers) {
    restore(state.answers);
    say(state.pending ? msg("offline") : msg("restored"));
  }
  applyRelevance();
  form.addEventListener("input", function () {
    applyRelevance();
    state.answers = collect();
    save();
  });
  form.addEventListener("change", function () {
    applyRelevance();
    state.answers = collect();
    save();
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    applyRelevance();
    var answers = collect();
    var errors = validate(answers);
    showErrors(errors);
    if (Object.keys(errors).length) { return; }
    questions.forEach(function (q) {  // answers to hidden questions are not sent
      if (q.hidden || hiddenByAncestor(q)) { delete answers[q.getAttribute("data-name")]; }
    });
    state.answers = answers;
    state.pending = true;
    save();
    send();
  });
  window.addEventListener("online", function () { if (state.pending) { send(); } });

  var start = document.getElementById("mulai");
  if (form.getAttribute("data-consent") === "yes" && start && !state.consented) {
    form.hidden = true;
    start.hidden = false;
    start.addEventListener("click", function () {
      state.consented = true;
      save();
      form.hidden = false;
      start.hidden = true;
      var first = form.querySelector(".q input, .q textarea");
      if (first) { first.focus(); }
    });
  }
  if (state.pending && navigator.onLine !== false) { send(); }
  if (state.pending) { scheduleRetry(); }
})();

/* Import progress: poll the batch until it is done, then reload to show the result. */
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.getAttribute("data-running") !== "yes") { return; }
  var url = box.getAttribute("data-url");
  function poll() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.status === "done" || data.status === "failed") { window.location.reload(); return; }
        var bar = box.querySelector("progress");
        var count = box.querySelector("[data-progress]");
        if (bar) { bar.max = Math.max(data.total || 1, data.progress || 0); bar.value = data.progress || 0; }
        if (count) { count.textContent = data.progress; }
        window.setTimeout(poll, 1000);
      }).catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();

/* A used one-time link: if this phone still holds an unacknowledged answer, send it once more;
 * the server recognises the instance id and confirms it was received. */
(function () {
  "use strict";
  var box = document.getElementById("kirim-ulang");
  if (!box) { return; }
  var key = box.getAttribute("data-storage-key");
  var state;
  try { state = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { state = null; }
  if (!state || !state.pending || !state.answers) { return; }
  fetch(box.getAttribute("data-submit-url"), {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ instance_id: state.instance_id, answers: state.answers,
                           lang: box.getAttribute("data-lang") })
  }).then(function (r) {
    return r.json().then(function (data) {
      if (r.status === 200 || r.status === 201) {
        try { window.localStorage.removeItem(key); } catch (e) { /* private mode */ }
        document.getElementById("tertutup").hidden = true;
      }
      box.textContent = data.message || "";
      box.hidden = false;
    });
  }).catch(function () { /* still offline: the answer stays on the phone */ });
})();
