// What the member sees in the extension's own pages, rendered from Rust (crates/pages), end to end against the
// replica: the popup's status line and its main action fit a 400×600 popup without scrolling (first run, after a
// check, after a run) and name the setting a run is at; the confirmation keeps its button in view, selects per
// group and says honestly what it will do; nothing to guide is good news, not an error; the report page keeps
// what LinkedOut changed across runs, exports the same JSON as the popup plus CSV, and offers Check and Put back.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

import { createReplica } from '../replica/server.js';
import { waitFor } from '../support/harness.js';
import {
  FAST_LATENCY, OPTIONAL, RECOMMENDED, RULE_BY_ID, SETTINGS, checkAgainFromPopup, confirmationItems, entryOf,
  extensionFor, keyOf, nowIso, serverStates, startOptOutFromPopup, waitForNoRun, waitForReport,
} from '../support/linkedout.js';

const RUN_TIMEOUT = 90000;
const POPUP = { width: 400, height: 600 };

/** The popup at popup size, its rules loaded. */
async function openPopup(ext) {
  const page = await ext.context.newPage();
  await page.setViewportSize(POPUP);
  await page.goto(`chrome-extension://${ext.extensionId}/popup.html`);
  await waitFor(() => page.getByRole('button', { name: 'Opt out of everything', exact: true }).isEnabled(),
    { what: 'the popup to load the rules', timeoutMs: 10000 });
  return page;
}

/** The report page, drawn. */
async function openReportPage(ext) {
  const page = await ext.context.newPage();
  await page.goto(`chrome-extension://${ext.extensionId}/report.html`);
  await page.locator('#overview-title').waitFor({ timeout: 10000 });
  return page;
}

/** Whether the element lies wholly inside the viewport, with the page scrolled to the top. */
function withinFold(page, selector) {
  return page.evaluate((sel) => {
    window.scrollTo(0, 0);
    const el = document.querySelector(sel);
    if (!el) return `${sel}: not there`;
    const r = el.getBoundingClientRect();
    const ok = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
    return ok ? true : `${sel} at ${Math.round(r.top)}..${Math.round(r.bottom)} of ${window.innerHeight}`;
  }, selector);
}

/** The status line and the primary action are there without scrolling; returns the heading's words. */
async function assertStatusAboveFold(page, what) {
  for (const sel of ['#status-title', '#status-line', '#status button.primary']) {
    assert.equal(await withinFold(page, sel), true, `${what}: ${sel} is above the fold at 400×600`);
  }
  assert.equal(await page.locator('#status').evaluate((el) => el === document.querySelector('#view').firstElementChild), true,
    `${what}: the status line comes first`);
  return page.locator('#status-title').innerText();
}

