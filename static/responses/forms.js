/* Response forms: progressive enhancement only; every feature works without this file.
   - Saves the draft every 30 seconds, and when the page is hidden or left, to the form's
     data-autosave-url (the same fields as the form, without files and without "remove"
     ticks, which are decided only by the real buttons).
   - "Print" buttons ([data-print]) on the receipt. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      window.print();
    }
  });

  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-autosave-url");
  var interval = parseInt(form.getAttribute("data-autosave-interval") || "30000", 10);
  var status = document.querySelector("[data-autosave-status]");
  var tokenInput = form.querySelector("input[name=edit_token]");
  var dirty = false;
  var stopped = false;
  var busy = false;

  function markDirty() { dirty = true; }
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  form.addEventListener("submit", function () { stopped = true; });

  function payload() {
    var data = new FormData(form);
    var drop = [];
    data.forEach(function (value, name) {
      if ((window.File && value instanceof File) || /\.remove$/.test(name) || name === "action") {
        drop.push(name);
      }
    });
    drop.forEach(function (name) { data.delete(name); });
    return data;
  }

  function show(text, link) {
    if (!status) { return; }
    status.textContent = text || "";
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = " \u2192";
      status.appendChild(a);
    }
  }

  function save(keepalive) {
    if (!dirty || stopped || busy) { return; }
    busy = true;
    dirty = false;
    fetch(url, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (body) { return { code: response.status, body: body }; });
    }).then(function (result) {
      busy = false;
      if (result.body.saved) {
        if (tokenInput && result.body.edit_token !== undefined) {
          tokenInput.value = result.body.edit_token;
        }
        show(result.body.message);
      } else {
        dirty = true;
        show(result.body.message, result.body.login_url);
        if (result.code === 401 || result.code === 403 || result.code === 409) {
          stopped = true;
        }
      }
    }).catch(function () {
      busy = false;
      dirty = true;
    });
  }

  window.setInterval(function () { save(false); }, interval);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save(true); }
  });
  window.addEventListener("pagehide", function () { save(true); });
})();
