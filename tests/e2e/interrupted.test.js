// A run that stops before its verify: the member closes the run's tab after LinkedIn took two saves. Every save
// LinkedIn accepted is reported as a change LinkedOut made ("unconfirmed"), "Put back" switches those back on,
// and "Resume" finishes the rest and confirms them, without switching anything twice.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createReplica } from '../replica/server.js';
import { waitFor } from '../support/harness.js';
import {
  FAST_LATENCY, RECOMMENDED, RULE_BY_ID, entryOf, extensionFor, keyOf, nowIso, reportProblems, savesById,
  serverStates, startOptOutFromPopup, waitForReport,
} from '../support/linkedout.js';

const RUN_TIMEOUT = 90000;

/** The ids LinkedIn saved off, in the order it took them. */
function savedOff(replica) {
  return savesById(replica).filter((s) => s.value === false && s.result === 'applied').map((s) => s.id);
}

describe('a run stopped early', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);
  let popup;

  beforeEach(async () => {
    popup = await ext.openPopup();
    await waitFor(() => popup.getByRole('button', { name: 'Opt out of everything', exact: true }).isEnabled(),
      { what: 'the popup to load the rules', timeoutMs: 10000 });
  });

  /** Starts an opt-out of every recommended setting and closes its tab once LinkedIn took two saves. */
  async function runClosedAfterTwoSaves() {
    const { since } = await startOptOutFromPopup(popup);
    await waitFor(() => savedOff(replica).length >= 2, { what: 'two saves', timeoutMs: RUN_TIMEOUT });
    const runTab = ext.context.pages().find((p) => p.url().startsWith('https://www.linkedin.com/'));
    assert.ok(runTab, 'the run has a LinkedIn tab');
    await runTab.close();
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    const changed = savedOff(replica);
    assert.ok(changed.length >= 2 && changed.length < RECOMMENDED.length, `stopped midway: ${changed}`);
    return { report, changed };
  }

  test('closing the run tab after two saves: both reported changed, not confirmed; the rest not reached; the popup says so and offers Resume', async () => {
    const { report, changed } = await runClosedAfterTwoSaves();
    assert.deepEqual(reportProblems(report), []);
    assert.equal(report.complete, false);
    for (const id of changed) {
      const entry = entryOf(report, id);
      assert.equal(entry.outcome, 'unconfirmed', `${id}: ${entry.outcome} ${JSON.stringify(entry.note)}`);
      assert.equal(entry.before, 'on', `${id}: before`);
      assert.equal(serverStates(replica)[id], false, `${id} is off on the server`);
    }
    const notReached = RECOMMENDED.filter((id) => !changed.includes(id));
    for (const id of notReached) {
      const entry = entryOf(report, id);
      assert.equal(entry.outcome, 'skipped', `${id}: ${entry.outcome}`);
      assert.deepEqual(entry.note, { code: 'tab_closed' }, `${id}: the note says why`);
    }
    // The status line says it first, with Resume as its primary action.
    const notice = popup.locator('#status');
    await notice.locator('#status-title').getByText(`Stopped: ${changed.length} changed, ${notReached.length} not reached`, { exact: true })
      .waitFor({ timeout: 10000 });
    assert.equal(await popup.locator('#status button.primary').innerText(), 'Resume');
    assert.ok(await popup.getByRole('button', { name: 'Resume', exact: true }).isVisible(), 'Resume is offered');
    assert.ok(await popup.getByRole('button', { name: 'Put back what LinkedOut changed', exact: true }).isVisible());
    // The dashboard does not call a change that was never confirmed "off".
    const texts = await Promise.all(changed.map((id) => popup.locator(`li.setting[data-setting="${id}"]`)
      .evaluate((li) => `${li.querySelector('.pill').textContent} | ${li.querySelector('.state').textContent}`)));
    for (const [i, text] of texts.entries()) assert.doesNotMatch(text, /\bOff\b/, `${changed[i]}: ${text}`);
  });

  test('the run tab follows the run: a checklist of the selection, the setting at work named, each line\'s outcome as it lands, and the run ends on its report', async () => {
    const selection = ['ai_training', 'gender', 'research'];
    await startOptOutFromPopup(popup, { select: selection });
    let runTab = null;
    await waitFor(() => {
      runTab = ext.context.pages().find((p) => p.url().startsWith('https://www.linkedin.com/'));
      return Boolean(runTab);
    }, { what: 'the run tab', timeoutMs: 20000 });
    // The panel is read in one go, from one document: the run moves the tab on to its next page meanwhile, and
    // a read that meets a navigation is tried again on the next page.
    const panel = await waitFor(() => runTab.evaluate((count) => {
      const root = document.querySelector('linkedout-overlay')?.shadowRoot;
      const lines = [...(root?.querySelectorAll('ol.checklist li') ?? [])];
      const current = lines.filter((li) => li.getAttribute('aria-current') === 'step');
      if (lines.length !== count || current.length !== 1) return null;
      return {
        ids: lines.map((li) => li.dataset.setting),
        name: current[0].querySelector('.name')?.textContent ?? '',
        note: root.querySelector('.note')?.textContent ?? '',
      };
    }, selection.length).catch(() => null), { what: 'a checklist of three with one at work', timeoutMs: 20000 });
    assert.deepEqual(panel.ids, selection);
    assert.match(panel.note, new RegExp(`Working on “${panel.name}”`));
    // Lines change as the run goes: one switched and waiting for its fresh-load check at the end.
    await runTab.locator('linkedout-overlay ol.checklist li', { hasText: 'Switched; checked again at the end' }).first()
      .waitFor({ timeout: 30000 });
    await waitFor(() => runTab.url() === `chrome-extension://${ext.extensionId}/report.html`,
      { what: 'the run to end on its report', timeoutMs: RUN_TIMEOUT });
  });

  test('Put back after a stopped run switches on exactly what LinkedIn saved off', async () => {
    const { changed } = await runClosedAfterTwoSaves();
    await popup.getByRole('button', { name: 'Put back what LinkedOut changed', exact: true }).click();
    const listed = await popup.locator('#restore-list li').allTextContents();
    assert.deepEqual(listed.sort(), changed.map((id) => RULE_BY_ID.get(id).name.en).sort());
    replica.saves.length = 0;
    const since = nowIso();
    await popup.getByRole('button', { name: 'Switch them back on', exact: true }).click();
    const restore = await waitForReport(ext, { since, mode: 'restore', timeoutMs: RUN_TIMEOUT });
    for (const id of changed) {
      assert.equal(entryOf(restore, id).outcome, 'restored', id);
      assert.equal(serverStates(replica)[id], true, `${id} is on again`);
    }
    assert.deepEqual(replica.saves.map((s) => [s.key, s.value, s.result]).sort(),
      changed.map((id) => [keyOf(id), true, 'applied']).sort(), 'those, once each, and nothing else');
  });

  test('Resume finishes the rest with the same selection and confirms the earlier changes; nothing is saved twice', async () => {
    const { changed } = await runClosedAfterTwoSaves();
    const resume = popup.getByRole('button', { name: 'Resume', exact: true });
    await resume.waitFor({ timeout: 10000 });
    const since = nowIso();
    await resume.click();
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    assert.deepEqual(reportProblems(report), []);
    assert.equal(report.complete, true);
    const server = serverStates(replica);
    for (const id of RECOMMENDED) {
      const entry = entryOf(report, id);
      assert.equal(entry.outcome, 'turned_off', `${id}: ${entry.outcome} ${JSON.stringify(entry.note)}`);
      assert.equal(server[id], false, `${id} off on the server`);
      if (changed.includes(id)) assert.deepEqual(entry.note, { code: 'confirmed_later' }, id);
    }
    const perId = {};
    for (const id of savedOff(replica)) perId[id] = (perId[id] ?? 0) + 1;
    for (const id of RECOMMENDED) assert.equal(perId[id], 1, `${id}: one save in all`);
    await waitFor(async () => !(await popup.getByRole('button', { name: 'Resume', exact: true }).isVisible()),
      { what: 'Resume to go once nothing is left', timeoutMs: 10000 });
  });
});

