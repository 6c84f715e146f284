// Exit this page, after GOV.UK's "Exit this page" component: the button, or Shift pressed
// three times (not while typing in a field), swaps this page for a neutral one with
// location.replace, so Back does not return to it. Nothing can clear the rest of the
// browser's history; the help page says so, and how to browse privately.
(function () {
  "use strict";
  var exit = document.querySelector("[data-quick-exit]");
  if (!exit) return;
  var status = document.querySelector("[data-quick-exit-status]");
  var PRESSES = 3;
  var WITHIN_MS = 5000;
  var presses = 0;
  var timer = null;

  function say(text) {
    if (status) status.textContent = text;
  }

  // The group pages and shortlists kept on the phone for when there's no signal go too. The
  // worker finishes the job if the page has gone before the deletion does.
  function forgetSavedPages() {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("forget-saved-pages");
    }
    if (window.caches) {
      caches.keys().then(function (names) {
        names.forEach(function (name) { if (name.indexOf("pages-") === 0) caches.delete(name); });
      });
    }
  }

  function leave(event) {
    if (event) event.preventDefault();
    forgetSavedPages();
    document.body.textContent = "";
    document.title = "Loading";
    window.location.replace(exit.href);
  }

  function reset() {
    presses = 0;
    clearTimeout(timer);
    say("");
  }

  function typingIn(target) {
    return Boolean(target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)));
  }

  exit.addEventListener("click", leave);
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      if (presses) reset();
      return;
    }
    if (typingIn(event.target)) return;
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(reset, WITHIN_MS);
    if (presses >= PRESSES) {
      say("Exiting this page.");
      leave();
      return;
    }
    var left = PRESSES - presses;
    say("Shift, press " + left + " more time" + (left === 1 ? "" : "s") + " to exit.");
  });
})();

// The sticky bars: never more than a fifth of the screen between them (the shortlist bar
// stops sticking first), and scroll-padding set to their real height so a focused element is
// scrolled clear of them.
(function () {
  "use strict";
  var root = document.documentElement;
  var top = document.querySelector(".exit-bar");
  var bottom = document.querySelector(".shortlist-bar");
  var bars = [top, bottom].filter(Boolean);
  if (!bars.length) return;

  function stuckHeight(bar) {
    if (!bar || bar.hidden || bar.classList.contains("unstuck")) return 0;
    return getComputedStyle(bar).position === "static" ? 0 : bar.offsetHeight;
  }

  function fit() {
    bars.forEach(function (bar) { bar.classList.remove("unstuck"); });
    var limit = window.innerHeight / 5;
    if (stuckHeight(top) + stuckHeight(bottom) > limit && bottom) bottom.classList.add("unstuck");
    if (stuckHeight(top) > limit) top.classList.add("unstuck");
    var gap = 8;
    root.style.setProperty("--stuck-top", (stuckHeight(top) ? stuckHeight(top) + gap : 0) + "px");
    root.style.setProperty("--stuck-bottom", (stuckHeight(bottom) ? stuckHeight(bottom) + gap : 0) + "px");
  }

  fit();
  window.addEventListener("resize", fit);
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(fit);
    observer.observe(root);
    bars.forEach(function (bar) { observer.observe(bar); });
  }
  if (bottom && window.MutationObserver) {
    new MutationObserver(fit).observe(bottom, { attributes: true, attributeFilter: ["hidden"] });
  }
})();

// A form sent back with errors: move focus to its error summary (GOV.UK), where `autofocus`
// has not already.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) summary.focus();
})();

// Keep a few pages on the phone for when there's no signal (the worker is /sw.js, ours),
// registered only once the page has loaded so it never slows the first screen.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js").catch(function () { /* the site works without it */ });
  });
})();
