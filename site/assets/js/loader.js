// Starts the quiz engine (Go compiled to WebAssembly) on the app pages. Everything else is Go.
(function () {
  'use strict';
  var status = document.getElementById('app-status');
  var data = document.body.dataset;
  function fail(message) {
    if (!status) return;
    status.querySelector('[data-role=message]').textContent = message;
    status.classList.add('error');
    status.setAttribute('role', 'alert');
  }
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.compileStreaming !== 'function' || typeof Go !== 'function') {
    fail('This page needs WebAssembly, which this browser does not offer. Use a current version of Chrome, Edge, Firefox or Safari; the study notes work everywhere.');
    return;
  }
  // compileHere compiles on this thread: the fallback where a worker cannot do it.
  function compileHere() {
    return WebAssembly.compileStreaming(fetch(data.wasm));
  }
  // compile has the compile worker (js/compile.js) build the module and warm it up, so the page
  // stays responsive while 5 MB of code is compiled; any failure of the worker falls back to
  // compiling here, which reports a real network error as such.
  function compile() {
    if (typeof Worker !== 'function' || !data.compiler) return compileHere();
    return new Promise(function (resolve, reject) {
      var worker = new Worker(data.compiler);
      worker.onmessage = function (e) {
        if (e.data && e.data.module instanceof WebAssembly.Module) {
          if (e.data.bank) self.issmpBankBytes = e.data.bank; // wasm/app.go reads and deletes it
          retire = worker;
          resolve(e.data.module);
        } else {
          worker.terminate();
          reject(new Error((e.data && e.data.error) || 'no module'));
        }
      };
      worker.onerror = function (e) {
        worker.terminate();
        e.preventDefault();
        reject(new Error(e.message || 'worker failed'));
      };
      worker.postMessage({ wasm: data.wasm, bank: data.bank, exec: data.exec });
    }).catch(compileHere);
  }
  // retire is the compile worker once it has handed over the module. It is ended only when the
  // page is idle: ending it while the page instantiates the module it shares doubled the
  // instantiation on the main thread (20-40 ms against 45-70 ms in Chromium 156, docs/PERFORMANCE.md).
  var retire = null;
  function retireWorker() {
    if (!retire) return;
    var w = retire;
    retire = null;
    if (typeof requestIdleCallback === 'function') requestIdleCallback(function () { w.terminate(); }, { timeout: 5000 });
    else setTimeout(function () { w.terminate(); }, 3000);
  }
  var go = new Go();
  compile()
    .then(function (module) {
      return WebAssembly.instantiate(module, go.importObject).then(function (instance) { retireWorker(); return instance; });
    })
    // Go's start-up in a task of its own, not in the one that instantiated the module.
    .then(function (instance) { return new Promise(function (r) { setTimeout(r, 0); }).then(function () { return go.run(instance); }); })
    .catch(function (err) {
      retireWorker();
      fail('The engine could not start (' + err.message + '). Check your connection and reload the page.');
    });
})();
