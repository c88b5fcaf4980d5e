// The guided overlay on the AI-training page ("foundation"): the member visits
// /mypreferences/d/settings/data-for-ai-improvement, LinkedOut highlights the switch, explains it and asks;
// nothing changes without a trusted yes, and only a fresh read counts as "turned off".
// Every outcome is checked against the replica's SERVER state and its save log, not only the UI.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createReplica } from '../replica/server.js';

import {
  FAST_LATENCY, RULE_BY_ID, SETTINGS, cardOf, checkAgainFromPopup, documentLoads, entryOf, extensionFor, keyOf,
  notNowButton, nowIso, overlayOf, reportProblems, serverStates, turnOffButton, waitForReport,
} from '../support/linkedout.js';

const AI_ID = 'ai_training';
const AI = RULE_BY_ID.get(AI_ID);
const AI_PATH = AI.paths[0];
const AI_KEY = keyOf(AI_ID);
const SWITCH = `input[aria-labelledby="${AI_KEY}"]`;
const CONFIRMED = /LinkedIn confirms it after a fresh page load/;
const ALREADY_OFF = /already off/i;
const DECLINED = /left it as it is/i;

/** Server state of every key other than `except`: all still on (the replica's default). */
function othersUntouched(replica, except) {
  const states = serverStates(replica);
  return Object.entries(states).filter(([id, on]) => id !== except && on !== true).map(([id]) => id);
}

