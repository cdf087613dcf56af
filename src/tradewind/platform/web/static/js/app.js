// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Every HTMX request carries the page's CSRF token (the server refuses a write without it;
  // forms also hold it as a hidden field, so they work without this file).
  document.addEventListener("htmx:configRequest", function (ev) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) { ev.detail.headers["X-CSRF-Token"] = meta.content; }
  });
  // An HTMX request that fails (4xx/5xx) swaps nothing, so without this the click looks
  // ignored. Show the problem's title and detail (problem+json, or the error partial a page
  // answers) in the #flash region of the layout; the next request clears it.
  function problemText(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    var body = xhr.responseText || "";
    if (type.indexOf("json") !== -1) {
      try {
        var p = JSON.parse(body);
        if (p && (p.title || p.detail)) {
          return [p.title || p.code, p.detail].filter(Boolean).join(": ");
        }
      } catch (e) { /* not JSON after all: fall through */ }
    } else if (type.indexOf("html") !== -1 && window.DOMParser) {
      var doc = new DOMParser().parseFromString(body, "text/html");
      var err = doc.querySelector(".error p") || doc.querySelector(".error");
      if (err && err.textContent.trim()) { return err.textContent.replace(/\s+/g, " ").trim(); }
    }
    return "The server answered " + xhr.status + (xhr.statusText ? " " + xhr.statusText : "") + ".";
  }
  function flash(text, status) {
    var box = document.getElementById("flash");
    if (!box) { return; }
    box.textContent = "";
    var msg = document.createElement("p");
    msg.className = "flash-message";
    msg.textContent = text;
    box.appendChild(msg);
    if (status) { box.setAttribute("data-status", String(status)); }
    box.hidden = false;
    if (box.scrollIntoView) { box.scrollIntoView({ block: "nearest" }); }
  }
  document.addEventListener("htmx:responseError", function (ev) {
    var xhr = ev.detail && ev.detail.xhr;
    if (xhr) { flash(problemText(xhr), xhr.status); }
  });
  document.addEventListener("htmx:sendError", function () {
    flash("The server could not be reached; check the connection and try again.", 0);
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("flash");
    if (box && !box.hidden) { box.hidden = true; box.textContent = ""; }
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
