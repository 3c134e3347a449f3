/* Theme review: keyboard moves and toggles, saves by fetch (the plain forms work without it).
   j/k or arrows move, hotkeys toggle themes, s cycles sentiment, a accepts, Enter/Ctrl+S saves. */
(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll(".ct-item"));
  if (!items.length) return;
  // Unchosen themes show on the current text only: a long page stays short to scan.
  document.documentElement.classList.add("ct-js");
  var status = document.getElementById("ct-status");
  var current = -1;

  function say(text) { if (status) status.textContent = text; }

  function select(index, focus) {
    if (index < 0 || index >= items.length) return;
    if (current >= 0) {
      items[current].classList.remove("is-current");
      items[current].removeAttribute("aria-current");
    }
    current = index;
    var item = items[current];
    item.classList.add("is-current");
    item.setAttribute("aria-current", "true");
    if (focus !== false) {
      item.focus({ preventScroll: true });
      item.scrollIntoView({ block: "nearest" });
    }
  }

  function form() { return current >= 0 ? items[current].querySelector("form.ct-form") : null; }

  function markReviewed(item, data) {
    item.classList.add("is-reviewed");
    item.classList.remove("is-dirty");
    var badge = item.querySelector("[data-reviewed]");
    if (badge) badge.textContent = document.documentElement.lang === "en" ? "Reviewed" : "Ditinjau";
    var f = item.querySelector("form.ct-form");
    // What is saved is now what "accept" confirms.
    Array.prototype.forEach.call(f.querySelectorAll("input[name=suggested]"), function (el) { el.remove(); });
    data.themes.forEach(function (code) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "suggested"; input.value = code;
      f.appendChild(input);
    });
    f.querySelector("input[name=suggested_sentiment]").value = data.sentiment;
    Array.prototype.forEach.call(f.querySelectorAll("input[name=themes]"), function (box) {
      box.checked = data.themes.indexOf(box.value) >= 0;
    });
    var select = f.querySelector("select[name=sentiment]");
    if (select) select.value = data.sentiment;
    var shown = item.querySelector("[data-sentiment]");
    if (shown && select) shown.textContent = select.options[select.selectedIndex].text;
    var counter = document.querySelector("[data-count=reviewed]");
    if (counter && typeof data.n_reviewed === "number") counter.textContent = data.n_reviewed;
  }

  // A correction retrains the coder: texts on this page whose coding changed get a badge.
  function markRecoded(keys) {
    items.forEach(function (item) {
      var badge = item.querySelector("[data-recoded]");
      if (badge && keys.indexOf(item.getAttribute("data-key")) >= 0) badge.hidden = false;
    });
  }

  function submit(f, action) {
    var item = f.closest(".ct-item");
    var body = new FormData(f);
    body.set("action", action);
    // The server retrains the coder with this code before it answers: move on meanwhile.
    item.classList.remove("is-error");
    item.classList.add("is-saving");
    var next = items.indexOf(item) + 1;
    if (next < items.length && items[current] === item) select(next);
    return fetch(f.getAttribute("action"), {  // f.action is the "action" buttons
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": body.get("csrfmiddlewaretoken") }
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (data) {
      markReviewed(item, data);
      markRecoded(data.recoded || []);
      var labels = Array.prototype.map.call(
        item.querySelectorAll("input[name=themes]:checked"),
        function (box) { return box.parentNode.textContent.replace(/^\s*\S\s+/, "").trim(); });
      say((document.documentElement.lang === "en" ? "Saved: " : "Tersimpan: ") +
          (labels.join(", ") || "—") + (data.message ? " · " + data.message : ""));
    }).catch(function () {
      say(document.documentElement.lang === "en" ? "Not saved — try again." : "Belum tersimpan — coba lagi.");
      item.classList.add("is-error");
    }).finally(function () {
      item.classList.remove("is-saving");
    });
  }

  // A press on another card's theme must change that theme at once: selecting the card on the
  // press (its focus) would lay out its other themes under the pointer before the click lands,
  // so a pointer selects on the click, after the box has changed; the keyboard on focus.
  var pressing = false;
  document.addEventListener("pointerdown", function () { pressing = true; }, true);
  document.addEventListener("pointerup", function () {
    window.setTimeout(function () { pressing = false; }, 0);
  }, true);
  items.forEach(function (item, index) {
    item.addEventListener("focusin", function () {
      if (!pressing && current !== index) select(index, false);
    });
    item.addEventListener("click", function () { if (current !== index) select(index, false); });
    var f = item.querySelector("form.ct-form");
    if (!f) return;
    f.addEventListener("change", function () { item.classList.add("is-dirty"); });
    f.addEventListener("submit", function (event) {
      var action = event.submitter ? event.submitter.value : "save";
      if (action === "reset") return; // a plain post: the page comes back with the new suggestion
      event.preventDefault();
      submit(f, action);
    });
  });

  function typing(target) {
    var tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    return tag === "INPUT" && !/^(checkbox|radio|button|submit)$/i.test(target.type);
  }

  document.addEventListener("keydown", function (event) {
    var key = event.key;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "s") {
      var f0 = form();
      if (f0) { event.preventDefault(); submit(f0, "save"); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (key === "j" || key === "ArrowDown") { event.preventDefault(); select(current + 1); return; }
    if (key === "k" || key === "ArrowUp") { event.preventDefault(); select(Math.max(current - 1, 0)); return; }
    if (key === "/") {
      var search = document.querySelector(".ct-filters input[name=q]");
      if (search) { event.preventDefault(); search.focus(); }
      return;
    }
    if (key === "?") { var help = document.getElementById("ct-help"); if (help) help.open = !help.open; return; }
    var f = form();
    if (!f) return;
    if (key === "Enter") {
      if (event.target.tagName === "BUTTON" || event.target.tagName === "A") return;
      event.preventDefault(); submit(f, "save"); return;
    }
    if (key === "a") { event.preventDefault(); submit(f, "accept"); return; }
    if (key === "s") {
      var sentiment = f.querySelector("select[name=sentiment]");
      sentiment.selectedIndex = (sentiment.selectedIndex + 1) % sentiment.options.length;
      items[current].classList.add("is-dirty");
      var shown = items[current].querySelector("[data-sentiment]");
      if (shown) shown.textContent = sentiment.options[sentiment.selectedIndex].text;
      event.preventDefault();
      return;
    }
    if (key.length !== 1 || !/[0-9a-z]/i.test(key)) return;
    var box = f.querySelector('input[data-hotkey="' + key.toLowerCase() + '"]');
    if (box) {
      event.preventDefault();
      box.checked = !box.checked;
      items[current].classList.add("is-dirty");
    }
  });

  var hash = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  select(hash && items.indexOf(hash) >= 0 ? items.indexOf(hash) : 0, !!hash);
})();