describe('one state per LinkedIn account', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);

  test('a second member on the same browser starts at "not checked"; switching back shows the first member\'s settings and report again', async () => {
    let popup = await ext.openPopup();
    await waitFor(() => popup.getByRole('button', { name: 'Opt out of everything', exact: true }).isEnabled(),
      { what: 'the popup to load the rules', timeoutMs: 10000 });
    const { since } = await startOptOutFromPopup(popup, { select: ['ai_training', 'gender'] });
    const alexReport = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    assert.equal(entryOf(alexReport, 'ai_training').outcome, 'turned_off');
    assert.match(alexReport.account ?? '', /^[0-9a-f]{32}$/, 'the report names its account by a salted hash');
    await popup.locator('#account').getByText('Alex').waitFor({ timeout: 10000 });

    // Bea signs in on the same browser: LinkedIn shows her settings, all on.
    replica.account.member = { publicIdentifier: 'bea-member-2', firstName: 'Bea' };
    for (const key of Object.keys(replica.account.settings)) replica.account.settings[key] = true;
    const page = await ext.context.newPage();
    await page.goto(replica.url(RULE_BY_ID.get('research').paths[0]));
    await popup.locator('#account').getByText('Bea').waitFor({ timeout: 20000 });
    await waitFor(async () => (await popup.locator('#report').isHidden()), { what: 'no report shown for Bea', timeoutMs: 10000 });
    assert.ok(await popup.getByRole('button', { name: 'Put back what LinkedOut changed', exact: true }).isHidden(),
      'Bea cannot put back Alex\'s changes');
    const aiLine = await popup.locator('li.setting[data-setting="ai_training"] .state').innerText();
    assert.doesNotMatch(aiLine, /\bOff\b/, `Bea's AI setting is not shown as Alex's "Off": ${aiLine}`);

    // Alex signs in again.
    replica.account.member = { publicIdentifier: 'alex-member-4711', firstName: 'Alex' };
    await page.goto(replica.url(RULE_BY_ID.get('research').paths[0]));
    await popup.locator('#account').getByText('Alex').waitFor({ timeout: 20000 });
    popup = await ext.openPopup();
    await popup.getByRole('button', { name: 'Put back what LinkedOut changed', exact: true }).waitFor({ timeout: 10000 });
    assert.deepEqual((await ext.storageGet('report')).started_at, alexReport.started_at, 'Alex\'s report is back');
    const stored = JSON.stringify(await ext.storageGet('accounts'));
    assert.ok(!stored.includes('alex-member-4711') && !stored.includes('bea-member-2'), 'no LinkedIn id is stored');
  });
});
