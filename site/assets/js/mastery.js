// Study pages: show your mastery of each task, read from the small summary the quiz engine keeps
// in this browser's storage. Without it (or without JavaScript) the page simply shows no figures.
(function () {
  'use strict';
  var summary;
  try { summary = JSON.parse(localStorage.getItem('issmp-summary') || 'null'); } catch (e) { return; }
  if (!summary || summary.v !== 1 || !summary.tasks || !summary.answers) return;
  document.querySelectorAll('[data-mastery]').forEach(function (el) {
    var t = summary.tasks[el.dataset.mastery];
    if (!t) return;
    el.textContent = t.n ? 'Mastery ' + t.m + '% · ' + t.n + (t.n === 1 ? ' answer' : ' answers') : 'Not practiced yet';
    el.className = 'mastery ' + (t.n ? (t.m >= 85 ? 'm4' : t.m >= 70 ? 'm3' : t.m >= 50 ? 'm2' : 'm1') : 'm0');
    el.hidden = false;
  });
})();
