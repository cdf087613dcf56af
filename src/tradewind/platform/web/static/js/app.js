// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Every HTMX request carries the page's CSRF token (the server refuses a write without it;
  // forms also hold it as a hidden field, so they work without this file).
  document.addEventListener("htmx:configRequest", function (ev) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) { ev.detail.headers["X-CSRF-Token"] = meta.content; }
  });
  // The site picker submits itself when changed (a Go button is shown without JavaScript).
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el && el.matches && el.matches("select[data-autosubmit]")) { el.form.submit(); }
  });
  // Forms marked data-once disable their buttons after the first submit. The server is the
  // real guard (the form carries an Idempotency-Key); this just stops accidental double clicks.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches("form[data-once]")) { return; }
    if (form.dataset.sent === "1") { ev.preventDefault(); return; }
    form.dataset.sent = "1";
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
})();
