/* Tilik respondent form: keeps answers on the phone until the server has them.
 *
 * - every change is saved in localStorage (key: link + instance id), so a closed tab or a
 *   dropped connection loses nothing; a reload restores the answers, and the instances of
 *   each repeat group before them;
 * - the instance id is made here (crypto.randomUUID, with a fallback) and sent with the
 *   answers: the server stores a submission once however often it arrives;
 * - relevance and constraints are evaluated from the same expression trees the server uses,
 *   and `${name}` is resolved as tilik.core.repeats.Scope does: inside an instance a sibling
 *   is that instance's answer; from outside, the answers of every instance (a node-set);
 *   the server checks everything again, this is only for comfort;
 * - repeat groups: fields are named by flat keys (`kegiatan[2]/peserta`); "Tambah" clones
 *   the blank instance kept in the block's <template>, "Hapus" removes one and renumbers the
 *   rest; a hidden `_count:<path>` field says how many instances each block shows.
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
  var MAX_INSTANCES = 500;
  var COUNT = "_count:";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

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

  /* ---- where answers live: flat keys, instances, the repeat each question is in ---- */
  var scopeInfo = {};
  try { scopeInfo = JSON.parse(form.getAttribute("data-scope") || "{}"); } catch (e) { /* none */ }
  var owner = scopeInfo.owner || {};      // question → the repeat holding it
  var parents = scopeInfo.parents || {};  // repeat → the repeat it is nested in ("" at the top)

  function domId(flat) {  // as webform.dom_id: kegiatan[2]/jam → kegiatan:2:jam
    return flat.replace(/\]\//g, ":").replace(/\[/g, ":").replace(/\]/g, "").replace(/\//g, ":");
  }
  function parsePrefix(prefix) {  // "kegiatan[2]/sesi[1]" → [["kegiatan", 2], ["sesi", 1]]
    if (!prefix) { return []; }
    return prefix.split("/").map(function (part) {
      var m = /^(.+)\[(\d+)\]$/.exec(part);
      return m ? [m[1], +m[2]] : [part, 0];
    });
  }
  function chainOf(el) {  // the instances around an element, outer first
    var inst = el.parentElement ? el.parentElement.closest(".rep-instance") : null;
    return inst && form.contains(inst) ? parsePrefix(inst.getAttribute("data-prefix")) : [];
  }
  function prefixOf(chain, upto) {
    return chain.slice(0, upto + 1).map(function (s) { return s[0] + "[" + s[1] + "]"; }).join("/");
  }
  function lineOf(repeat) {  // the repeats from the top level down to `repeat`
    var line = [repeat];
    for (var p = parents[repeat]; p; p = parents[p]) { line.unshift(p); }
    return line;
  }

  /* ---- expressions (the tree from tilik.core.xpath) ---- */
  function NodeSet(items) { this.items = items; }  // a question's answers across instances
  function val(v) {
    if (v === undefined || v === null) { return ""; }
    if (v instanceof NodeSet) { return new NodeSet(v.items.map(val)); }
    if (Array.isArray(v)) { return v.join(" "); }
    return v;
  }
  function num(v) {
    if (v instanceof NodeSet) { return v.items.length ? num(v.items[0]) : NaN; }
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
    if (v instanceof NodeSet) { return v.items.length ? str(v.items[0]) : ""; }
    if (typeof v === "boolean") { return v ? "true" : "false"; }
    return String(v);
  }
  function truthy(v) {
    if (v instanceof NodeSet) { return v.items.length > 0; }
    if (typeof v === "boolean") { return v; }
    if (typeof v === "number") { return !isNaN(v) && v !== 0; }
    return v !== "";
  }
  function members(v) {
    if (v instanceof NodeSet) { return v.items; }
    return v === "" ? [] : [v];
  }
  function today() {
    var d = new Date();
    var p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate());
  }
  function numbers(a) {
    var out = [];
    a.forEach(function (part) { members(part).forEach(function (v) { out.push(num(v)); }); });
    return out;
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
    "coalesce": function (a) { return str(a[0]) !== "" ? a[0] : a[1]; },
    "count": function (a) {
      return a[0] instanceof NodeSet ? a[0].items.length : (a[0] !== "" ? 1 : 0);
    },
    "sum": function (a) {
      return members(a[0]).filter(function (v) { return str(v) !== ""; })
        .reduce(function (total, v) { return total + num(v); }, 0);
    },
    "min": function (a) { var n = numbers(a); return n.length ? Math.min.apply(null, n) : NaN; },
    "max": function (a) { var n = numbers(a); return n.length ? Math.max.apply(null, n) : NaN; },
    "position": function (a, ctx) {
      return ctx.chain.length ? ctx.chain[ctx.chain.length - 1][1] : NaN;
    },
    "indexed-repeat": function (a) {
      var list = members(a[0]), i = num(a[2]);
      return i >= 1 && i <= list.length ? list[Math.floor(i) - 1] : "";
    },
    "join": function (a) {
      var parts = [];
      a.slice(1).forEach(function (part) { members(part).forEach(function (v) { parts.push(str(v)); }); });
      return parts.join(str(a[0]));
    }
  };
  function compare(op, l, r) {
    if (l instanceof NodeSet) { return l.items.some(function (m) { return compare(op, m, r); }); }
    if (r instanceof NodeSet) { return r.items.some(function (m) { return compare(op, l, m); }); }
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
  /* ${name} as seen from ctx.chain (the instances the expression sits in), like Scope.get */
  function lookup(name, ctx) {
    var answers = ctx.answers, chain = ctx.chain;
    var isRepeat = Object.prototype.hasOwnProperty.call(parents, name);
    var holder = isRepeat ? null : owner[name];
    if (!isRepeat && !holder) { return answers[name]; }
    var inner = {};
    chain.forEach(function (step, i) { inner[step[0]] = i; });
    if (!isRepeat && holder in inner) { return answers[prefixOf(chain, inner[holder]) + "/" + name]; }
    var found = [""];  // prefixes of the instances reached so far ("" is the top level)
    lineOf(isRepeat ? name : holder).forEach(function (step) {
      if (step in inner && step !== name) { found = [prefixOf(chain, inner[step])]; return; }
      var next = [];
      found.forEach(function (prefix) {
        var path = prefix ? prefix + "/" + step : step;
        var n = +(answers[COUNT + path] || 0);
        for (var i = 1; i <= n; i++) { next.push(path + "[" + i + "]"); }
      });
      found = next;
    });
    if (isRepeat) { return new NodeSet(found.map(function () { return ""; })); }
    return new NodeSet(found.map(function (prefix) { return answers[prefix + "/" + name]; }));
  }
  function ev(n, ctx) {
    switch (n[0]) {
      case "ref": return val(lookup(n[1], ctx));
      case "self": return val(ctx.current);
      case "parent": return "";  // only as the argument of position(..)
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
        return fns[n[1]](n[2].map(function (x) { return ev(x, ctx); }), ctx);
      default: throw new Error("unsupported");
    }
  }
  function context(el, answers, current, names) {
    return { answers: answers, chain: chainOf(el), current: current, names: names };
  }
  function test(json, ctx, fallback) {
    if (!json) { return true; }
    try { return truthy(ev(JSON.parse(json), ctx)); }
    catch (e) { return fallback; }
  }

  /* ---- answers ---- */
  function questions() { return Array.prototype.slice.call(form.querySelectorAll(".q")); }
  function fields(root, name) {
    return Array.prototype.filter.call(root.querySelectorAll("input, textarea, select"),
      function (f) { return f.name === name; });
  }
  function valueOf(q) {
    var name = q.getAttribute("data-name");
    var type = q.getAttribute("data-type");
    var inputs = fields(q, name);
    if (type === "select_multiple") {
      return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
    }
    if (type === "select_one") {
      var picked = inputs.filter(function (i) { return i.checked; })[0];
      return picked ? picked.value : "";
    }
    return inputs.length ? inputs[0].value : "";
  }
  function collect() {
    var answers = {};
    questions().forEach(function (q) {
      var name = q.getAttribute("data-name");
      answers[name] = valueOf(q);
      var other = fields(q, name + "_other")[0];
      if (other) { answers[name + "_other"] = other.value; }
    });
    each(form.querySelectorAll("input[type=hidden]"), function (input) {
      if (input.name.indexOf(COUNT) === 0) { answers[input.name] = input.value; }
    });
    return answers;
  }
  function fill(answers) {
    questions().forEach(function (q) {
      var name = q.getAttribute("data-name");
      if (!(name in answers)) { return; }
      var v = answers[name];
      fields(q, name).forEach(function (input) {
        if (input.type === "radio" || input.type === "checkbox") {
          input.checked = Array.isArray(v) ? v.indexOf(input.value) >= 0 : input.value === v;
        } else {
          input.value = v;
        }
      });
      var other = fields(q, name + "_other")[0];
      if (other && answers[name + "_other"] !== undefined) { other.value = answers[name + "_other"]; }
    });
  }
  function restore(answers) {
    // Instances first (outer repeats before the ones nested in them), then the values.
    Object.keys(answers).filter(function (k) { return k.indexOf(COUNT) === 0; })
      .sort(function (a, b) { return a.split("[").length - b.split("[").length; })
      .forEach(function (k) {
        var block = blockAt(k.slice(COUNT.length));
        if (block && !block.hasAttribute("data-fixed")) { setInstances(block, +answers[k], true); }
      });
    fill(answers);
  }
  function hiddenByAncestor(el) {
    for (var node = el.parentElement; node && node !== form; node = node.parentElement) {
      if (node.hidden) { return true; }
    }
    return false;
  }
  function applyRelevance() {
    var answers = collect();
    each(form.querySelectorAll("[data-relevant]"), function (el) {
      var json = el.getAttribute("data-relevant");
      if (json) { el.hidden = !test(json, context(el, answers, ""), true); }
    });
    each(form.querySelectorAll("[data-choice-filter]"), function (q) {
      var filter = q.getAttribute("data-choice-filter");
      each(q.querySelectorAll("label[data-row]"), function (label) {
        var row = JSON.parse(label.getAttribute("data-row"));
        var keep = test(filter, context(q, answers, "", row), true);
        label.hidden = !keep;
        if (!keep) { label.querySelector("input").checked = false; }
      });
    });
  }

  /* ---- repeat groups ---- */
  function blockAt(path) {
    return Array.prototype.filter.call(form.querySelectorAll(".rep-block"), function (b) {
      return b.getAttribute("data-path") === path;
    })[0] || null;
  }
  function own(block, selector) {  // children of the block itself, not of nested blocks
    return Array.prototype.filter.call(block.querySelectorAll(selector), function (el) {
      return el.closest(".rep-block") === block;
    });
  }
  function instancesOf(block) {
    var box = own(block, ".rep-instances")[0];
    return box ? Array.prototype.filter.call(box.children, function (el) {
      return el.classList.contains("rep-instance");
    }) : [];
  }
  function updateCount(block) {
    var input = own(block, "input[type=hidden]").filter(function (i) {
      return i.name.indexOf(COUNT) === 0;
    })[0];
    if (input) { input.value = String(instancesOf(block).length); }
  }
  function escapeRe(text) { return text.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&"); }
  var RENAMED = ["name", "id", "for", "aria-describedby", "aria-labelledby", "href", "data-name",
    "data-prefix", "data-path"];
  /* Rename everything of the instance `from` (a flat prefix such as kegiatan[1]) to `to`:
   * names, ids and the attributes that point at them, in nested templates too. */
  function renumber(root, from, to) {
    var byName = new RegExp("(^|:)" + escapeRe(from) + "(?=/|$)");
    var byId = new RegExp("(^|[-\\s#])" + escapeRe(domId(from)) + "(?=:|$|\\s)", "g");
    var toId = domId(to);
    var nodes = root.nodeType === 1 ? [root] : [];
    each(root.querySelectorAll("*"), function (el) { nodes.push(el); });
    nodes.forEach(function (el) {
      RENAMED.forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v === null) { return; }
        var changed = v.replace(byName, "$1" + to).replace(byId, function (m, lead) {
          return lead + toId;
        });
        if (changed !== v) { el.setAttribute(attr, changed); }
      });
      if (el.tagName === "BUTTON" && (el.name === "_add" || el.name === "_remove")) {
        el.value = el.value.replace(byName, "$1" + to);
      }
      if (el.tagName === "TEMPLATE") { renumber(el.content, from, to); }
    });
  }
  function setPosition(inst, n) {
    each(inst.querySelectorAll(".rep-n"), function (span) {
      if (span.closest(".rep-instance") === inst) { span.textContent = String(n); }
    });
  }
  function addInstance(block) {
    var template = own(block, "template.rep-template")[0];
    var box = own(block, ".rep-instances")[0];
    if (!template || !box) { return null; }
    var n = instancesOf(block).length + 1;
    var path = block.getAttribute("data-path");
    var fragment = template.content.cloneNode(true);
    var inst = fragment.querySelector(".rep-instance");
    renumber(inst, path + "[1]", path + "[" + n + "]");
    setPosition(inst, n);
    box.appendChild(fragment);
    updateCount(block);
    return inst;
  }
  function removeInstance(inst) {
    var block = inst.closest(".rep-block");
    var path = block.getAttribute("data-path");
    var all = instancesOf(block);
    var position = all.indexOf(inst) + 1;
    inst.parentNode.removeChild(inst);
    all.slice(position).forEach(function (later, i) {  // the later ones move up by one
      renumber(later, path + "[" + (position + i + 1) + "]", path + "[" + (position + i) + "]");
      setPosition(later, position + i);
    });
    updateCount(block);
    return position;
  }
  function setInstances(block, wanted, quiet) {
    wanted = Math.max(0, Math.min(MAX_INSTANCES, Math.floor(wanted)));
    if (isNaN(wanted)) { return false; }
    var changed = false;
    while (instancesOf(block).length < wanted && addInstance(block)) { changed = true; }
    while (instancesOf(block).length > wanted) {
      var all = instancesOf(block);
      removeInstance(all[all.length - 1]);
      changed = true;
    }
    return changed && !quiet;
  }
  /* repeat_count given as an expression: follow it as the answers change. */
  function applyCounts() {
    for (var pass = 0; pass < 5; pass++) {
      var answers = collect(), changed = false;
      each(form.querySelectorAll(".rep-block[data-count]"), function (block) {
        try {
          var n = num(ev(JSON.parse(block.getAttribute("data-count")), context(block, answers, "")));
          if (setInstances(block, isFinite(n) ? n : 0)) { changed = true; }  // unanswered: none
        } catch (e) { /* the server decides */ }
      });
      if (!changed) { return; }
    }
  }
  function firstField(root) {
    return Array.prototype.filter.call(root.querySelectorAll("input, textarea, select"),
      function (f) { return f.type !== "hidden" && !f.closest("[hidden]"); })[0] || null;
  }
  form.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("button.rep-add, button.rep-remove") : null;
    if (!button || !form.contains(button)) { return; }
    e.preventDefault();
    var block = button.closest(".rep-block");
    var label = block.getAttribute("data-label");
    if (button.classList.contains("rep-add")) {
      if (instancesOf(block).length >= MAX_INSTANCES) { return; }
      var inst = addInstance(block);
      changed();
      say(msg("added").replace("{label}", label + " " + instancesOf(block).length), true);
      var first = inst && firstField(inst);
      if (first) { first.focus(); }
    } else {
      var position = removeInstance(button.closest(".rep-instance"));
      changed();
      say(msg("removed").replace("{label}", label + " " + position), true);
      var add = own(block, "button.rep-add")[0];
      if (add) { add.focus(); }
    }
  });

  /* ---- errors, announced and linked to their fields ---- */
  function setError(q, text) {
    var box = document.getElementById("err-" + q.id.slice(2));
    if (box) { box.textContent = text || ""; }
    q.classList.toggle("has-error", !!text);
    each(q.querySelectorAll("input, textarea, select"), function (i) {
      if (text) { i.setAttribute("aria-invalid", "true"); } else { i.removeAttribute("aria-invalid"); }
    });
  }
  function labelOf(q) {
    var label = q.querySelector("legend, label");
    var text = q.getAttribute("data-name");
    if (label) {  // the label as seen, without the "required" marks
      var copy = label.cloneNode(true);
      each(copy.querySelectorAll(".req, .sr-only"), function (el) { el.parentNode.removeChild(el); });
      text = copy.textContent.replace(/\s+/g, " ").trim();
    }
    var where = [];
    for (var inst = q.closest(".rep-instance"); inst; inst = inst.parentElement.closest(".rep-instance")) {
      var legend = inst.querySelector(".rep-legend");
      if (legend) { where.unshift(legend.textContent.replace(/\s+/g, " ").trim()); }
    }
    return where.concat([text]).join(" › ");
  }
  function showErrors(errors) {
    var list = [];
    questions().forEach(function (q) {
      var name = q.getAttribute("data-name");
      setError(q, errors[name] || "");
      if (errors[name]) { list.push([q.id.slice(2), labelOf(q), errors[name]]); }
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
    questions().forEach(function (q) {
      if (q.hidden || hiddenByAncestor(q)) { return; }
      var name = q.getAttribute("data-name");
      var v = answers[name];
      var empty = v === "" || v === undefined || (Array.isArray(v) && v.length === 0);
      if (empty) {
        if (q.getAttribute("data-required") === "yes") { errors[name] = msg("required"); }
        return;
      }
      if (!test(q.getAttribute("data-constraint"), context(q, answers, v), true)) {
        errors[name] = q.getAttribute("data-constraint-msg") || msg("constraint");
      }
    });
    return errors;
  }

  /* ---- sending ---- */
  var sayTimer = null;
  function say(text, briefly) {
    statusBox.textContent = text;
    if (sayTimer) { window.clearTimeout(sayTimer); sayTimer = null; }
    if (briefly) {  // an announcement, not a state: it should not stay on screen
      sayTimer = window.setTimeout(function () {
        if (statusBox.textContent === text) { statusBox.textContent = ""; }
      }, 6000);
    }
  }
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
  function changed() {
    applyCounts();
    applyRelevance();
    state.answers = collect();
    save();
  }
  if (state.answers) {
    restore(state.answers);
    say(state.pending ? msg("offline") : msg("restored"));
  }
  applyCounts();
  applyRelevance();
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    say("");
    applyCounts();
    applyRelevance();
    var answers = collect();
    var errors = validate(answers);
    showErrors(errors);
    if (Object.keys(errors).length) { return; }
    questions().forEach(function (q) {  // answers to hidden questions are not sent
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
