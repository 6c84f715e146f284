// The offline page lists the pages this phone has kept, so a parent with no signal can open
// them. Read from the phone's own store only; nothing is sent anywhere.
(function () {
  "use strict";
  var section = document.getElementById("saved-pages");
  if (!section || !window.caches) return;
  var KEPT = /^\/(groups\/[^/]+|s\/[^/]*)\/?$/;

  function titleOf(response) {
    return response.text().then(function (html) {
      var found = /<title>([^<]*)<\/title>/.exec(html);
      var text = document.createElement("textarea");
      text.innerHTML = found ? found[1] : "";
      return text.value.replace(/ — Moray Peer Support$/, "");
    });
  }

  caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("pages-") === 0; })
      .map(function (name) {
        return caches.open(name).then(function (cache) {
          return cache.keys().then(function (requests) {
            return Promise.all(requests.map(function (request) {
              var path = new URL(request.url).pathname;
              if (!KEPT.test(path)) return null;
              return cache.match(request).then(titleOf).then(function (title) {
                return { path: path, title: title || path };
              });
            }));
          });
        });
      }));
  }).then(function (lists) {
    var pages = [].concat.apply([], lists).filter(Boolean).reverse();
    if (!pages.length) return;
    var list = section.querySelector("ul");
    pages.forEach(function (saved) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = saved.path;
      link.textContent = saved.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    section.hidden = false;
  });
})();
