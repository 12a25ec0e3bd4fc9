/* Response forms: progressive enhancement only; every feature works without this file.
   - Saves the draft every 30 seconds, and when the page is hidden or left, to the form's
     data-autosave-url (the same fields as the form, without files and without "remove"
     ticks, which are decided only by the real buttons).
   - When autosave cannot save (a reply that is not JSON, e.g. an error page, or a 401/403/409),
     a visible alert ([data-autosave-problem]) says so, with a link to reload or log in again.
   - After a refused submit, the error summary ([data-focus-on-load]) gets the focus.
   - "Print" buttons ([data-print]) on the receipt. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      window.print();
    }
  });

  var summary = document.querySelector("[data-focus-on-load]");
  if (summary && summary.focus) {
    summary.focus();
    if (summary.scrollIntoView) { summary.scrollIntoView(); }
  }

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

  var problem = document.querySelector("[data-autosave-problem]");

  function showProblem(message, loginUrl) {
    if (!problem) { return; }
    problem.textContent = "";
    var text = document.createElement("p");
    text.textContent = message || problem.getAttribute("data-message") || "";
    problem.appendChild(text);
    var links = document.createElement("p");
    var reload = document.createElement("a");
    reload.href = window.location.href;
    reload.textContent = problem.getAttribute("data-reload-label") || "";
    links.appendChild(reload);
    if (loginUrl) {
      var login = document.createElement("a");
      login.href = loginUrl;
      login.textContent = problem.getAttribute("data-login-label") || "";
      links.appendChild(document.createTextNode(" \u00b7 "));
      links.appendChild(login);
    }
    problem.appendChild(links);
    problem.hidden = false;
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
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        // An error page (a CSRF refusal, a login page, a server error): not our answer.
        return { code: response.status, body: { saved: false }, broken: true };
      }
      return response.json().then(function (body) {
        return { code: response.status, body: body };
      }, function () {
        return { code: response.status, body: { saved: false }, broken: true };
      });
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
        if (result.broken || result.code === 401 || result.code === 403 || result.code === 409) {
          stopped = true;
          showProblem(result.broken ? "" : result.body.message, result.body.login_url);
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
