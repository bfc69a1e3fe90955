// The service worker: it keeps the whole site (pages, engine, question bank) in a cache so that
// every page and the quiz work offline after one visit. `make build` fills in the version and the
// list of files (cmd/postbuild); a new build is a new version, installed in the background and
// used after the page offers a reload. Progress never lives here: it is in IndexedDB.
'use strict';
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const CACHE = 'issmp-' + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) =>
    cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('issmp-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The page asks for the new version to take over when the candidate chooses to reload.
self.addEventListener('message', (event) => {
  if (event.data === 'activate') self.skipWaiting();
  if (event.data === 'version' && event.ports[0]) event.ports[0].postMessage(VERSION);
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return; // sync and anything not ours goes to the network as usual
  }
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // Pages are cached by path: /practice/?scope=... is the practice page.
    const cached = await cache.match(req, { ignoreSearch: req.mode === 'navigate' });
    if (cached) return cached;
    try {
      return await fetch(req);
    } catch (err) {
      if (req.mode === 'navigate') {
        const notFound = await cache.match('/404.html');
        if (notFound) return notFound;
      }
      throw err;
    }
  })());
});
