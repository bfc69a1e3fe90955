// The quiz engine's compile worker. It compiles the WebAssembly module and fetches the question
// bank off the page's main thread, runs the engine's start-up once here (Go's warm-up mode: no
// page, progress in memory), and posts the module and the bank's bytes back. Each step moves work
// off the page: streaming compilation decodes the 5 MB module on the thread that asks for it,
// reading a response body costs the thread that reads it, and V8 compiles each function lazily on
// its first call, sharing the code with every thread that holds the module (docs/PERFORMANCE.md).
'use strict';
var handedBank = 'issmpBankBytes'; // wasm/app.go reads and deletes it

self.onmessage = function (e) {
  var job = e.data;
  var bank = fetch(job.bank)
    .then(function (r) { return r.ok ? r.arrayBuffer() : null; })
    .catch(function () { return null; }); // the page fetches it again and reports the error
  WebAssembly.compileStreaming(fetch(job.wasm)).then(function (module) {
    return bank.then(function (bytes) {
      function done() {
        self.postMessage({ module: module, bank: bytes }, bytes ? [bytes] : []);
      }
      warmUp(module, job, bytes).then(done, done);
    });
  }).catch(function (err) {
    self.postMessage({ error: String((err && err.message) || err) });
  });
};

// warmUp resolves when the warm-up has run, failed, or taken longer than a few seconds: it only
// ever saves time, so nothing waits for it long.
function warmUp(module, job, bytes) {
  return new Promise(function (resolve) {
    setTimeout(resolve, 5000);
    importScripts(job.exec);
    var go = new Go();
    go.env = { ISSMP_WARM_UP: '1', ISSMP_BANK: job.bank };
    if (bytes) self[handedBank] = bytes.slice(0); // Go takes its own copy; the original goes back
    WebAssembly.instantiate(module, go.importObject)
      .then(function (instance) { return go.run(instance); })
      .then(resolve, resolve);
  }).catch(function () {});
}
