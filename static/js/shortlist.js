// The shortlist lives in the address (?shortlist=...). Without JavaScript every "Add to
// shortlist" link reloads the page with the group added; with it, the list changes in place
// and every link on the page carries the new list. Nothing is stored on the device.
(function () {
  "use strict";
  var PARAM = "shortlist";
  // The server puts the list in every link between pages; after a change here, the links
  // are brought up to date, except files, posters and the shortlist's own pages.
  var NOT_CARRIED = /^\/(static\/|s\/)|\/poster\/$|\.ics$/;

  function setUpCopyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (!field) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        function done() { if (status) status.textContent = "Link copied. You can paste it into a message."; }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
        } else {
          field.select();
          if (document.execCommand("copy")) done();
        }
      });
    });
    document.querySelectorAll("[data-share]").forEach(function (button) {
      if (!navigator.share) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({ title: document.title, text: button.getAttribute("data-share-text"), url: button.getAttribute("data-share") })
          .catch(function () { /* the visitor closed the share sheet */ });
      });
    });
  }

  setUpCopyButtons();

  var bar = document.querySelector("[data-shortlist-bar]");
  if (!bar || !window.URL || !window.history.replaceState) return;
  var max = parseInt(bar.getAttribute("data-max"), 10);
  var base = bar.getAttribute("data-base");
  var code = bar.getAttribute("data-code");
  var ids = code ? code.split("-") : [];
  var status = document.querySelector("[data-shortlist-status]");

  function withList(url, list) {
    if (list.length) url.searchParams.set(PARAM, list.join("-"));
    else url.searchParams.delete(PARAM);
    return url;
  }

  function toggled(id) {
    if (ids.indexOf(id) !== -1) return ids.filter(function (other) { return other !== id; });
    if (ids.length >= max) return ids.slice();
    return ids.concat([id]);
  }

  function render() {
    var count = ids.length;
    bar.hidden = count === 0;
    bar.querySelector("[data-shortlist-count]").textContent = count + (count === 1 ? " group" : " groups");
    bar.querySelector("[data-shortlist-link]").href = base + (count ? ids.join("-") + "/" : "");

    document.querySelectorAll("[data-shortlist-toggle]").forEach(function (link) {
      var id = link.getAttribute("data-shortlist-toggle");
      var on = ids.indexOf(id) !== -1;
      link.classList.toggle("is-on", on);
      link.querySelector("[data-label]").textContent = on
        ? "✓ On your shortlist — remove"
        : ids.length >= max ? "Your shortlist is full (" + max + " groups)" : "Add to shortlist";
      var next = withList(new URL(window.location.href), toggled(id));
      next.hash = link.id;
      link.href = next.href;
    });

    document.querySelectorAll("a[href]").forEach(function (link) {
      if (link.hasAttribute("data-shortlist-toggle") || link.relList.contains("nofollow")) return;
      var url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin || NOT_CARRIED.test(url.pathname)) return;
      link.href = withList(url, ids).href;
    });

    document.querySelectorAll("form[method=get]").forEach(function (form) {
      var field = form.querySelector("input[name=" + PARAM + "]");
      if (!ids.length) { if (field) field.remove(); return; }
      if (!field) {
        field = document.createElement("input");
        field.type = "hidden";
        field.name = PARAM;
        form.appendChild(field);
      }
      field.value = ids.join("-");
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-shortlist-toggle]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var id = link.getAttribute("data-shortlist-toggle");
    var name = link.getAttribute("data-name");
    var wasOn = ids.indexOf(id) !== -1;
    if (!wasOn && ids.length >= max) {
      status.textContent = "Your shortlist is full. Take a group off to add another.";
      return;
    }
    ids = toggled(id);
    window.history.replaceState(window.history.state, "", withList(new URL(window.location.href), ids).href);
    render();
    var count = ids.length + (ids.length === 1 ? " group" : " groups");
    status.textContent = (wasOn ? "Took " + name + " off your shortlist. " : "Added " + name + " to your shortlist. ") +
      "It has " + count + ".";
  });
})();
