// Behaviour every page shares; no page carries inline script (Content-Security-Policy).
document.addEventListener("DOMContentLoaded", () => {
  // The language menu switches at once; without JavaScript its button does.
  for (const select of document.querySelectorAll("select[data-submit-on-change]")) {
    select.addEventListener("change", () => select.form.submit());
  }
});
