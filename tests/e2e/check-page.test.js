// `cargo xtask check-page` (issue 11, item 7): the rules checked against a saved page, run as a maintainer runs it
// (tests/check-page/check.js, with the built extension, its JSON output and its exit status). On pages saved from
// the replica (MHTML through CDP's Page.captureSnapshot, which is what Chromium's "Save page as... Single File"
// writes; HTML from the live DOM), and on deliberately odd ones: no switch, a switch no rule knows, a switch with only
// its text, and bad input. Each run must click nothing: no request other than GET leaves the page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createReplica } from '../replica/server.js';
import { REPO_ROOT, launchBrowser } from '../support/harness.js';

const AI_PATH = '/mypreferences/d/settings/data-for-ai-improvement';
const AI_URL = `https://www.linkedin.com${AI_PATH}`;
const AI_LABEL = 'Use my data for training content creation AI models';

/** Runs the check on `file` with `args`; resolves {code, result (parsed --json output), stdout, stderr}. */
function checkPage(file, args = []) {
  return new Promise((resolve) => {
    execFile('node', [join(REPO_ROOT, 'tests/check-page/check.js'), file, '--json', ...args],
      { cwd: REPO_ROOT, env: process.env, timeout: 90000 }, (error, stdout, stderr) => {
        let result = null;
        try { result = JSON.parse(stdout); } catch { /* not JSON: a refusal */ }
        resolve({ code: error ? error.code : 0, result, stdout, stderr });
      });
  });
}

/** A minimal settings page as a browser saves it, with the "saved from url" comment Chromium writes. */
function savedHtml(body, url = AI_URL) {
  return `<!DOCTYPE html>\n<!-- saved from url=(${String(url.length).padStart(4, '0')})${url} -->\n`
    + `<html lang="en"><head><meta charset="utf-8"><title>Settings | LinkedIn</title></head><body>${body}</body></html>`;
}

function setting(result, id) {
  const s = result.settings.find((x) => x.id === id);
  assert.ok(s, `${id} is in the check's output: ${JSON.stringify(result.settings)}`);
  return s;
}

