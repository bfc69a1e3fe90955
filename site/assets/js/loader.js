// Starts the quiz engine (Go compiled to WebAssembly) on the app pages. Everything else is Go.
(function () {
  'use strict';
  var status = document.getElementById('app-status');
  function fail(message) {
    if (!status) return;
    status.querySelector('[data-role=message]').textContent = message;
    status.classList.add('error');
    status.setAttribute('role', 'alert');
  }
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiateStreaming !== 'function' || typeof Go !== 'function') {
    fail('This page needs WebAssembly, which this browser does not offer. Use a current version of Chrome, Edge, Firefox or Safari; the study notes work everywhere.');
    return;
  }
  var go = new Go();
  WebAssembly.instantiateStreaming(fetch(document.body.dataset.wasm), go.importObject)
    .then(function (result) { return go.run(result.instance); })
    .catch(function (err) {
      fail('The engine could not start (' + err.message + '). Check your connection and reload the page.');
    });
})();
