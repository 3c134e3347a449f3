/* Tilik's respondent forms without a network (served as /f/sw.js, scope /f/).
 *
 * - a form's address (/f/<token>/): the network first, the copy kept on the phone when the
 *   network fails (only complete pages are kept);
 * - static files (their names carry a content hash): the phone's copy first;
 * - nothing else is touched: sending answers (POST) always goes to the network, and the
 *   form's own script keeps unsent answers and sends them when the network is back.
 */
"use strict";
var CACHE = "tilik-formulir";
var FORM = /^\/f\/[^/]+\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (kept) {
        return kept || fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
      });
    }));
    return;
  }
  if (request.mode === "navigate" && FORM.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(url.pathname, { ignoreVary: true }).then(function (kept) {
          if (!kept) { return Response.error(); }
          if (!kept.redirected) { return kept; }
          // a navigation may not be answered with a redirected response: give its body anew
          return kept.blob().then(function (body) {
            return new Response(body, { status: kept.status, statusText: kept.statusText, headers: kept.headers });
          });
        });
      });
    }));
  }
});
