// "Opt out of everything" from the popup, end to end: the confirmation lists each change, one yes, every
// recommended setting turned off and confirmed by the replica's SERVER state; the edge cases (a refused save,
// a region without the affiliates page, the service worker stopped mid-run, sign-in), undo, "Check again",
// other languages, the exported report and the badge.
import { readFile } from 'node:fs/promises';
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { AFFILIATES_PATHS } from '../replica/catalog.js';
import { createReplica } from '../replica/server.js';
import { waitFor } from '../support/harness.js';
import {
  FAST_LATENCY, OPTIONAL, RECOMMENDED, RULE_BY_ID, SETTINGS, badgeText, checkAgainFromPopup, clickAnswers,
  confirmationItems, divertClicks, documentLoads, entryOf, extensionFor, keyOf, nowIso, outcomes, reportProblems,
  restoreClicks, savesById, serverStates, startOptOutFromPopup, stopServiceWorker, waitForReport,
} from '../support/linkedout.js';

const RUN_TIMEOUT = 90000;

/** Saves grouped by setting id: {id: [[value, result], ...]}. */
function savesPerId(replica) {
  const out = {};
  for (const s of savesById(replica)) (out[s.id ?? s.key] ??= []).push([s.value, s.result]);
  return out;
}

/** Asserts a whole opt-out of the recommended settings: turned_off on the server, optional ones untouched. */
function assertAllRecommendedTurnedOff(replica, report, { except = [] } = {}) {
  assert.deepEqual(reportProblems(report), []);
  const server = serverStates(replica);
  const saves = savesPerId(replica);
  for (const id of RECOMMENDED.filter((x) => !except.includes(x))) {
    const entry = entryOf(report, id);
    assert.equal(entry?.outcome, 'turned_off', `${id}: outcome ${entry?.outcome} (${JSON.stringify(entry?.note)})`);
    assert.equal(entry.before, 'on', `${id}: before`);
    assert.equal(entry.after, 'off', `${id}: after`);
    assert.equal(server[id], false, `${id} is off on the server`);
    assert.deepEqual(saves[id], [[false, 'applied']], `${id}: exactly one applied save to off`);
  }
  for (const id of OPTIONAL) {
    assert.equal(server[id], true, `optional ${id} untouched on the server`);
    assert.equal(saves[id], undefined, `optional ${id}: no save`);
    assert.equal(entryOf(report, id)?.outcome, 'skipped', `optional ${id} reported skipped`);
  }
}

