// The engine suite (e2e/engines/suite.mjs) in WebKit, Safari's engine, through WebKitGTK's
// WebDriver.
import { engineSuite } from './engines/suite.mjs';

engineSuite('webkit');
