// "Bad input gets a clear message and loses nothing", for what LinkedOut keeps: a damaged run journal, report,
// history, states or options (wrong types, garbage, missing fields) is repaired on the next start of the service
// worker, the member is told, the last good report is never lost (a damaged `report` is kept aside under
// `report_damaged`, the newest valid history entry takes its place); a full storage (the real 10 MB quota)
// gives a clear message, the run still happens and its report is kept until there is room, the previous
// report stays. Also: a run tab closed mid-run, and a settings page no rule knows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createReplica } from '../replica/server.js';
import { waitFor } from '../support/harness.js';
import {
  FAST_LATENCY, RECOMMENDED, SETTINGS, entryOf, extensionFor, keyOf, overlayOf, reportProblems, stopServiceWorker,
  waitForNoRun, waitForReport,
} from '../support/linkedout.js';

const DAMAGED = /damaged saved data and started clean/;
const FULL = /storage is full/;
const RUN_TIMEOUT = 90000;

function goodReport(startedAt, outcome = 'turned_off') {
  return {
    version: 2, mode: 'opt_out', started_at: startedAt, finished_at: startedAt, complete: true,
    settings: SETTINGS.map((s) => ({
      id: s.id, outcome: s.recommended ? outcome : 'skipped', before: s.recommended ? 'on' : 'unknown',
      after: s.recommended ? 'off' : 'unknown', checked_at: s.recommended ? startedAt : null,
      note: s.recommended ? null : { code: 'not_selected' },
    })),
    unknown_settings: [],
  };
}

/** `report` as the build before note codes stored it: version 1, its notes in English words. */
function englishNotes(report) {
  return { ...report, version: 1, settings: report.settings.map((s) => ({ ...s, note: s.note && 'not selected' })) };
}

