// Progressive enhancement only: every form and link works without this script.
// - Task forms (done/undo) are sent with fetch and the page body is swapped in place,
//   keeping the scroll position and moving focus back to the same task's button.
// - Filter forms with data-auto-submit refresh the staff list as you type or choose.
// - A page that answered the launch's POST names its own address (data-reload-url): it
//   replaces the launch's in the address bar, so a reload is a GET of the page.
(function () {
  "use strict";

  var reload = document.body && document.body.getAttribute("data-reload-url");
  if (reload) {
    var hash = reload.indexOf("#");
    history.replaceState(null, "", hash < 0 ? reload : reload.slice(0, hash));
    if (hash >= 0) { location.replace(reload.slice(hash)); }
  }

  function swap(html, url, focusId) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.querySelector("main");
    var main = document.querySelector("main");
    if (!fresh || !main) { window.location.assign(url); return; }
    // Keep the live region node itself, so screen readers announce its new text.
    var region = main.querySelector(".status-region");
    var freshRegion = fresh.querySelector(".status-region");
    main.innerHTML = fresh.innerHTML;
    var placed = main.querySelector(".status-region");
    if (region && placed) {
      placed.replaceWith(region);
      region.innerHTML = freshRegion ? freshRegion.innerHTML : "";
    }
    if (doc.title) { document.title = doc.title; }
    history.replaceState(null, "", url);
    var target = focusId && document.getElementById(focusId);
    var button = target && target.querySelector(".task-actions form:not([data-no-swap]) button");
    if (button) { button.focus(); } else if (!focusId) { main.focus(); }
  }

  // One form at a time: a second click (another task) waits until the first answer has
  // been swapped in, so it is sent after the first is saved and its answer shows both.
  // Sent side by side, the first answer could arrive last and show the second undone.
  var sending = Promise.resolve();

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-no-swap")) { return; }
    if (form.method.toLowerCase() !== "post") { return; }
    event.preventDefault();
    var task = form.closest(".task");
    var buttons = form.querySelectorAll("button");
    var body = new FormData(form);
    buttons.forEach(function (b) { b.disabled = true; });
    sending = sending.then(function () {
      return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text().then(function (html) { swap(html, response.url, task && task.id); });
        })
        .catch(function () {
          // without the script's help: a plain post (a form the swap replaced is put back)
          if (!form.isConnected) { form.hidden = true; document.body.appendChild(form); }
          form.submit();
        });
    });
  });

  var timer = null;
  function refresh(form) {
    var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["staff-title"].forEach(function () {
          var fresh = doc.querySelector("section[aria-labelledby='staff-title']");
          var current = document.querySelector("section[aria-labelledby='staff-title']");
          if (fresh && current) { current.innerHTML = fresh.innerHTML; }
        });
        history.replaceState(null, "", url);
      });
  }
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (!form || !form.hasAttribute("data-auto-submit")) { return; }
    clearTimeout(timer);
    timer = setTimeout(function () { refresh(form); }, 250);
  });
})();
