// Study pages: show your mastery of each task, read from the small summary the quiz engine keeps
// in this browser's storage. Without it (or without JavaScript) the page simply shows no figures.
(function () {
  'use strict';
  var summary;
  try { summary = JSON.parse(localStorage.getItem('issmp-summary') || 'null'); } catch (e) { return; }
  // Version 2 says per task whether the figure rests on enough answers (s), so the threshold lives
  // in the engine alone.
  if (!summary || summary.v !== 2 || !summary.tasks || !summary.answers) return;
  document.querySelectorAll('[data-mastery]').forEach(function (el) {
    var t = summary.tasks[el.dataset.mastery];
    if (!t) return;
    var answers = t.n + (t.n === 1 ? ' answer' : ' answers');
    if (!t.n) {
      el.textContent = 'Not practiced yet';
      el.className = 'mastery m0';
    } else if (!t.s) {
      el.textContent = answers + ': too few to tell';
      el.className = 'mastery uncertain';
    } else {
      el.textContent = 'Mastery ' + t.m + '% · ' + answers;
      el.className = 'mastery ' + (t.m >= 85 ? 'm4' : t.m >= 70 ? 'm3' : t.m >= 50 ? 'm2' : 'm1');
    }
    el.title = el.textContent;
    el.hidden = false;
  });
})();
