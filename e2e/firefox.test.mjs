// The engine suite (e2e/engines/suite.mjs) in Firefox ESR, driven over WebDriver BiDi.
import { engineSuite } from './engines/suite.mjs';

engineSuite('firefox');