describe('storage faults', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);

  /** Writes `items` as a stopped worker would find them on disk, then wakes the worker with a status request. */
  async function restartWith(items) {
    await ext.storageSet(items);
    await stopServiceWorker(ext);
    const status = await ext.sendMessage({ type: 'status' });
    assert.equal(status?.ok, true, JSON.stringify(status));
    return status;
  }

  test('a damaged report is kept aside and the newest valid history entry takes its place; the member is told', async () => {
    const newest = goodReport('2026-03-02T10:00:00.000Z');
    const older = goodReport('2026-02-01T10:00:00.000Z', 'already_off');
    const garbage = { version: 'one', settings: 'all off', started_at: 12 };
    const status = await restartWith({ report: garbage, history: [newest, 'junk', { version: 1 }, older] });
    assert.deepEqual(status.report, newest, 'the last good report is shown');
    assert.equal(status.storage_notice?.kind, 'damaged');
    assert.equal(status.storage_notice.report_kept, true, 'the notice says the last good report was kept');
    assert.deepEqual(status.storage_notice.keys, ['report', 'history']);
    assert.deepEqual(await ext.storageGet('report'), newest, 'and stored as the report');
    assert.deepEqual(await ext.storageGet('report_damaged'), garbage, 'the damaged one is kept aside');
    assert.deepEqual(await ext.storageGet('history'), [older], 'the history keeps the valid older entries');
  });

  test('the popup shows the damaged-data notice', async () => {
    await restartWith({ report: 'garbage', history: [goodReport('2026-03-02T10:00:00.000Z')] });
    const popup = await ext.openPopup();
    try {
      await popup.locator('#notices').getByText(DAMAGED).waitFor({ timeout: 5000 });
    } finally {
      await popup.close();
    }
  });

  test('damaged history, states, options and declined are cleaned; the good report is untouched', async () => {
    const report = goodReport('2026-03-02T10:00:00.000Z');
    const status = await restartWith({
      report,
      history: 'not a list',
      states: { ai_training: 'on', gender: { state: 'maybe' }, research: { state: 'off', checked_at: '2026-01-01T00:00:00.000Z' }, x: null },
      options: 'yes please',
      declined: ['ai_training'],
      reminder_due: 'soon',
    });
    assert.deepEqual(status.report, report);
    assert.equal(status.history_count, 0);
    assert.deepEqual(Object.keys(status.states), ['research']);
    assert.deepEqual(status.options, { gpc: false, reminder: false });
    assert.equal(status.reminder_due, false);
    assert.deepEqual(status.storage_notice?.keys?.sort(), ['declined', 'history', 'options', 'reminder_due', 'states']);
    assert.deepEqual(await ext.storageGet('report'), report);
    assert.deepEqual(await ext.storageGet('history'), []);
    assert.deepEqual(await ext.storageGet('states'),
      { version: 1, settings: { research: { state: 'off', checked_at: '2026-01-01T00:00:00.000Z', url: null } } });
    assert.deepEqual(await ext.storageGet('options'), { version: 1, gpc: false, reminder: false });
  });

  test('a damaged run journal: a clean start (no stuck run), the report kept, and a new run works', async () => {
    const report = goodReport('2026-03-02T10:00:00.000Z');
    for (const run of [
      'garbage',
      { run: { nonsense: true }, mode: 'opt_out', ids: ['ai_training'], visited: [], steps: 3, tabId: null, started_at: '2026-03-03T10:00:00.000Z' },
      { mode: 7, ids: 'all' },
    ]) {
      const status = await restartWith({ report, run });
      assert.equal(status.run, null, `no run from ${JSON.stringify(run)}`);
      assert.equal(await ext.storageGet('run'), undefined, 'the damaged journal is gone');
      assert.deepEqual(status.report, report, 'the report is kept');
      assert.ok(status.storage_notice?.keys.includes('run'));
      assert.equal(status.storage_notice.kind, 'damaged');
    }
    const since = new Date().toISOString();
    const answer = await ext.sendMessage({ type: 'start_run', mode: 'opt_out', settings: ['ai_training'] });
    assert.equal(answer?.ok, true, JSON.stringify(answer));
    const fresh = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    assert.equal(entryOf(fresh, 'ai_training').outcome, 'turned_off');
    assert.deepEqual((await ext.storageGet('history'))[0], report, 'the old report went to the history');
    const after = await ext.sendMessage({ type: 'status' });
    assert.equal(after.storage_notice, null, 'the notice ends with the next stored report');
  });

  test('an update keeps what the build before it stored: report, history, states, options and "Not now" answers, migrated', async () => {
    // Exactly the shapes the build before versions wrote (flat maps, a bare boolean, a bare list), and reports of
    // version 1, their notes in English words.
    const report = goodReport('2026-03-02T10:00:00.000Z');
    const older = goodReport('2026-02-01T10:00:00.000Z', 'already_off');
    const at = '2026-03-02T10:00:05.000Z';
    const states = { ai_training: { state: 'off', checked_at: at, url: replica.url('/mypreferences/d/settings/data-for-ai-improvement') } };
    const status = await restartWith({
      report: englishNotes(report),
      history: [englishNotes(older)],
      states,
      options: { gpc: true, reminder: false },
      declined: { gender: at },
      reminder_due: true,
      unknown_settings: [{ path: '/mypreferences/d/settings/some-new-thing', seen_at: at }],
    });
    assert.equal(status.storage_notice, null, 'nothing was damaged');
    assert.deepEqual(status.report, report, 'the report survives, its notes now codes (version 2)');
    assert.equal(status.history_count, 1, 'and the history');
    assert.deepEqual(status.states, states, 'and the states');
    assert.deepEqual(status.options, { gpc: true, reminder: false }, 'and the options');
    assert.equal(status.reminder_due, true);
    assert.deepEqual(status.unknown_settings.map((u) => u.path), ['/mypreferences/d/settings/some-new-thing']);
    // Stored again in the versioned shapes.
    assert.deepEqual(await ext.storageGet('states'), { version: 1, settings: states });
    assert.deepEqual(await ext.storageGet('options'), { version: 1, gpc: true, reminder: false });
    assert.deepEqual(await ext.storageGet('declined'), { version: 1, settings: { gender: at } });
    assert.deepEqual(await ext.storageGet('reminder_due'), { version: 1, due: true });
    assert.equal((await ext.storageGet('unknown_settings'))?.version, 1);
    assert.deepEqual(await ext.storageGet('report'), report, 'the report is stored again with its notes as codes');
    assert.deepEqual(await ext.storageGet('history'), [older], 'and the history');
  });

  test('unreadable storage: a clear error, and nothing is overwritten', async () => {
    const report = goodReport('2026-03-02T10:00:00.000Z');
    await ext.storageSet({ report });
    const worker = await ext.currentWorker();
    await worker.evaluate(() => {
      globalThis.__realGet = chrome.storage.local.get;
      chrome.storage.local.get = () => Promise.reject(new Error('IO error: the database is corrupt'));
    });
    try {
      const status = await ext.sendMessage({ type: 'status' });
      assert.equal(status.ok, true);
      assert.match(String(status.storage_error), /IO error/);
      assert.equal(status.report, null, 'nothing known is shown as nothing, not as garbage');
    } finally {
      await worker.evaluate(() => { chrome.storage.local.get = globalThis.__realGet; });
    }
    assert.deepEqual(await ext.storageGet('report'), report, 'the report is untouched');
  });

  test('storage full (the real 10 MB quota): the run still happens, the member is told, the previous report is kept, and the new one is stored once there is room', async () => {
    const previous = goodReport('2026-03-02T10:00:00.000Z', 'already_off');
    await ext.storageSet({ report: previous });
    const worker = await ext.currentWorker();
    const quotaError = await worker.evaluate(async () => {
      const used = await chrome.storage.local.getBytesInUse(null);
      const room = chrome.storage.local.QUOTA_BYTES - used;
      await chrome.storage.local.set({ filler: 'x'.repeat(room - 'filler'.length - 2 - 300) });
      return chrome.storage.local.set({ probe: 'y'.repeat(2000) }).then(() => 'stored', (e) => e.message);
    });
    assert.match(quotaError, /quota/i, 'the storage is really full');

    const selection = ['ai_training', 'gender'];
    const answer = await ext.sendMessage({ type: 'start_run', mode: 'opt_out', settings: selection });
    assert.equal(answer?.ok, true, JSON.stringify(answer));
    const pending = await waitFor(() => worker.evaluate(() => chrome.storage.session.get('pending_report')
      .then((r) => r.pending_report?.finished_at ? r.pending_report : null)), { timeoutMs: RUN_TIMEOUT, what: 'the run to finish' });
    for (const id of selection) {
      assert.equal(entryOf(pending, id).outcome, 'turned_off', id);
      assert.equal(replica.stateOf(keyOf(id)), false, `${id} really off on the server`);
    }
    assert.deepEqual(await ext.storageGet('report'), previous, 'the previous report is kept');

    const popup = await ext.openPopup();
    try {
      await popup.locator('#notices').getByText(FULL).waitFor({ timeout: 10000 });
    } finally {
      await popup.close();
    }
    const full = await ext.sendMessage({ type: 'status' });
    assert.ok(full.storage_error, 'status reports the storage error');
    assert.deepEqual(full.unsaved_report, pending, 'the new report is not lost');
    assert.deepEqual(full.report, previous);

    // Room again: the next status stores the waiting report; the previous one goes to the history.
    await worker.evaluate(() => chrome.storage.local.remove('filler'));
    const freed = await ext.sendMessage({ type: 'status' });
    assert.deepEqual(freed.report, pending);
    assert.equal(freed.unsaved_report, null);
    assert.equal(freed.storage_error, null);
    assert.deepEqual(await ext.storageGet('report'), pending);
    assert.deepEqual((await ext.storageGet('history'))[0], previous);
    await waitForNoRun(ext, 5000);
  });

  test('the run tab closed mid-run: the run ends with a report saying what was done, nothing else opens', async () => {
    const since = new Date().toISOString();
    const answer = await ext.sendMessage({ type: 'start_run', mode: 'opt_out', settings: RECOMMENDED });
    assert.equal(answer?.ok, true);
    const journal = await ext.waitForStorage('run', (j) => (j?.visited?.length ?? 0) >= 2, 30000);
    const tab = ext.context.pages().find((p) => p.url().startsWith('https://www.linkedin.com/'));
    assert.ok(tab, `the run tab (${journal.tab_id})`);
    await tab.close();
    const report = await waitForReport(ext, { since, timeoutMs: 30000 });
    assert.deepEqual(reportProblems(report), []);
    assert.equal(report.complete, false, 'the report says the run did not complete');
    for (const s of report.settings) {
      if (s.outcome === 'turned_off') assert.equal(replica.stateOf(keyOf(s.id)), false, `${s.id} reported off is off`);
    }
    await waitForNoRun(ext, 5000);
    assert.equal(ext.context.pages().filter((p) => p.url().startsWith('https://www.linkedin.com/')).length, 0,
      'no tab was reopened');
  });

  test('a settings page no rule knows: no overlay action, nothing saved, nothing stored but the page\'s states', async () => {
    const page = await ext.context.newPage();
    await page.goto(replica.url('/mypreferences/d/settings/some-new-thing'));
    // Sync: the content script has reported the page when the worker answers a status after it.
    await waitFor(async () => (await page.evaluate(() => document.readyState)) === 'complete', { what: 'load' });
    const status = await ext.sendMessage({ type: 'status' });
    assert.equal(status.ok, true);
    assert.equal(await overlayOf(page).getByRole('button', { name: /^Turn off/ }).count(), 0, 'nothing to turn off');
    assert.deepEqual(replica.saves, []);
    assert.equal(await ext.storageGet('run'), undefined);
    assert.equal(await ext.storageGet('report'), undefined);
    await page.close();
  });
});
