// Moray Peer Support's own service worker: keeps a few pages on the phone for when there's
// no signal. It only ever talks to this site, and stores nothing about the visitor.
"use strict";
var VERSION = "{{ version }}";
// Urgent-help numbers {{ helplines }}: new numbers change this file, so phones install the
// worker again and save fresh copies of the help and offline pages.
var SHELL = "shell-" + VERSION;
var PAGES = "pages-" + VERSION;
var PRECACHE = {{ precache|safe }};
var OFFLINE_URL = {{ offline_url|safe }};
var KEEP = { groups: {{ group_pages_kept }}, shortlists: {{ shortlists_kept }} };
var GROUP_PAGE = /^\/groups\/[^/]+\/$/;
var SHORTLIST = /^\/s\/[^/]*\/?$/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    // Fetched as a visitor with no account would see them: never a signed-in person's copy.
    return Promise.all(PRECACHE.map(function (url) {
      return save(cache, new Request(url, { credentials: "omit" }));
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("message", function (event) {
  if (event.data === "forget-saved-pages") event.waitUntil(caches.delete(PAGES));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== SHELL && name !== PAGES; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// A page is kept by its path alone, so ?shortlist= variants share one saved copy.
function key(url) {
  var u = new URL(url);
  return u.origin + u.pathname;
}

// A page made for someone signed in says so (private, no-store): it never stays on the phone.
function keepable(response) {
  return response.ok && !/no-store|private/.test(response.headers.get("Cache-Control") || "");
}

function save(cache, request) {
  return fetch(request).then(function (response) {
    if (keepable(response)) return store(cache, key(request.url), response);
  });
}

function store(cache, name, response) {
  var headers = new Headers(response.headers);
  headers.set("X-Saved-At", String(Date.now()));
  return response.clone().blob().then(function (body) {
    return cache.delete(name).then(function () {
      return cache.put(name, new Response(body, { status: response.status, headers: headers }));
    });
  });
}

function trim(cache, pattern, keep) {
  return cache.keys().then(function (requests) {
    var matching = requests.filter(function (r) { return pattern.test(new URL(r.url).pathname); });
    var old = matching.slice(0, Math.max(0, matching.length - keep));
    return Promise.all(old.map(function (r) { return cache.delete(r); }));
  });
}

function two(n) { return (n < 10 ? "0" : "") + n; }

var DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];

// "Today" and "Tomorrow" were true when the copy was saved, not when it is read: a saved copy
// gives each such date as the day itself ("Wednesday 2 December"), from its <time datetime>.
function withoutRelativeDays(html) {
  return html.replace(/(<time datetime="(\d{4})-(\d{2})-(\d{2})T[^"]*">)(?:Today|Tomorrow),/g,
    function (match, tag, year, month, day) {
      var date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
      return tag + DAYS[date.getUTCDay()] + " " + Number(day) + " " + MONTHS[date.getUTCMonth()] + ",";
    });
}

// The saved copy, with a plain note at the top of the page saying it is one, and from when.
function savedCopy(response) {
  var at = new Date(Number(response.headers.get("X-Saved-At")) || Date.now());
  var when = at.getDate() + " " + MONTHS[at.getMonth()] + " at " + at.getHours() + ":" + two(at.getMinutes());
  var note = '<p class="notice saved-copy" role="status">You\u2019re offline. This is a copy saved on this phone on ' +
    when + ", so dates or details may have changed since.</p>";
  return response.text().then(function (html) {
    var marked = withoutRelativeDays(html)
      .replace('<main id="main" tabindex="-1">', '<main id="main" tabindex="-1">' + note);
    var headers = new Headers(response.headers);
    headers.set("Content-Type", "text/html; charset=utf-8");
    return new Response(marked, { status: 200, headers: headers });
  });
}

function fromPhone(request) {
  return caches.match(key(request.url)).then(function (saved) {
    if (saved) return savedCopy(saved);
    return caches.match(key(new URL(OFFLINE_URL, self.location.origin).href)).then(function (offline) {
      return offline || new Response("No connection.", { status: 503, headers: { "Content-Type": "text/plain" } });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      var path = url.pathname;
      var kept = GROUP_PAGE.test(path) ? [GROUP_PAGE, KEEP.groups]
        : SHORTLIST.test(path) ? [SHORTLIST, KEEP.shortlists]
        : PRECACHE.indexOf(path) !== -1 ? [null, 0] : null;
      if (kept && keepable(response)) {
        var copy = response.clone();
        event.waitUntil(caches.open(kept[0] ? PAGES : SHELL).then(function (cache) {
          return store(cache, key(request.url), copy).then(function () {
            return kept[0] && trim(cache, kept[0], kept[1]);
          });
        }));
      }
      return response;
    }, function () { return fromPhone(request); }));
    return;
  }

  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(key(request.url)).then(function (saved) {
        return saved || Response.error();
      });
    }));
  }
});