describe('the popup: a dashboard', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);

  test('first run, after a check, after a run: the status line and its main action fit 400×600; each setting is a row with a worded pill', async () => {
    const popup = await openPopup(ext);
    assert.equal(await assertStatusAboveFold(popup, 'first run'), 'Not checked yet');
    assert.equal(await popup.locator('#status button.primary').innerText(), 'Check my settings');
    const rows = popup.locator('#groups li.setting');
    assert.equal(await rows.count(), SETTINGS.length, 'one row per setting');
    assert.deepEqual([...new Set(await popup.locator('#groups .pill').allInnerTexts())], ['Unknown'], 'never read: Unknown, in words');
    // The explanation sits behind a disclosure.
    const first = SETTINGS[0];
    const disclose = popup.locator(`#disclose-${first.id}`);
    assert.equal(await disclose.getAttribute('aria-expanded'), 'false');
    assert.equal(await popup.locator(`#more-${first.id}`).isVisible(), false);
    await disclose.click();
    assert.equal(await disclose.getAttribute('aria-expanded'), 'true');
    assert.match(await popup.locator(`#more-${first.id}`).innerText(), /Not checked yet/);

    // After a check that finds two recommended settings off: "N settings share your data", Opt out primary.
    for (const id of ['ai_training', 'research']) replica.account.settings[keyOf(id)] = false;
    const since = await checkAgainFromPopup(popup);
    await waitForReport(ext, { since, mode: 'check', timeoutMs: RUN_TIMEOUT });
    const on = SETTINGS.length - 2;
    await popup.locator('#status-title').getByText(`${on} settings share your data`, { exact: true }).waitFor({ timeout: 10000 });
    await assertStatusAboveFold(popup, 'after a check');
    assert.equal(await popup.locator('#status button.primary').innerText(), 'Opt out of everything');
    assert.equal(await popup.locator('li.setting[data-setting="ai_training"] .pill').innerText(), 'Off');
    assert.equal(await popup.locator('li.setting[data-setting="gender"] .pill').innerText(), 'On');

    // After an opt-out of the recommended ones: all set, dated, with the date of the check.
    const run = await startOptOutFromPopup(popup);
    await waitForReport(ext, { since: run.since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    await popup.bringToFront();
    await popup.locator('#status-title').getByText('All set', { exact: true }).waitFor({ timeout: 10000 });
    await assertStatusAboveFold(popup, 'after a run');
    assert.match(await popup.locator('#status-line').innerText(), new RegExp(`^All ${RECOMMENDED.length} recommended settings are off — checked \\w+`));
    assert.equal(await popup.locator('#status button.primary').innerText(), 'Check again');
    assert.ok(await popup.getByRole('button', { name: 'Opt out of everything', exact: true }).isVisible(),
      'Opt out stays at hand for the optional settings');
    await popup.close();
  });

  test('while a run goes on, the popup names the setting it is at and how far it is, and offers Stop', async () => {
    const popup = await openPopup(ext);
    const selection = ['ai_training', 'gender', 'research'];
    const { since } = await startOptOutFromPopup(popup, { select: selection });
    await popup.bringToFront();
    const names = selection.map((id) => RULE_BY_ID.get(id).name.en);
    const seen = await waitFor(async () => {
      const line = await popup.locator('#status-line').innerText().catch(() => '');
      const m = line.match(/^Now: (.+) \((\d) of (\d) done\)/);
      return m && names.includes(m[1]) ? m : null;
    }, { what: 'the popup to name the setting the run is at', timeoutMs: RUN_TIMEOUT });
    assert.equal(seen[3], String(selection.length), 'of the three selected');
    assert.equal(await popup.locator('#status-title').innerText(), 'Turning your settings off');
    assert.equal(await popup.locator('#status button.primary').innerText(), 'Stop');
    assert.equal(await withinFold(popup, '#progress-bar'), true, 'the progress bar is in view');
    // The live region says it for a screen reader.
    assert.match(await popup.locator('#live').textContent(), /Turning your settings off\. /);
    await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    await popup.close();
  });

  test('"Guide me" with every recommended setting already off says all set, as good news; no raw code on screen', async () => {
    const at = new Date().toISOString();
    await ext.storageSet({
      states: { version: 1, settings: Object.fromEntries(SETTINGS.map((s) => [s.id, { state: 'off', checked_at: at }])) },
    });
    const popup = await openPopup(ext);
    await popup.getByRole('button', { name: 'Guide me', exact: true }).click();
    const notice = popup.locator('#notices .notice');
    await notice.first().waitFor({ timeout: 10000 });
    assert.deepEqual(await notice.evaluateAll((ns) => ns.map((n) => n.className)), ['notice good']);
    assert.match(await notice.innerText(), /^All set: /);
    const text = await popup.locator('body').innerText();
    assert.doesNotMatch(text, /Something went wrong|nothing_to_guide|error_|\b[a-z]+_[a-z_]+\b/, 'no code reaches the screen');
    await popup.close();
  });
});

