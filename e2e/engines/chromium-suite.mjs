// The engine suite in Chromium, to check that its steps are engine-neutral: Chromium's own tests
// (e2e/*.test.mjs) cover the same ground, so `make test` does not run this one.
// Run: node --test e2e/engines/chromium-suite.mjs
import { engineSuite } from './suite.mjs';

engineSuite('chromium');