describe('check-page: the rules against a saved page', () => {
  let dir;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'linkedout-check-page-'));
    const replica = createReplica({});
    const browser = await launchBrowser({ replica });
    try {
      const save = async (name, variant = {}) => {
        replica.reset();
        Object.assign(replica.variant, variant);
        const page = await browser.context.newPage();
        await page.goto(replica.url(AI_PATH));
        await page.locator('input[role="switch"]').waitFor();
        const cdp = await browser.context.newCDPSession(page);
        const { data } = await cdp.send('Page.captureSnapshot', { format: 'mhtml' });
        writeFileSync(join(dir, `${name}.mhtml`), data);
        writeFileSync(join(dir, `${name}.html`), await page.content());
        await page.close();
      };
      await save('ai');
      // LinkedIn renamed the switch's id: only its text is left to recognise it by.
      await save('renamed', { renameLabelledby: { allowDataForGenerativeAI: 'genAiDataUse' } });
    } finally {
      await browser.close();
    }
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a page saved as MHTML: opened at the URL it names, its switch found by the rules, nothing clicked', async () => {
    const { code, result, stderr } = await checkPage(join(dir, 'ai.mhtml'));
    assert.equal(code, 0, stderr);
    assert.equal(result.saved_as, 'mhtml');
    assert.equal(result.url, AI_URL);
    assert.deepEqual(result.page, { kind: 'setting', setting_ids: ['ai_training'] });
    const ai = setting(result, 'ai_training');
    assert.equal(ai.found, true);
    assert.equal(ai.switch.labelledby, 'allowDataForGenerativeAI');
    assert.equal(ai.switch.label, AI_LABEL);
    assert.equal(ai.confidence, 100, 'labelledby, path and text');
    // Chromium's serializer writes no `checked` the page set by script: the saved switch shows off, as the file has it.
    assert.equal(ai.state, 'off');
    assert.equal(ai.action, 'already_off');
    assert.deepEqual(result.unknown_switches, []);
    assert.equal(result.requests.not_get, 0, 'nothing saved, nothing clicked');
    assert.equal(result.all_expected_found, true);
  });

  test('a page saved as HTML from the live DOM: needs --url (it names none), then the same finding', async () => {
    const file = join(dir, 'ai.html');
    const refused = await checkPage(file);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /does not say where it was saved from.*--url/);
    const { code, result, stderr } = await checkPage(file, ['--url', AI_URL]);
    assert.equal(code, 0, stderr);
    assert.equal(result.saved_as, 'html');
    const ai = setting(result, 'ai_training');
    assert.equal(ai.found, true);
    assert.equal(ai.confidence, 100);
    assert.equal(result.requests.not_get, 0);
  });

  test('a page where LinkedIn renamed the id: found by text only, below the threshold, exit status 3', async () => {
    const { code, result } = await checkPage(join(dir, 'renamed.mhtml'));
    assert.equal(code, 3, 'a setting the rules expect is not found with confidence');
    const ai = setting(result, 'ai_training');
    assert.equal(ai.found, true);
    assert.equal(ai.confidence, 40, 'path and text, no structure');
    assert.equal(ai.action, 'manual');
    assert.equal(ai.reason, 'low_confidence');
    assert.match(ai.would, /by hand/);
    assert.equal(result.all_expected_found, false);
  });

  test('odd: a settings page with no switch at all: not found, and the check says so', async () => {
    const file = join(dir, 'empty.html');
    writeFileSync(file, savedHtml('<main><h1>Data for Generative AI Improvement</h1><p>Loading…</p></main>'));
    const { code, result } = await checkPage(file);
    assert.equal(code, 3);
    assert.equal(result.switches, 0);
    const ai = setting(result, 'ai_training');
    assert.equal(ai.found, false);
    assert.equal(ai.action, 'missing');
    assert.match(ai.would, /not_found/);
  });

  test('odd: a switch no rule knows beside the known one (which is on): listed as unknown, the known one offered', async () => {
    const file = join(dir, 'unknown.html');
    writeFileSync(file, savedHtml('<main>'
      + `<div><span id="allowDataForGenerativeAI">${AI_LABEL}</span>`
      + '<input type="checkbox" role="switch" aria-labelledby="allowDataForGenerativeAI" checked></div>'
      + '<div><span id="allowDataForAgents">Let AI agents act on my data</span>'
      + '<input type="checkbox" role="switch" aria-labelledby="allowDataForAgents" checked></div></main>'));
    const { code, result } = await checkPage(file);
    assert.equal(code, 0);
    const ai = setting(result, 'ai_training');
    assert.equal(ai.state, 'on');
    assert.equal(ai.action, 'offer', 'offered, never clicked: no run, no yes');
    assert.match(ai.would, /after your yes/);
    assert.equal(result.unknown_switches.length, 1);
    assert.equal(result.unknown_switches[0].labelledby, 'allowDataForAgents');
    assert.equal(result.unknown_switches[0].label, 'Let AI agents act on my data');
    assert.equal(result.requests.not_get, 0);
  });

  test('odd: a switch with only its text (no id, no aria-labelledby): text alone never acts', async () => {
    const file = join(dir, 'text-only.html');
    writeFileSync(file, savedHtml(`<main><label><span>${AI_LABEL}</span><input type="checkbox" role="switch" checked></label></main>`));
    const { code, result } = await checkPage(file);
    assert.equal(code, 3);
    const ai = setting(result, 'ai_training');
    assert.equal(ai.found, true);
    assert.equal(ai.switch.labelledby, null);
    assert.equal(ai.confidence, 40);
    assert.equal(ai.action, 'manual');
    assert.deepEqual(result.unknown_switches, []);
  });

  test('bad input: a page that is not a settings page, a missing file, an empty one: a clear message, exit 1', async () => {
    const feed = join(dir, 'feed.html');
    writeFileSync(feed, savedHtml('<main>Feed</main>', 'https://www.linkedin.com/feed/'));
    const notSettings = await checkPage(feed);
    assert.equal(notSettings.code, 1);
    assert.match(notSettings.stderr, /is not one of LinkedIn's settings pages/);
    const missing = await checkPage(join(dir, 'nope.mhtml'));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no such file/);
    const empty = join(dir, 'empty.mhtml');
    writeFileSync(empty, '');
    const emptied = await checkPage(empty);
    assert.equal(emptied.code, 1);
    assert.match(emptied.stderr, /empty/);
  });
});
