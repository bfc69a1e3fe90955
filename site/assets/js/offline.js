// Every page: registers the service worker (offline use, installing to the home screen) and, when
// a new version of the site is ready, offers a reload, except during a mock exam, which an update
// never interrupts.
(function () {
  'use strict';
  if (!('serviceWorker' in navigator)) return;
  var banner;
  var asked = false; // the candidate chose to update: only then does a new worker reload the page
  function examRunning() { return document.body.dataset.exam === 'running'; }
  function offer(worker) {
    if (!banner) {
      banner = document.createElement('div');
      banner.className = 'update-banner';
      banner.setAttribute('role', 'status');
      document.body.appendChild(banner);
    }
    banner.textContent = '';
    var text = document.createElement('span');
    banner.appendChild(text);
    if (examRunning()) {
      text.textContent = 'A new version of ISSMP Study is ready. It will load after your mock exam.';
      return;
    }
    text.textContent = 'A new version of ISSMP Study is ready. ';
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Reload to update';
    button.addEventListener('click', function () {
      button.disabled = true;
      asked = true;
      worker.postMessage('activate');
    });
    banner.appendChild(button);
  }
  // A returning visitor's worker is registered at once (a cheap update check). On a first visit,
  // installing means downloading the whole site into the cache: wait until the page has loaded
  // and settled, so that it does not compete with the page the candidate opened.
  function register() {
    navigator.serviceWorker.register('/sw.js').then(function (reg) {
      function watch(worker) {
        worker.addEventListener('statechange', function () {
          if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
        });
      }
      if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
      if (reg.installing) watch(reg.installing);
      reg.addEventListener('updatefound', function () { watch(reg.installing); });
      // When the exam ends, a waiting update may be offered again.
      new MutationObserver(function () {
        if (reg.waiting && !examRunning()) offer(reg.waiting);
      }).observe(document.body, { attributes: true, attributeFilter: ['data-exam'] });
    }).catch(function () { /* no offline support: the site still works online */ });
  }
  if (navigator.serviceWorker.controller) register();
  else if (document.readyState === 'complete') setTimeout(register, 3000);
  else window.addEventListener('load', function () { setTimeout(register, 3000); });
  var reloading = false;
  // The first visit's worker takes control too (clients.claim): that must not reload the page
  // under the candidate, so only an update they asked for does.
  navigator.serviceWorker.addEventListener('controllerchange', function () {
    if (!asked || reloading || examRunning()) return;
    reloading = true;
    location.reload();
  });
})();
