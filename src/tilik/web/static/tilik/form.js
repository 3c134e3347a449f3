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
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) { return Number(s); }
    if (/^[+-]?Infinity$/.test(s)) { return Number(s); }
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/.exec(s);
    if (m) {
      var days = Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000;
      if (m[4] !== undefined) { days += (+m[4] * 3600 + +m[5] * 60 + +(m[6] || 0)) / 86400; }
      return days;
    }
    return NaN;
  }
  function str(v) {
    if (v instanceof NodeSet) { return v.items.length ? str(v.items[0]) : ""; }
    if (typeof v === "boolean") { return v ? "true" : "false"; }
    if (v && typeof v === "object") { return ""; }  // a choice-list row
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
  var EARTH = 6378100;  // metres, as ODK's area() and distance()
  function rad(d) { return d * Math.PI / 180; }
  function fin(n) { return isFinite(n) ? n : 0; }
  function xround(n) { return isFinite(n) ? Math.floor(n + 0.5) : n; }
  function pySlice(s, b, e) {  // Python's s[b:e] on code points
    var chars = Array.from(s), n = chars.length;
    var norm = function (i) { i = Math.trunc(i); return i < 0 ? Math.max(0, n + i) : Math.min(i, n); };
    return chars.slice(norm(b), e === undefined ? n : norm(e)).join("");
  }
  function points(a) {
    var found = [], bad = false;
    a.forEach(function (p) {
      (p instanceof NodeSet ? p.items : [p]).forEach(function (v) {
        str(v).split(";").forEach(function (point) {
          var parts = point.trim().split(/\s+/);
          if (parts.length < 2 || parts[0] === "") { return; }
          var lat = num(parts[0]), lon = num(parts[1]);
          if (isNaN(lat) || isNaN(lon)) { bad = true; }
          found.push([lat, lon]);
        });
      });
    });
    return bad ? [] : found;
  }
  function pad(n, w) { var s = String(n); while (s.length < w) { s = "0" + s; } return s; }
  function iso(d) {  // as Python's datetime.isoformat(timespec="milliseconds"), in UTC
    return pad(d.getUTCFullYear(), 4) + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2) +
      "T" + pad(d.getUTCHours(), 2) + ":" + pad(d.getUTCMinutes(), 2) + ":" + pad(d.getUTCSeconds(), 2) +
      "." + pad(d.getUTCMilliseconds(), 3);
  }
  function moment(v) {  // milliseconds since 1970 of a date, date-time or number of days
    if (typeof v === "number") { return isFinite(v) && Math.abs(v) <= 3000000 ? Math.round(v * 86400000) : null; }
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/.exec(str(v).trim());
    if (!m) { return null; }
    var ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
    if (isNaN(ms)) { return null; }
    if (m[4] !== undefined) { ms += Math.round((+m[4] * 3600 + +m[5] * 60 + +(m[6] || 0)) * 1000); }
    return ms;
  }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  function formatDate(v, pattern) {
    var ms = moment(v);
    if (ms === null) { return ""; }
    var d = new Date(ms), out = "";
    for (var i = 0; i < pattern.length; i++) {
      var c = pattern[i];
      if (c !== "%" || i + 1 === pattern.length) { out += c; continue; }
      var code = pattern[++i];
      var parts = {
        Y: pad(d.getUTCFullYear(), 4), y: pad(d.getUTCFullYear() % 100, 2),
        m: pad(d.getUTCMonth() + 1, 2), n: String(d.getUTCMonth() + 1), b: MONTHS[d.getUTCMonth()],
        d: pad(d.getUTCDate(), 2), e: String(d.getUTCDate()), H: pad(d.getUTCHours(), 2),
        h: String(d.getUTCHours()), M: pad(d.getUTCMinutes(), 2), S: pad(d.getUTCSeconds(), 2),
        "3": pad(d.getUTCMilliseconds(), 3), a: DAYS[d.getUTCDay()]
      };
      out += Object.prototype.hasOwnProperty.call(parts, code) ? parts[code] : code;
    }
    return out;
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
      if (ctx.position !== undefined) { return ctx.position; }
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
    },
    /* the ODK XForms functions added with tilik.core.xpath (same results, tested side by side) */
    "round": function (a) {
      var n = num(a[0]), p = a.length > 1 ? num(a[1]) : 0;
      if (isNaN(p)) { return NaN; }
      if (isNaN(n) || !isFinite(n)) { return n; }
      var f = Math.pow(10, Math.trunc(p));
      return Math.floor(n * f + 0.5) / f;
    },
    "floor": function (a) { return Math.floor(num(a[0])); },
    "ceiling": function (a) { return Math.ceil(num(a[0])); },
    "abs": function (a) { return Math.abs(num(a[0])); },
    "pow": function (a) { return Math.pow(num(a[0]), num(a[1])); },
    "sqrt": function (a) { return Math.sqrt(num(a[0])); },
    "exp": function (a) { return Math.exp(num(a[0])); },
    "exp10": function (a) { return Math.pow(10, num(a[0])); },
    "log": function (a) { return Math.log(num(a[0])); },
    "log10": function (a) { return Math.log10(num(a[0])); },
    "sin": function (a) { return Math.sin(num(a[0])); },
    "cos": function (a) { return Math.cos(num(a[0])); },
    "tan": function (a) { return Math.tan(num(a[0])); },
    "asin": function (a) { return Math.asin(num(a[0])); },
    "acos": function (a) { return Math.acos(num(a[0])); },
    "atan": function (a) { return Math.atan(num(a[0])); },
    "atan2": function (a) { return Math.atan2(num(a[0]), num(a[1])); },
    "pi": function () { return Math.PI; },
    "ends-with": function (a) { var s = str(a[0]), t = str(a[1]); return s.slice(s.length - t.length) === t || t === ""; },
    "substr": function (a) {
      var s = str(a[0]), b = fin(num(a[1])), e = a.length > 2 ? fin(num(a[2])) : undefined;
      return pySlice(s, b, e);
    },
    "substring": function (a) {
      var s = Array.from(str(a[0])), start = xround(num(a[1]));
      var end = a.length > 2 ? start + xround(num(a[2])) : Infinity;
      if (isNaN(start) || isNaN(end)) { return ""; }
      return s.filter(function (ch, i) { return start <= i + 1 && i + 1 < end; }).join("");
    },
    "substring-before": function (a) {
      var s = str(a[0]), i = s.indexOf(str(a[1])); return i >= 0 ? s.slice(0, i) : "";
    },
    "substring-after": function (a) {
      var s = str(a[0]), t = str(a[1]), i = s.indexOf(t); return i >= 0 ? s.slice(i + t.length) : "";
    },
    "translate": function (a) {
      var from = Array.from(str(a[1])), to = Array.from(str(a[2])), table = {};
      from.forEach(function (ch, i) { if (!(ch in table)) { table[ch] = i < to.length ? to[i] : ""; } });
      return Array.from(str(a[0])).map(function (ch) { return ch in table ? table[ch] : ch; }).join("");
    },
    "normalize-space": function (a) { return str(a[0]).replace(/[ \t\r\n]+/g, " ").replace(/^ | $/g, ""); },
    "selected-at": function (a) {
      var parts = str(a[0]).trim().split(/\s+/).filter(Boolean), i = num(a[1]);
      return i >= 0 && i < parts.length ? parts[Math.floor(i)] : "";
    },
    "count-non-empty": function (a) { return members(a[0]).filter(function (v) { return str(v) !== ""; }).length; },
    "boolean-from-string": function (a) { var s = str(a[0]).trim().toLowerCase(); return s === "true" || s === "1"; },
    "checklist": function (a) {
      var lo = num(a[0]), hi = num(a[1]), n = 0;
      a.slice(2).forEach(function (p) { (p instanceof NodeSet ? p.items : [p]).forEach(function (v) { if (truthy(v)) { n++; } }); });
      return (lo < 0 || n >= lo) && (hi < 0 || n <= hi);
    },
    "weighted-checklist": function (a) {
      var lo = num(a[0]), hi = num(a[1]), rest = a.slice(2), total = 0;
      for (var i = 0; i + 1 < rest.length; i += 2) { if (truthy(rest[i])) { total += num(rest[i + 1]); } }
      return (lo < 0 || total >= lo) && (hi < 0 || total <= hi);
    },
    "distance": function (a) {
      var pts = points(a);
      if (pts.length < 2) { return NaN; }
      var total = 0;
      for (var i = 1; i < pts.length; i++) {
        var p1 = rad(pts[i - 1][0]), p2 = rad(pts[i][0]), dp = p2 - p1, dl = rad(pts[i][1] - pts[i - 1][1]);
        var h = Math.pow(Math.sin(dp / 2), 2) + Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(dl / 2), 2);
        total += 2 * EARTH * Math.asin(Math.min(1, Math.sqrt(h)));
      }
      return total;
    },
    "area": function (a) {
      var pts = points(a);
      if (pts.length < 3) { return pts.length ? 0 : NaN; }
      var last = pts[pts.length - 1];
      if (last[0] !== pts[0][0] || last[1] !== pts[0][1]) { pts.push(pts[0]); }
      var total = 0;
      for (var i = 1; i < pts.length; i++) {
        total += rad(pts[i][1] - pts[i - 1][1]) * (2 + Math.sin(rad(pts[i - 1][0])) + Math.sin(rad(pts[i][0])));
      }
      return Math.abs(total * EARTH * EARTH / 2);
    },
    "date": function (a) {
      var v = a[0];
      if (typeof v === "number") { return isFinite(v) ? iso(new Date(Math.floor(v) * 86400000)).slice(0, 10) : ""; }
      return str(v).slice(0, 10);
    },
    "date-time": function (a) {
      var d = num(a[0]);
      if (!isFinite(d) || Math.abs(d) > 3000000) { return ""; }
      return iso(new Date(Math.round(d * 86400000)));
    },
    "decimal-date-time": function (a) { var m = moment(a[0]); return m === null ? NaN : m / 86400000; },
    "decimal-time": function (a) {
      var m = /^(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(str(a[0]).trim());
      if (!m || +m[1] > 23 || +m[2] > 59 || +(m[3] || 0) >= 60) { return NaN; }
      return (+m[1] * 3600 + +m[2] * 60 + +(m[3] || 0)) / 86400;
    },
    "format-date": function (a) { return formatDate(a[0], str(a[1])); },
    "format-date-time": function (a) { return formatDate(a[0], str(a[1])); },
    "uuid": function (a) {
      if (!a.length) { return newId(); }
      var n = num(a[0]), out = "", abc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
      if (isNaN(n) || n < 0) { return ""; }
      for (var i = 0; i < Math.min(Math.floor(n), 10000); i++) { out += abc[Math.floor(Math.random() * abc.length)]; }
      return out;
    },
    "random": function () { return Math.random(); },
    "once": function (a) { return a[0]; },
    "last": function (a, ctx) { return ctx.last !== undefined ? ctx.last : NaN; },
    "version": function (a, ctx) { return (ctx.env && ctx.env.version) || ""; },
    "jr:choice-name": function (a, ctx) {
      var value = str(a[0]), ref = str(a[1]).trim(), m = /^\$\{\s*([^}\s]+)\s*\}$/.exec(ref);
      var name = m ? m[1] : ref.split("/").pop();
      var labels = ((ctx.env && ctx.env.choice_labels) || {})[name];
      if (!labels) { return value; }
      return Object.prototype.hasOwnProperty.call(labels, value) ? labels[value] : "";
    },
    "instance": function (a, ctx) {
      var rows = ((ctx.env && ctx.env.instances) || {})[str(a[0])];
      if (!rows) { throw new Error("no such choice list"); }
      return new NodeSet(rows.slice());
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
      case "path": return walkPath(ev(n[1], ctx), n[2], ctx);
      default: throw new Error("unsupported");
    }
  }
  /* instance('list')/root/item[filter]/column, as tilik.core.xpath._walk_path */
  function walkPath(base, steps, ctx) {
    var rows = base instanceof NodeSet ? base.items.filter(function (r) { return r && typeof r === "object"; }) : [];
    var column = null;
    steps.forEach(function (step) {
      if (step[0] === "child") {
        if (column !== null) { throw new Error("unsupported"); }
        if (step[1] !== "root" && step[1] !== "item") { column = step[1]; }
        return;
      }
      if (column !== null) { throw new Error("unsupported"); }
      var size = rows.length;
      rows = rows.filter(function (row, i) {
        var inner = { answers: ctx.answers, chain: ctx.chain, current: ctx.current, names: row,
                      env: ctx.env, last: size, position: i + 1 };
        var found = ev(step[1], inner);
        return typeof found === "number" && !isNaN(found) ? found === i + 1 : truthy(found);
      });
    });
    if (column === null) { return new NodeSet(rows); }
    return new NodeSet(rows.map(function (r) { return r[column] === undefined ? "" : r[column]; }));
  }
  /* For tests (tests/browser/test_xpath_parity.py) and nothing else. */
  window.TilikXPath = {
    evaluate: function (tree, answers, current, env) {
      var v = ev(tree, { answers: answers || {}, chain: [], current: current === undefined ? "" : current,
                         names: null, env: env || {} });
      if (v instanceof NodeSet) { return { nodeset: v.items.map(str) }; }
      if (typeof v === "number") { return { number: str(v) }; }
      return v;
    }
  };
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
    if (type === "rank") {
      var order = inputs.map(function (i) { return i.value; });
      return order.filter(Boolean).length ? order : [];
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
      fields(q, name).forEach(function (input, position) {
        if (input.tagName === "SELECT" && Array.isArray(v)) { input.value = v[position] || ""; return; }
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
    /* a radio group says it is invalid on the group (radios take no aria-invalid) */
    var group = q.querySelector("[role=radiogroup]");
    var holders = group ? [group] : Array.prototype.slice.call(q.querySelectorAll("input, textarea, select"));
    holders.forEach(function (i) {
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
  /* The field an error sends the respondent to: the question's first input (never its
   * legend), on its page. */
  function focusField(domId) {
    var q = document.getElementById("q-" + domId);
    if (q) { showPage(pageOf(q)); }
    var first = document.getElementById("f-" + domId) ||
      (q && q.querySelector("input:not([type=hidden]), select, textarea"));
    if (first) { first.focus(); }
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
      a.setAttribute("data-target", "f-" + e[0]);
      a.textContent = e[1] + ": " + e[2];
      li.appendChild(a);
      ul.appendChild(li);
    });
    summary.appendChild(h);
    summary.appendChild(ul);
    summary.hidden = false;
    summary.focus();
  }
  /* Links of the error summary, made here or by the server (buttons to another page without
   * JavaScript): show the question's page and focus its first input. */
  summary.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("[data-target]") : null;
    if (!link) { return; }
    e.preventDefault();
    focusField(link.getAttribute("data-target").slice(2));
  });
  /* An error goes as soon as its answer is put right (and its line in the summary too). */
  function recheck(q) {
    if (!q.classList.contains("has-error")) { return; }
    var answers = collect();
    var errors = validate(answers, q);
    var name = q.getAttribute("data-name");
    if (errors[name]) { return; }
    setError(q, "");
    each(summary.querySelectorAll("[data-target]"), function (link) {
      if (link.getAttribute("data-target") === "f-" + q.id.slice(2)) {
        link.parentNode.parentNode.removeChild(link.parentNode);
      }
    });
    if (!summary.querySelector("[data-target]")) { summary.hidden = true; }
  }
  function validate(answers, within) {
    var errors = {};
    questions().forEach(function (q) {
      if (within && within !== q && !within.contains(q)) { return; }
      if (q.hidden || hiddenByAncestor(q)) { return; }
      var name = q.getAttribute("data-name");
      var v = answers[name];
      var empty = v === "" || v === undefined || (Array.isArray(v) && v.length === 0);
      if (empty) {
        if (q.getAttribute("data-required") === "yes") { errors[name] = msg("required"); }
        return;
      }
      var typed = fields(q, name).filter(function (i) { return i.checkValidity && !i.checkValidity(); });
      if (typed.length) {  // range bounds and step, a geopoint's form: the input's own rules
        errors[name] = q.getAttribute("data-constraint-msg") || msg("constraint");
        return;
      }
      if (!test(q.getAttribute("data-constraint"), context(q, answers, v), true)) {
        errors[name] = q.getAttribute("data-constraint-msg") || msg("constraint");
      }
    });
    return errors;
  }

  /* ---- pages: a long form shows one top-level group at a time ----
   * The server renders every page (the others with class page-off) and the buttons to move;
   * here the moves happen in the page. A page whose group is not relevant is hidden by
   * applyRelevance() (the hidden attribute) and skipped. */
  var pages = Array.prototype.slice.call(form.querySelectorAll("section.page"));
  var pageInput = form.querySelector("input[name=_page]");
  var progress = document.getElementById("kemajuan");
  function currentPage() {
    for (var i = 0; i < pages.length; i++) {
      if (!pages[i].classList.contains("page-off")) { return i; }
    }
    return 0;
  }
  function pageOf(el) {
    var section = el.closest ? el.closest("section.page") : null;
    return section ? pages.indexOf(section) : currentPage();
  }
  /* A page is asked when some question on it is (not hidden by its condition). */
  function asked(n) {
    if (pages[n].hidden) { return false; }
    return Array.prototype.some.call(pages[n].querySelectorAll(".q"), function (q) {
      return !q.hidden && !hiddenByAncestor(q) && !q.closest("template");
    });
  }
  function refsOf(tree, found) {
    if (Array.isArray(tree)) {
      if (tree[0] === "ref") { found.push(tree[1]); }
      tree.forEach(function (part) { refsOf(part, found); });
    }
    return found;
  }
  /* A page whose condition reads only questions not answered yet (a consent question on the
   * page before) may still be asked: it counts for the progress and the buttons, so that
   * "Kirim" does not show before the respondent has said anything. */
  function undecided(n) {
    var json = pages[n].getAttribute("data-relevant");
    if (!pages[n].hidden || !json) { return false; }
    var answers = collect(), refs = [];
    try { refs = refsOf(JSON.parse(json), []); } catch (e) { return false; }
    return refs.length > 0 && refs.every(function (name) {
      var v = answers[name];
      return v === undefined || v === "" || (Array.isArray(v) && !v.length);
    });
  }
  function counted(n) { return asked(n) || undecided(n); }
  function following(n) {
    for (var i = n + 1; i < pages.length; i++) { if (asked(i)) { return i; } }
    return -1;
  }
  function preceding(n) {
    for (var i = n - 1; i >= 0; i--) { if (asked(i)) { return i; } }
    return -1;
  }
  function countedAfter(n) {
    for (var i = n + 1; i < pages.length; i++) { if (counted(i)) { return true; } }
    return false;
  }
  function updatePaging() {
    if (!pages.length) { return; }
    var n = currentPage();
    var last = !countedAfter(n);
    each(form.querySelectorAll("[data-nav=prev]"), function (b) { b.hidden = preceding(n) < 0; });
    each(form.querySelectorAll("[data-nav=next]"), function (b) { b.hidden = last; });
    each(form.querySelectorAll("[data-send]"), function (b) { b.hidden = !last; });
    var total = 0, position = 0;
    pages.forEach(function (page, i) {
      if (counted(i) || i === n) { total++; if (i <= n) { position++; } }
    });
    if (progress) {
      progress.querySelector("[data-page-count]").textContent =
        msg("page").replace("{n}", position).replace("{total}", total);
      var title = pages[n].getAttribute("data-title");
      progress.querySelector("[data-page-title]").textContent = title ? ": " + title : "";
      var bar = progress.querySelector("progress");
      bar.max = total;
      bar.value = position;
    }
  }
  function showPage(n, announce) {
    if (!pages.length || n < 0 || n >= pages.length) { return; }
    var before = currentPage();
    pages.forEach(function (page, i) { page.classList.toggle("page-off", i !== n); });
    if (pageInput) { pageInput.value = String(n); }
    state.page = n;
    save();
    updatePaging();
    if (announce && n !== before && progress) {
      window.scrollTo(0, 0);
      progress.focus();  // the new page's name and place are read out first
    }
  }
  function nextPage() {
    var n = currentPage();
    var errors = validate(collect(), pages[n]);
    showErrors(errors);
    if (Object.keys(errors).length) { return; }
    var next = following(n);
    if (next >= 0) { showPage(next, true); return; }
    updatePaging();  // nothing more is asked after all: this is the last page
    var send = form.querySelector("[data-send]");
    if (send) { send.focus(); }
  }
  form.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("button[data-nav]") : null;
    if (!button || !form.contains(button)) { return; }
    e.preventDefault();
    say("");
    if (button.getAttribute("data-nav") === "next") { nextPage(); return; }
    summary.hidden = true;
    showPage(preceding(currentPage()), true);
  });

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
    var body = JSON.stringify({ instance_id: state.instance_id, answers: state.answers, lang: lang,
                                started: state.started });
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
  function changed(e) {
    applyCounts();
    applyRelevance();
    updatePaging();
    state.answers = collect();
    save();
    var q = e && e.target && e.target.closest ? e.target.closest(".q") : null;
    if (q) { recheck(q); }
  }
  /* geopoint: the phone's position, when the browser may give it; typing stays possible */
  if (navigator.geolocation) {
    each(form.querySelectorAll("button.geo-here"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var input = document.getElementById(button.getAttribute("data-for"));
        navigator.geolocation.getCurrentPosition(function (p) {
          input.value = [p.coords.latitude.toFixed(6), p.coords.longitude.toFixed(6),
            Math.round(p.coords.altitude || 0), Math.round(p.coords.accuracy || 0)].join(" ");
          changed();
        }, function () { say(msg("nolocation"), true); }, { enableHighAccuracy: true, timeout: 20000 });
      });
    });
  }
  if (!state.started) { state.started = new Date().toISOString(); }  // the `start` metadata
  if (state.answers) {
    restore(state.answers);
    say(state.pending ? msg("offline") : msg("restored"));
  }
  applyCounts();
  applyRelevance();
  if (pages.length) {
    var saved = +state.page;
    showPage(saved >= 0 && saved < pages.length && !pages[saved].hidden ? saved : currentPage());
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    say("");
    applyCounts();
    applyRelevance();
    updatePaging();
    if (pages.length && countedAfter(currentPage())) { nextPage(); return; }  // Enter
    var answers = collect();
    var errors = validate(answers);
    showErrors(errors);
    if (Object.keys(errors).length) {
      var first = questions().filter(function (q) { return errors[q.getAttribute("data-name")]; })[0];
      if (first && pages.length) { showPage(pageOf(first)); summary.focus(); }
      return;
    }
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
  var noticeDetails = document.getElementById("privasi-rincian");
  if (noticeDetails && state.consented) { noticeDetails.open = false; }  // read already
  if (form.getAttribute("data-consent") === "yes" && start && !state.consented) {
    form.hidden = true;
    start.hidden = false;
    start.addEventListener("click", function () {
      state.consented = true;
      save();
      form.hidden = false;
      start.hidden = true;
      if (noticeDetails) { noticeDetails.open = false; }  // the questions move up
      var first = form.querySelector(".q input, .q textarea");
      if (first) { first.focus(); }
    });
  }
  if (state.pending && navigator.onLine !== false) { send(); }
  if (state.pending) { scheduleRetry(); }
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

/* Offline: once a form has been opened, it opens again without a network. A service worker
 * (scope /f/) answers the form's address and its files from the phone's cache when the
 * network fails; the page puts itself and its files into that cache now, since the worker
 * only starts watching from the next visit. Answers are kept and sent as above. */
(function () {
  "use strict";
  var box = document.querySelector("[data-service-worker]");
  if (!box || !("serviceWorker" in navigator) || !window.caches) { return; }
  navigator.serviceWorker.register(box.getAttribute("data-service-worker"), { scope: "/f/" })
    .catch(function () { /* no worker (private mode, an old browser): online only */ });
  var files = [window.location.pathname];
  Array.prototype.forEach.call(
    document.querySelectorAll("link[rel=stylesheet][href], script[src]"),
    function (el) { files.push(el.getAttribute("href") || el.getAttribute("src")); }
  );
  window.caches.open(box.getAttribute("data-cache") || "tilik-formulir")
    .then(function (cache) { return cache.addAll(files); })
    .catch(function () { /* storage full or refused: online only */ });
})();