describe('one click: "Opt out of everything" from the popup', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);
  let popup;

  beforeEach(async () => {
    popup = await ext.openPopup();
    await waitFor(() => popup.getByRole('button', { name: 'Opt out of everything', exact: true }).isEnabled(),
      { what: 'the popup to load the rules', timeoutMs: 10000 });
  });

  test('confirmation lists each change; every recommended setting turned off on the server; optional ones untouched; a second run finds everything already off with zero saves', async () => {
    const { since, items } = await startOptOutFromPopup(popup);
    assert.deepEqual(items.map((i) => i.id), SETTINGS.map((s) => s.id), 'the confirmation lists every setting');
    for (const item of items) {
      const rule = RULE_BY_ID.get(item.id);
      assert.ok(item.text.includes(rule.name.en), `${item.id} is named in the confirmation`);
      assert.equal(item.checked, rule.recommended, `${item.id} is ${rule.recommended ? '' : 'not '}selected by default`);
    }

    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    assert.equal(report.complete, true);
    assertAllRecommendedTurnedOff(replica, report);
    // Every change was read back from a fresh load after its save.
    for (const id of RECOMMENDED) {
      const save = savesById(replica).find((s) => s.id === id);
      assert.ok(RULE_BY_ID.get(id).paths.some((p) => documentLoads(replica, p).some((r) => r.at > save.at)),
        `${id} was re-read from a fresh load after the save`);
    }
    // The popup says all is set, shows every recommended setting off, sums the report up, and the badge has
    // nothing left to count.
    await popup.locator('#status-title').getByText('All set', { exact: true }).waitFor({ timeout: 10000 });
    for (const id of RECOMMENDED) {
      assert.equal(await popup.locator(`#groups li[data-setting="${id}"] .pill`).textContent(), 'Off', `${id} pill`);
    }
    assert.match(await popup.locator('#report-summary').textContent(), new RegExp(`Turned off \\(confirmed after reloading\\): ${RECOMMENDED.length}`));
    assert.equal(await badgeText(ext), '');

    // Second run. The popup's confirmation now shows every recommended setting as already off.
    await popup.reload();
    await waitFor(() => popup.getByRole('button', { name: 'Opt out of everything', exact: true }).isEnabled(),
      { what: 'the popup to reload', timeoutMs: 10000 });
    await popup.getByRole('button', { name: 'Opt out of everything', exact: true }).click();
    await popup.locator('#confirm-list li').first().waitFor();
    const again = await confirmationItems(popup);
    for (const id of RECOMMENDED) {
      assert.equal(again.find((i) => i.id === id)?.alreadyOff, true, `${id} listed as already off`);
    }
    await popup.getByRole('button', { name: 'Cancel', exact: true }).click();
    // The run itself, as the popup starts it (the same message): everything already off, zero saves.
    replica.saves.length = 0;
    const since2 = nowIso();
    const answer = await ext.sendMessage({ type: 'start_run', mode: 'opt_out', settings: RECOMMENDED });
    assert.equal(answer?.ok, true, JSON.stringify(answer));
    const second = await waitForReport(ext, { since: since2, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    assert.deepEqual(reportProblems(second), []);
    for (const id of RECOMMENDED) assert.equal(entryOf(second, id).outcome, 'already_off', id);
    assert.deepEqual(replica.saves, [], 'zero save requests on the second run');
  });

  test('a setting whose save fails is "refused", and every other one is still handled', async () => {
    const failing = 'ads_beyond_linkedin';
    replica.account.failSaves.add(keyOf(failing));
    const { since } = await startOptOutFromPopup(popup);
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    const entry = entryOf(report, failing);
    assert.equal(entry.outcome, 'refused', `${failing}: ${entry.outcome} (${JSON.stringify(entry.note)})`);
    assert.equal(entry.before, 'on');
    assert.equal(replica.stateOf(keyOf(failing)), true, 'still on on the server');
    assert.deepEqual(savesPerId(replica)[failing], [[false, 'failed']], 'tried once');
    assertAllRecommendedTurnedOff(replica, report, { except: [failing] });
  });

  test('the affiliates page missing (region "eu"): share_with_affiliates not_offered, and the run continues', async () => {
    replica.account.region = 'eu';
    const { since } = await startOptOutFromPopup(popup);
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    const entry = entryOf(report, 'share_with_affiliates');
    assert.equal(entry.outcome, 'not_offered', `${entry.outcome} (${JSON.stringify(entry.note)})`);
    assert.equal(savesPerId(replica).share_with_affiliates, undefined, 'no save for the missing page');
    for (const path of AFFILIATES_PATHS) {
      assert.ok(documentLoads(replica, path).some((r) => r.status === 404), `${path} was tried (404)`);
    }
    assert.equal(report.complete, true);
    assertAllRecommendedTurnedOff(replica, report, { except: ['share_with_affiliates'] });
  });

  test('the service worker stopped mid-run: the run completes and reports exactly what was done', async () => {
    const { since } = await startOptOutFromPopup(popup);
    // Stop it at the hardest moment: a few pages done, and a click sent but not yet read back.
    await ext.waitForStorage('run', (j) => (j?.visited?.length ?? 0) >= 3 && j?.run?.waiting?.type === 'read_back', 30000);
    await stopServiceWorker(ext);
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT + 30000 });
    assert.deepEqual(reportProblems(report), []);

    // Whatever happened, the report matches the server, and nothing was clicked twice.
    const server = serverStates(replica);
    const saves = savesPerId(replica);
    for (const id of RECOMMENDED) {
      const entry = entryOf(report, id);
      assert.ok((saves[id] ?? []).length <= 1, `${id} saved at most once: ${JSON.stringify(saves[id])}`);
      if (entry.outcome === 'turned_off') assert.equal(server[id], false, `${id} reported turned_off is off on the server`);
      if (server[id] === false) {
        assert.ok(entry.outcome === 'turned_off' || (entry.outcome === 'skipped' && /^switched_/.test(entry.note?.code ?? '')),
          `${id} is off on the server, so the report must say LinkedOut switched it: ${entry.outcome} (${JSON.stringify(entry.note)})`);
      }
    }
    // And the product's claim: a stopped worker resumes from the journal and finishes the run.
    assert.equal(report.complete, true, `the run completed: ${JSON.stringify(outcomes(report))}`);
    assertAllRecommendedTurnedOff(replica, report);
  });

  test('the service worker stopped while a page renders: the page reports itself when ready and is not loaded again', async () => {
    const { since } = await startOptOutFromPopup(popup);
    const early = await ext.waitForStorage('run', (j) => (j?.visited?.length ?? 0) >= 2, 30000);
    // From the next page on, switches render 3 s after the page loads: time enough to stop the worker mid-wait.
    replica.latency.render = 3000;
    let slow;
    let stoppedAt;
    try {
      slow = await ext.waitForStorage('run', (j) => j?.awaiting?.kind === 'page' && j.page_url !== early.page_url, 30000);
      await stopServiceWorker(ext);
      stoppedAt = Date.now();
    } finally {
      replica.latency.render = FAST_LATENCY.render;
    }
    const slowPath = new URL(slow.page_url).pathname;
    // The scenario it names: stopped before that page could have drawn its switches, let alone reported them.
    assert.ok(stoppedAt < documentLoads(replica, slowPath)[0].at + 3000, 'the worker stopped while the page rendered');
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    assert.equal(report.complete, true);
    assertAllRecommendedTurnedOff(replica, report);
    assert.equal(documentLoads(replica, slowPath).length, 2, `${slowPath}: read once in the walk and once to verify`);
  });

  test('a click no page takes (the tab was loading another document) counts for nothing: the next report is planned again and the setting switched once', async () => {
    const path = RULE_BY_ID.get('ai_training').paths[0];
    await divertClicks(ext, { how: 'no_page', settingId: 'ai_training' });
    try {
      const { since } = await startOptOutFromPopup(popup);
      const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
      assert.equal(report.complete, true);
      assertAllRecommendedTurnedOff(replica, report);
      // Read, loaded again as the click went astray (then read and clicked), and verified from a fresh load.
      assert.equal(documentLoads(replica, path).length, 3, 'the page that loaded instead was the one acted on');
    } finally {
      await restoreClicks(ext);
    }
  });

  test('LinkedIn reloads the page right after a save: the new page\'s read stands in for the read-back, and nothing is clicked again', async () => {
    const path = RULE_BY_ID.get('ai_training').paths[0];
    replica.variant.reloadAfterSave = [keyOf('ai_training')];
    const { since } = await startOptOutFromPopup(popup);
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    assert.equal(report.complete, true);
    assertAllRecommendedTurnedOff(replica, report);
    // Read and clicked, reloaded by the page, verified from a fresh load: no extra load to settle the click.
    assert.equal(documentLoads(replica, path).length, 3, 'the reloaded page was taken as the read-back');
  });

  test('a switch that changed between the read and the click is not pressed: the page is read afresh and the setting switched once', async () => {
    await divertClicks(ext, { how: 'changed', settingId: 'ai_training' });
    try {
      const { since } = await startOptOutFromPopup(popup);
      const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
      assert.deepEqual((await clickAnswers(ext)).map((a) => [a?.clicked, a?.reason]), [[false, 'fingerprint_mismatch']],
        'the content script pressed nothing');
      assert.equal(report.complete, true);
      assertAllRecommendedTurnedOff(replica, report);
    } finally {
      await restoreClicks(ext);
    }
  });

  test('a switch that changes every time LinkedOut goes to press it: not_found after two tries, never pressed, the rest done', async () => {
    await divertClicks(ext, { how: 'changed', settingId: 'research', every: true });
    try {
      const { since } = await startOptOutFromPopup(popup);
      const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
      assert.equal((await clickAnswers(ext)).filter((a) => a?.clicked === false).length, 2, 'two tries, never a third');
      const entry = entryOf(report, 'research');
      assert.equal(entry.outcome, 'not_found', JSON.stringify(entry.note));
      assert.deepEqual(entry.note, { code: 'switch_kept_changing' }, 'the note says nothing was pressed');
      assert.equal(serverStates(replica).research, true, 'research still on');
      assert.equal(savesPerId(replica).research, undefined, 'no save for research');
      assertAllRecommendedTurnedOff(replica, report, { except: ['research'] });
    } finally {
      await restoreClicks(ext);
    }
  });

  test('"Put back what LinkedOut changed" restores exactly the settings LinkedOut turned off, nothing else', async () => {
    // The member had already switched ads_beyond_linkedin off by hand; LinkedOut must not switch it on.
    const membersOwn = 'ads_beyond_linkedin';
    replica.account.settings[keyOf(membersOwn)] = false;
    const selection = ['ai_training', membersOwn, 'research', 'age_range'];
    const { since } = await startOptOutFromPopup(popup, { select: selection });
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    const turnedOff = report.settings.filter((s) => s.outcome === 'turned_off').map((s) => s.id);
    assert.deepEqual(turnedOff, SETTINGS.map((s) => s.id).filter((id) => selection.includes(id) && id !== membersOwn),
      'the three that were on, in rules order');
    assert.equal(entryOf(report, membersOwn).outcome, 'already_off');

    const restoreButton = popup.getByRole('button', { name: 'Put back what LinkedOut changed', exact: true });
    await restoreButton.waitFor({ timeout: 10000 });
    await restoreButton.click();
    const listed = await popup.locator('#restore-list li').allTextContents();
    assert.deepEqual(listed, turnedOff.map((id) => RULE_BY_ID.get(id).name.en), 'the undo lists what will be switched back');
    replica.saves.length = 0;
    const since2 = nowIso();
    await popup.getByRole('button', { name: 'Switch them back on', exact: true }).click();
    const restore = await waitForReport(ext, { since: since2, mode: 'restore', timeoutMs: RUN_TIMEOUT });
    // The restore report uses the outcome "restored" (not among the 7 outcomes of the contract).
    assert.deepEqual(reportProblems(restore, { extraOutcomes: ['restored'] }), []);

    const server = serverStates(replica);
    for (const id of turnedOff) {
      assert.equal(server[id], true, `${id} is back on on the server`);
      assert.equal(entryOf(restore, id).outcome, 'restored', `${id}: ${entryOf(restore, id).outcome}`);
    }
    assert.equal(server[membersOwn], false, 'the member\'s own choice stays off');
    for (const id of SETTINGS.map((s) => s.id).filter((x) => !selection.includes(x))) {
      assert.equal(server[id], true, `${id} never touched`);
    }
    assert.deepEqual(replica.saves.map((s) => [s.key, s.value, s.result]).sort(),
      turnedOff.map((id) => [keyOf(id), true, 'applied']).sort(), 'exactly those switched back on, once each');
  });

  test('"Check again" changes nothing on the server and updates the dashboard; the badge counts recommended settings still on', async () => {
    const offByMember = ['ai_training', 'gender', 'research', 'marketing_emails'];
    for (const id of offByMember) replica.account.settings[keyOf(id)] = false;
    const initial = serverStates(replica);
    const since = await checkAgainFromPopup(popup);
    const report = await waitForReport(ext, { since, mode: 'check', timeoutMs: RUN_TIMEOUT });
    assert.deepEqual(reportProblems(report), []);
    assert.deepEqual(replica.saves, [], 'zero save requests');
    assert.deepEqual(serverStates(replica), initial, 'server unchanged');
    for (const s of SETTINGS) {
      const entry = entryOf(report, s.id);
      const expected = initial[s.id] ? 'on' : 'off';
      assert.equal(entry.after, expected, `${s.id} read as ${expected}`);
      assert.equal(entry.outcome, initial[s.id] ? 'skipped' : 'already_off', `${s.id}: ${entry.outcome}`);
    }
    // Dashboard: every setting shows the state read from the server.
    for (const s of SETTINGS) {
      const expected = initial[s.id] ? 'on' : 'off';
      await waitFor(async () => (await popup.locator(`#groups li[data-setting="${s.id}"]`).getAttribute('class'))
        ?.includes(`state-${expected}`), { what: `dashboard shows ${s.id} ${expected}`, timeoutMs: 10000 });
    }
    const stillOn = RECOMMENDED.filter((id) => initial[id]).length;
    assert.equal(await badgeText(ext), String(stillOn), 'the badge counts recommended settings still on');
  });

  for (const lang of ['de', 'fr']) {
    test(`the same full run for an account in "${lang}"`, async () => {
      replica.account.lang = lang;
      const { since } = await startOptOutFromPopup(popup);
      const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
      assert.equal(report.complete, true);
      assertAllRecommendedTurnedOff(replica, report);
      // The switches were recognised on pages LinkedIn drew in that language; the run tab ends on the report.
      assert.ok(replica.requests.some((r) => r.resourceType === 'document' && r.path.startsWith('/mypreferences/')),
        'LinkedIn\'s settings pages were loaded');
      await waitFor(() => ext.context.pages().some((p) => p.url() === `chrome-extension://${ext.extensionId}/report.html`),
        { what: 'the run tab to show the report', timeoutMs: 10000 });
    });
  }

  test('export produces valid JSON matching the report contract', async () => {
    const { since } = await startOptOutFromPopup(popup, { select: ['ai_training', 'gender'] });
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    const exportButton = popup.getByRole('button', { name: 'Export JSON', exact: true });
    await exportButton.waitFor({ timeout: 10000 });
    const [download] = await Promise.all([popup.waitForEvent('download', { timeout: 10000 }), exportButton.click()]);
    assert.match(download.suggestedFilename(), /\.json$/);
    const text = await readFile(await download.path(), 'utf8');
    const exported = JSON.parse(text);
    // One format everywhere: a name and a version, the latest report and the history exactly as stored.
    assert.equal(exported.format, 'linkedout-report');
    assert.equal(exported.version, 1);
    assert.deepEqual(reportProblems(exported.report), []);
    assert.deepEqual(exported.report, report, 'the export carries the stored report');
    assert.deepEqual(exported.history, (await ext.storageGet('history')) ?? [], 'and the stored history');
    assert.deepEqual(Object.keys(exported.report).filter((k) => ['version', 'started_at', 'finished_at', 'settings'].includes(k)).sort(),
      ['finished_at', 'settings', 'started_at', 'version']);
    assert.equal(entryOf(exported.report, 'ai_training').outcome, 'turned_off');
    assert.equal(entryOf(exported.report, 'gender').outcome, 'turned_off');
  });

  test('signed out: sign in first; nothing saved, no report of eleven "needs sign-in"; after signing in, Continue runs the same selection', async () => {
    replica.account.signedIn = false;
    await startOptOutFromPopup(popup);
    // The status line says it first.
    const notice = popup.locator('#status.sign-in-first');
    await notice.getByText('Sign in to LinkedIn first', { exact: false }).waitFor({ timeout: 30000 });
    assert.equal(await ext.storageGet('report'), undefined, 'no report stored for a run that did nothing');
    assert.deepEqual(replica.saves, [], 'no save request');
    assert.ok(Object.values(serverStates(replica)).every(Boolean), 'nothing changed on the server');
    assert.equal(await notice.getByRole('link', { name: 'Open LinkedIn’s sign-in page' }).getAttribute('href'),
      'https://www.linkedin.com/login');
    assert.doesNotMatch(await popup.locator('body').innerText(), /Needs you to sign in/, 'no red lines');

    // The run's tab stays on LinkedIn's sign-in page; the member signs in there.
    const tab = ext.context.pages().find((p) => p.url().startsWith('https://www.linkedin.com/login'));
    assert.ok(tab, 'the run tab shows the sign-in page');
    await tab.locator('#username').fill('member@example.com');
    await tab.locator('#password').fill('secret');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await notice.getByText('You are signed in to LinkedIn', { exact: false }).waitFor({ timeout: 30000 });

    const since = nowIso();
    await popup.getByRole('button', { name: 'Continue', exact: true }).click();
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    assertAllRecommendedTurnedOff(replica, report);
    await waitFor(async () => (await popup.locator('#status.sign-in-first').count()) === 0,
      { what: 'the sign-in notice to clear', timeoutMs: 10000 });
    // The worker sends the run tab to the report as it stores it; the popup may say so first.
    await waitFor(() => ext.context.pages().filter((p) => p.url().startsWith('https://www.linkedin.com/')).length === 0 &&
      ext.context.pages().some((p) => p.url().endsWith('/report.html')),
    { what: 'the run tab to end on the report, not on LinkedIn', timeoutMs: 10000 });
  });
});