describe('the popup: the confirmation', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);
  let popup;

  beforeEach(async () => {
    popup = await openPopup(ext);
    await popup.getByRole('button', { name: 'Opt out of everything', exact: true }).click();
    await popup.locator('#confirm-list li').first().waitFor();
  });

  test('the confirm button and the count stay in view however far the list scrolls; focus starts on the heading', async () => {
    assert.equal(await popup.locator('#confirm-title').evaluate((el) => el === document.activeElement), true);
    const scrolls = await popup.evaluate(() => document.documentElement.scrollHeight > window.innerHeight);
    assert.ok(scrolls, 'the list is longer than the popup (else this test proves nothing)');
    for (const where of ['top', 'middle', 'bottom']) {
      await popup.evaluate((w) => {
        const max = document.documentElement.scrollHeight - window.innerHeight;
        window.scrollTo(0, w === 'top' ? 0 : w === 'middle' ? max / 2 : max);
      }, where);
      for (const sel of ['#confirm-go', '#confirm-count']) {
        const inView = await popup.locator(sel).evaluate((el) => {
          const r = el.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
        });
        assert.ok(inView, `${sel} is in view with the list scrolled to the ${where}`);
      }
    }
  });

  test('the label says what will happen: the recommended ones, all, or a count; per-group boxes select their group', async () => {
    const go = popup.locator('#confirm-go');
    const count = popup.locator('#confirm-count');
    assert.equal(await go.innerText(), `Turn off the ${RECOMMENDED.length} recommended`);
    assert.equal(await count.innerText(), `${RECOMMENDED.length} of ${SETTINGS.length} selected · ${OPTIONAL.length} optional ones stay as they are`);
    // The accessible name still begins "Turn off" (the automation contract).
    assert.ok(await popup.getByRole('button', { name: /^Turn off/ }).isVisible());

    // The marketing group has a recommended and an optional setting: its box is mixed, then selects both.
    const marketing = SETTINGS.filter((s) => s.group === 'marketing').map((s) => s.id);
    assert.ok(marketing.length >= 2 && marketing.some((id) => OPTIONAL.includes(id)), 'marketing mixes recommended and optional');
    const box = popup.getByRole('checkbox', { name: /^Select all\W+Marketing$/ });
    assert.equal(await box.evaluate((el) => el.indeterminate), true, 'some of the group is selected');
    await box.check();
    for (const id of marketing) assert.equal(await popup.locator(`#c-${id}`).isChecked(), true, `${id} selected with its group`);
    assert.equal(await box.evaluate((el) => el.indeterminate), false);
    const n = RECOMMENDED.length + marketing.filter((id) => OPTIONAL.includes(id)).length;
    assert.equal(await go.innerText(), `Turn off ${n} settings`, 'no longer just the recommended ones');

    // Unticking a whole group counts down, and a single setting back shows the group mixed again.
    const ads = SETTINGS.filter((s) => s.group === 'ads').map((s) => s.id);
    const adsBox = popup.getByRole('checkbox', { name: /^Select all\W+Ads$/ });
    await adsBox.uncheck();
    for (const id of ads) assert.equal(await popup.locator(`#c-${id}`).isChecked(), false, `${id} unselected with its group`);
    assert.equal(await go.innerText(), `Turn off ${n - ads.length} settings`);
    await popup.locator(`#c-${ads[0]}`).check();
    assert.equal(await adsBox.evaluate((el) => el.indeterminate), true);

    // What is sent is what the boxes say.
    const chosen = (await confirmationItems(popup)).filter((i) => i.checked).map((i) => i.id);
    const since = nowIso();
    await go.click();
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    const selected = report.settings.filter((s) => !(s.outcome === 'skipped' && s.note?.code === 'not_selected')).map((s) => s.id);
    assert.deepEqual(selected.sort(), chosen.sort());
    const server = serverStates(replica);
    for (const id of SETTINGS.map((s) => s.id)) assert.equal(server[id], !chosen.includes(id), `${id} on the server`);
  });
});