describe('guided overlay on the AI-training page', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);
  let page;

  beforeEach(async () => {
    page = await ext.context.newPage();
  });

  /**
   * The tour's first steps: "Not now" on the AI setting, then "Next setting", which must land on `expectedId`'s
   * page and offer it. Returns that rule.
   */
  async function declineAiThenNext(expectedId) {
    await page.goto(replica.url(AI_PATH));
    const card = cardOf(page, AI_ID);
    await notNowButton(card).click();
    await card.getByText(DECLINED).waitFor({ timeout: 10000 });
    await card.getByRole('button', { name: 'Next setting' }).click();
    const next = RULE_BY_ID.get(expectedId);
    await page.waitForURL(replica.url(next.paths[0]), { timeout: 10000 });
    await turnOffButton(cardOf(page, next.id)).waitFor({ timeout: 15000 });
    assert.deepEqual(replica.saves, [], 'touring saves nothing');
    return next;
  }

  test('highlights the switch, explains it, and offers "Turn off…" and "Not now"', async () => {
    await page.goto(replica.url(AI_PATH));
    const card = cardOf(page, AI_ID);
    const turnOff = turnOffButton(card);
    await turnOff.waitFor({ timeout: 15000 });
    assert.equal((await turnOff.textContent()).trim(), 'Turn off', 'a short label that does not wrap');
    assert.equal(await turnOff.getAttribute('aria-label'), `Turn off ${AI.name.en}`, 'its accessible name names the setting');
    assert.equal(await notNowButton(card).isVisible(), true, '"Not now" is offered');
    const text = await card.textContent();
    assert.ok(text.includes(AI.name.en), 'the card names the setting');
    assert.ok(text.includes(AI.explanation.en), 'the card explains what the setting does');
    assert.ok(text.includes(AI.off_means.en), 'the card says what turning it off changes');

    // The highlight frames the very switch (the overlay draws it in its shadow root, over the page).
    const highlight = overlayOf(page).locator('.hl').first();
    await highlight.waitFor({ state: 'visible' });
    const hl = await highlight.boundingBox();
    const sw = await page.locator(SWITCH).boundingBox();
    assert.ok(hl && sw, 'both the highlight and the switch are on screen');
    assert.ok(hl.x <= sw.x && hl.y <= sw.y && hl.x + hl.width >= sw.x + sw.width && hl.y + hl.height >= sw.y + sw.height,
      `the highlight ${JSON.stringify(hl)} surrounds the switch ${JSON.stringify(sw)}`);

    assert.deepEqual(replica.saves, [], 'showing the overlay saves nothing');
    assert.equal(replica.stateOf(AI_KEY), true);
  });

  test('"Turn off" switches it off on the server, confirms it after a reload, says so, and reports it', async () => {
    await page.goto(replica.url(AI_PATH));
    const card = cardOf(page, AI_ID);
    const since = nowIso();
    await turnOffButton(card).click();

    await card.getByText(CONFIRMED).waitFor({ timeout: 20000 });
    const report = await waitForReport(ext, { since, mode: 'guided' });
    // The overlay speaks of this page's setting only: no cards claiming other settings were "not changed".
    assert.deepEqual(await overlayOf(page).locator('article[data-setting]').evaluateAll((cards) =>
      cards.map((c) => c.dataset.setting)), [AI_ID], 'the overlay shows only the setting of this page');

    // Server: exactly one save, of this key, to off, applied.
    assert.equal(replica.stateOf(AI_KEY), false, 'server state is off');
    assert.deepEqual(replica.saves.map(({ key, value, result }) => ({ key, value, result })),
      [{ key: AI_KEY, value: false, result: 'applied' }]);
    assert.deepEqual(othersUntouched(replica, AI_ID), [], 'no other setting changed');
    // "Confirmed after a reload": the page was loaded again after the save was applied.
    const saveAt = replica.saves[0].at;
    assert.ok(documentLoads(replica, AI_PATH).some((r) => r.at > saveAt), 'the page was reloaded after the save');

    // The report.
    assert.deepEqual(reportProblems(report), []);
    const entry = entryOf(report, AI_ID);
    assert.equal(entry.outcome, 'turned_off');
    assert.equal(entry.before, 'on');
    assert.equal(entry.after, 'off');
    assert.ok(Date.parse(entry.checked_at) > saveAt, 'checked after the save');
    for (const other of report.settings.filter((s) => s.id !== AI_ID)) {
      assert.notEqual(other.outcome, 'turned_off', `${other.id} not reported as turned off`);
    }

    // A reload by the member shows it off, and the overlay says it is already off with nothing to click.
    await page.reload();
    await card.getByText(ALREADY_OFF).waitFor({ timeout: 15000 });
    assert.equal(await page.locator(SWITCH).isChecked(), false);
    assert.equal(await turnOffButton(card).count(), 0);
    assert.equal(replica.saves.length, 1, 'no further save');
  });

  test('"Not now" sends no save request at all and leaves the setting on', async () => {
    await page.goto(replica.url(AI_PATH));
    const card = cardOf(page, AI_ID);
    await notNowButton(card).click();
    // The answer is shown after the service worker took the "not_now" message.
    await card.getByText(DECLINED).waitFor({ timeout: 10000 });
    assert.equal(await turnOffButton(card).count(), 0, 'the question is withdrawn');
    assert.equal(await page.locator(SWITCH).isChecked(), true);
    assert.deepEqual(replica.saves, [], 'no save request');
    assert.equal(replica.stateOf(AI_KEY), true, 'server state unchanged');
    assert.equal(await ext.storageGet('run'), undefined, 'no run started');
    assert.equal(await ext.storageGet('report'), undefined, 'nothing reported as changed');
  });

  test('"Next setting" goes on to the next setting still on, past the one declined, and ends when none is left', async () => {
    // The tour: the member declines the AI setting, then asks for the next one. The affiliates setting (next in
    // the rules) is already off, so the tour skips it and lands on "Ads beyond LinkedIn".
    const affiliates = keyOf('share_with_affiliates');
    replica.account.settings[affiliates] = false;
    await ext.storageSet({ states: { share_with_affiliates: { state: 'off', checked_at: nowIso(), url: replica.url('/x') } } });
    const next = await declineAiThenNext('ads_beyond_linkedin');

    // With every other setting read as off, the tour says it is done instead of going anywhere.
    const off = Object.fromEntries(SETTINGS.map((s) => [s.id, { state: 'off', checked_at: nowIso(), url: replica.url('/x') }]));
    await ext.storageSet({ states: off });
    replica.account.settings[keyOf(next.id)] = false;
    await page.reload();
    const done = cardOf(page, next.id);
    await done.getByText(ALREADY_OFF).waitFor({ timeout: 15000 });
    await done.getByRole('button', { name: 'Next setting' }).click();
    await done.getByText(/nothing else is left to guide you to/).waitFor({ timeout: 10000 });
    assert.equal(page.url(), replica.url(next.paths[0]), 'the tab stays where it is');
  });

  test('a "Not now" holds for 30 days: the tour skips a setting declined yesterday and offers one declined 31 days ago', async () => {
    const day = 24 * 60 * 60 * 1000;
    await ext.storageSet({ declined: {
      share_with_affiliates: new Date(Date.now() - day).toISOString(),
      ads_beyond_linkedin: new Date(Date.now() - 31 * day).toISOString(),
    } });
    // Affiliates (declined yesterday, and on) is skipped; "Ads beyond LinkedIn" (declined 31 days ago) is offered.
    await declineAiThenNext('ads_beyond_linkedin');
  });

  test('"Guide me" skips the setting just answered "Not now" and opens the next one still on', async () => {
    const popup = await ext.openPopup();
    const guideMe = () => popup.getByRole('button', { name: 'Guide me', exact: true }).click();
    const opened = ext.context.waitForEvent('page', { timeout: 10000 });
    await guideMe();
    const tab = await opened;
    await tab.waitForURL(replica.url(AI_PATH), { timeout: 10000 });
    const card = cardOf(tab, AI_ID);
    await notNowButton(card).click();
    await card.getByText(DECLINED).waitFor({ timeout: 10000 });
    // Again: LinkedOut's tab goes on to the next setting still on, not back to the one just declined.
    const affiliates = RULE_BY_ID.get('share_with_affiliates');
    await guideMe();
    await tab.waitForURL(replica.url(affiliates.paths[0]), { timeout: 10000 });
    await turnOffButton(cardOf(tab, affiliates.id)).waitFor({ timeout: 15000 });
    const onAi = ext.context.pages().filter((p) => p.url() === replica.url(AI_PATH));
    assert.deepEqual(onAi.filter((p) => p !== page), [], 'no tab shows the declined setting again');
    assert.deepEqual(replica.saves, [], 'touring saves nothing');
    await Promise.all([tab.close(), popup.close()]);
  });

  test('already off: the overlay says so, offers no "Turn off", and nothing is saved', async () => {
    replica.account.settings[AI_KEY] = false;
    await page.goto(replica.url(AI_PATH));
    const card = cardOf(page, AI_ID);
    await card.getByText(ALREADY_OFF).waitFor({ timeout: 15000 });
    assert.equal(await turnOffButton(card).count(), 0, 'no Turn off button');
    assert.equal(await turnOffButton(overlayOf(page)).count(), 0, 'no Turn off button anywhere in the overlay');
    assert.deepEqual(replica.saves, []);
    assert.equal(replica.stateOf(AI_KEY), false);
  });

  test('a German account (lang "de") works the same', async () => {
    replica.account.lang = 'de';
    await page.goto(replica.url(AI_PATH));
    const card = cardOf(page, AI_ID);
    await turnOffButton(card).waitFor({ timeout: 15000 });
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    assert.equal((await page.locator(`#${AI_KEY}`).textContent()).trim(), AI.recognise.labels.de[0],
      'the page really is German');
    assert.equal(await notNowButton(card).isVisible(), true);

    const since = nowIso();
    await turnOffButton(card).click();
    await card.getByText(CONFIRMED).waitFor({ timeout: 20000 });
    const report = await waitForReport(ext, { since, mode: 'guided' });
    assert.deepEqual(reportProblems(report), []);
    assert.deepEqual({ ...entryOf(report, AI_ID), checked_at: null, note: null },
      { id: AI_ID, outcome: 'turned_off', before: 'on', after: 'off', checked_at: null, note: null });
    assert.equal(replica.stateOf(AI_KEY), false);
    assert.deepEqual(replica.saves.map((s) => [s.key, s.value, s.result]), [[AI_KEY, false, 'applied']]);
    assert.deepEqual(othersUntouched(replica, AI_ID), []);
  });

  test('a failing save is reported "refused" and the server stays on', async () => {
    replica.account.failSaves.add(AI_KEY);
    await page.goto(replica.url(AI_PATH));
    const card = cardOf(page, AI_ID);
    const since = nowIso();
    await turnOffButton(card).click();
    const report = await waitForReport(ext, { since, mode: 'guided', timeoutMs: 20000 });
    assert.deepEqual(reportProblems(report), []);
    const entry = entryOf(report, AI_ID);
    assert.equal(entry.outcome, 'refused', `outcome ${entry.outcome} (${JSON.stringify(entry.note)})`);
    assert.equal(entry.before, 'on');
    assert.equal(entry.after, 'on');
    assert.equal(replica.stateOf(AI_KEY), true, 'server still on');
    assert.deepEqual(replica.saves.map((s) => [s.key, s.value, s.result]), [[AI_KEY, false, 'failed']],
      'one attempt, not retried behind the member\'s back');
    await card.getByText(/did not keep the change/i).waitFor({ timeout: 10000 });
  });

  test('signed out: the settings URL ends on /login, and a check says "sign in first", stores no report and saves nothing', async () => {
    replica.account.signedIn = false;
    await page.goto(replica.url(AI_PATH));
    await page.waitForURL((url) => url.pathname === '/login', { timeout: 10000 });
    await page.locator('input[type="password"]').waitFor();
    assert.equal(await overlayOf(page).count(), 0, 'no overlay on the sign-in page (no content script there)');

    // What the product does for a signed-out member: the popup's "Check again" meets the sign-in page first, so
    // it stores no report (eleven "needs sign-in" lines would hide the last real one) and says to sign in first.
    const popup = await ext.openPopup();
    await checkAgainFromPopup(popup);
    await popup.locator('#status.sign-in-first').getByText('Sign in to LinkedIn first', { exact: false })
      .waitFor({ timeout: 20000 });
    const status = await ext.sendMessage({ type: 'status' });
    assert.equal(status.sign_in_needed?.mode, 'check');
    assert.deepEqual(status.sign_in_needed.settings, SETTINGS.map((s) => s.id), 'the whole selection waits');
    assert.equal(await ext.storageGet('report'), undefined, 'no report stored');
    assert.deepEqual(replica.saves, [], 'no save request');
    assert.equal(replica.stateOf(AI_KEY), true);
  });

  test('an untrusted click (dispatched by page script into the shadow root) changes nothing', async () => {
    await page.goto(replica.url(AI_PATH));
    const card = cardOf(page, AI_ID);
    await turnOffButton(card).waitFor({ timeout: 15000 });

    // LinkedIn's own script (the main world) finds the open shadow root and clicks "Turn off" in every way it can.
    const attempts = await page.evaluate(() => {
      const host = document.querySelector('linkedout-overlay');
      const root = host?.shadowRoot;
      const button = root && Array.from(root.querySelectorAll('button'))
        .find((b) => b.textContent.trim().startsWith('Turn off'));
      if (!button) return 'no button reachable';
      button.click();
      button.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: 1, clientY: 1 }));
      button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
      button.form?.requestSubmit?.();
      return `clicked; disabled=${button.disabled}`;
    });
    assert.equal(attempts, 'clicked; disabled=false', 'the button did not react to the untrusted click');

    // Sync point: a trusted "Not now" round-trips through the service worker after those clicks.
    await notNowButton(card).click();
    await card.getByText(DECLINED).waitFor({ timeout: 10000 });
    assert.deepEqual(replica.saves, [], 'no save request');
    assert.equal(replica.stateOf(AI_KEY), true, 'server state unchanged');
    assert.equal(await page.locator(SWITCH).isChecked(), true);
    assert.equal(await ext.storageGet('run'), undefined, 'no run was started');
    assert.equal(await ext.storageGet('report'), undefined, 'no report');
  });
});
