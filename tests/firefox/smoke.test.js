// Firefox smoke test: the built dist/firefox installed as a temporary add-on in Debian's Firefox ESR, driven by
// puppeteer-core over WebDriver BiDi, against the LinkedIn replica (served by request interception at the real
// URLs, see puppeteer-replica.js). It proves the Firefox build installs, its content script runs on the page, its
// background script runs the Wasm engine (the overlay's plan comes from it), and the guided overlay turns a
// setting off on the (replica) server and confirms it from a fresh load. (WebDriver BiDi refuses to navigate a tab
// to moz-extension:// pages, so the popup itself is covered by the Chromium tests only.)
// Environment: FIREFOX_PATH (default /usr/bin/firefox-esr), LINKEDOUT_EXTENSION_FIREFOX (default dist/firefox),
// LINKEDOUT_HEADLESS=0 for a window.
/* global document */ // page.evaluate bodies run in the page
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

import puppeteer from 'puppeteer-core';

import { createReplica } from '../replica/server.js';
import { REPO_ROOT, waitFor } from '../support/harness.js';
import { FAST_LATENCY, RULE_BY_ID, keyOf } from '../support/linkedout.js';
import { replicaContext } from './puppeteer-replica.js';

const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
const EXTENSION_DIR = (() => {
  const dir = process.env.LINKEDOUT_EXTENSION_FIREFOX || 'dist/firefox';
  return isAbsolute(dir) ? dir : join(REPO_ROOT, dir);
})();
const GECKO_ID = 'linkedout@linkedout.invalid';
const AI = RULE_BY_ID.get('ai_training');

/** The overlay's shadow-root text, '' when there is no overlay. */
function overlayText(page) {
  return page.evaluate(() => document.querySelector('linkedout-overlay')?.shadowRoot?.textContent ?? '');
}

describe('Firefox ESR: the Firefox build loads and works on the replica', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  let browser;
  let rc;

  before(async () => {
    assert.ok(existsSync(FIREFOX_PATH), `no Firefox at ${FIREFOX_PATH}: run \`cargo xtask setup\` (Debian firefox-esr)`);
    assert.ok(existsSync(join(EXTENSION_DIR, 'manifest.json')), `no built extension at ${EXTENSION_DIR}: run \`cargo xtask build\``);
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: process.env.LINKEDOUT_HEADLESS !== '0',
      extraPrefsFirefox: {
        'intl.locale.requested': 'en-US',
        'intl.accept_languages': 'en-US, en',
      },
    });
    const id = await browser.installExtension(EXTENSION_DIR);
    assert.equal(id, GECKO_ID, 'the add-on id is the manifest\'s gecko id');
    rc = replicaContext(browser);
    await replica.install(rc.context);
  });

  after(async () => {
    await browser?.close();
  });

  test('the guided overlay offers, turns the AI-training setting off on the server and confirms it', async () => {
    const page = await rc.newPage();
    try {
      await page.goto(replica.url(AI.paths[0]));
      const button = await page.waitForSelector(
        `linkedout-overlay >>> article[data-setting="${AI.id}"] button.primary`, { timeout: 15000 });
      assert.equal((await button.evaluate((b) => b.textContent)).trim(), 'Turn off', 'a short label');
      assert.equal(await button.evaluate((b) => b.getAttribute('aria-label')), `Turn off ${AI.name.en}`,
        'its accessible name names the setting');
      assert.ok((await overlayText(page)).includes(AI.explanation.en), 'the card explains the setting');
      assert.deepEqual(replica.saves, [], 'showing the overlay saves nothing');

      await button.click();
      await waitFor(async () => /LinkedIn confirms it after a fresh page load/.test(await overlayText(page)),
        { timeoutMs: 20000, what: 'the overlay to confirm the change after a fresh load' });
      assert.equal(replica.stateOf(keyOf(AI.id)), false, 'the server has it off');
      assert.deepEqual(replica.saves.map((s) => [s.key, s.value, s.result]), [[keyOf(AI.id), false, 'applied']]);
    } finally {
      await page.close();
    }
  });
});