describe('the report page', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);

  test('the ledger keeps what LinkedOut turned off across runs; the summary leaves out settings not in the run', async () => {
    const popup = await openPopup(ext);
    const first = ['ai_training', 'gender'];
    const run1 = await startOptOutFromPopup(popup, { select: first });
    await waitForReport(ext, { since: run1.since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    // A second run of the same settings finds them already off.
    const since2 = nowIso();
    assert.equal((await ext.sendMessage({ type: 'start_run', mode: 'opt_out', settings: first })).ok, true);
    const second = await waitForReport(ext, { since: since2, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    for (const id of first) assert.equal(entryOf(second, id).outcome, 'already_off', id);

    const page = await openReportPage(ext);
    const changes = page.locator('#ledger li.change');
    await changes.first().waitFor({ timeout: 10000 });
    assert.deepEqual(await changes.evaluateAll((ls) => ls.map((l) => l.dataset.setting)), first, 'both still listed as turned off');
    for (const text of await changes.allInnerTexts()) assert.match(text, /: Turned off/);
    assert.equal(await page.locator('#ledger .ledger-run').count(), 1, 'one run changed something');
    // The latest report: already off, twice, once; no row and no count for the eleven not selected.
    assert.equal(await page.locator('#report-summary').innerText(), 'Was already off: 2');
    assert.equal(await page.locator('#report tbody tr[data-setting]').count(), first.length);
    assert.equal(await page.locator('#report tbody th[scope="rowgroup"]').count(), 1, 'one group heading, not one line per row');
    assert.equal(await page.locator('#history details').count(), 1);
    await page.close();
    await popup.close();
  });

  test('export: the same JSON from the popup and from the report page, with a format and a version; CSV too', async () => {
    const popup = await openPopup(ext);
    const run = await startOptOutFromPopup(popup, { select: ['ai_training'] });
    const report = await waitForReport(ext, { since: run.since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    await popup.bringToFront();
    const download = async (page, name) => {
      const button = page.getByRole('button', { name, exact: true });
      await button.waitFor({ timeout: 10000 });
      const [file] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), button.click()]);
      return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
    };
    const fromPopup = await download(popup, 'Export JSON');
    const page = await openReportPage(ext);
    const fromPage = await download(page, 'Export JSON');
    assert.equal(fromPage.text, fromPopup.text, 'byte for byte the same');
    assert.equal(fromPage.name, fromPopup.name);
    const exported = JSON.parse(fromPage.text);
    assert.deepEqual(Object.keys(exported), ['format', 'version', 'report', 'history']);
    assert.equal(exported.format, 'linkedout-report');
    assert.equal(exported.version, 1);
    assert.deepEqual(exported.report, report);

    const csv = await download(page, 'Export CSV');
    assert.match(csv.name, /\.csv$/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0], '"run_started_at","run_finished_at","mode","setting_id","setting","outcome","outcome_words","before","after","checked_at","note_words"');
    assert.equal(lines.length, 2, 'one line for the one setting of the run (not selected ones left out)');
    assert.match(lines[1], /"opt_out","ai_training","Data for Generative AI Improvement","turned_off","Turned off \(confirmed after reloading\)","On","Off"/);
    await page.close();
    await popup.close();
  });

  test('Check and Put back from the report page', async () => {
    const page = await openReportPage(ext);
    assert.equal(await page.locator('#empty').isVisible(), true, 'no report yet, said so');
    const since = nowIso();
    await page.getByRole('button', { name: 'Check my settings', exact: true }).click();
    const check = await waitForReport(ext, { since, mode: 'check', timeoutMs: RUN_TIMEOUT });
    assert.equal(check.settings.length, SETTINGS.length);
    assert.deepEqual(replica.saves, [], 'a check saves nothing');
    await waitForNoRun(ext);

    const selection = ['research', 'age_range'];
    const popup = await openPopup(ext);
    const run = await startOptOutFromPopup(popup, { select: selection });
    await waitForReport(ext, { since: run.since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    await popup.close();
    await page.bringToFront();
    const putBack = page.getByRole('button', { name: 'Put back what LinkedOut changed', exact: true });
    await putBack.waitFor({ timeout: 10000 });
    await putBack.click();
    const inRulesOrder = SETTINGS.filter((s) => selection.includes(s.id)).map((s) => s.name.en);
    assert.deepEqual(await page.locator('#restore-list li').allInnerTexts(), inRulesOrder);
    assert.equal(await page.locator('#restore-title').evaluate((el) => el === document.activeElement), true);
    replica.saves.length = 0;
    const since2 = nowIso();
    await page.getByRole('button', { name: 'Switch them back on', exact: true }).click();
    const restore = await waitForReport(ext, { since: since2, mode: 'restore', timeoutMs: RUN_TIMEOUT });
    for (const id of selection) assert.equal(entryOf(restore, id).outcome, 'restored', id);
    assert.deepEqual(replica.saves.map((s) => [s.key, s.value]).sort(), selection.map((id) => [keyOf(id), true]).sort());
    // The ledger now shows the put back above the turned off.
    await page.locator('#ledger .ledger-run').nth(1).waitFor({ timeout: 10000 });
    assert.match(await page.locator('#ledger .ledger-run').first().innerText(), /^Put back/);
    await page.close();
  });
});
