// LinkedOut-specific helpers for the end-to-end tests and the demo: the rules as data, the overlay and popup
// locators of the automation contract (shared design.md), the report contract check, waiting for runs, and
// stopping the extension's service worker. No fixed sleeps: every wait is a locator, a storage change or a
// poll of the replica's server state with a deadline.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach } from 'node:test';

import { REPO_ROOT, launchExtension, waitFor } from './harness.js';

/** rules/linkedin.json, read as the tests' source of truth (a new rule brings its test). */
export const RULES = JSON.parse(readFileSync(join(REPO_ROOT, 'rules', 'linkedin.json'), 'utf8'));
export const SETTINGS = RULES.settings;
export const RULE_BY_ID = new Map(SETTINGS.map((s) => [s.id, s]));
export const RECOMMENDED = SETTINGS.filter((s) => s.recommended).map((s) => s.id);
export const OPTIONAL = SETTINGS.filter((s) => !s.recommended).map((s) => s.id);

export const OUTCOMES = ['turned_off', 'already_off', 'not_offered', 'not_found', 'refused', 'needs_sign_in', 'skipped', 'unconfirmed'];
export const STATES = ['on', 'off', 'unknown'];
export const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Small but non-zero replica latencies: the content script must still wait for late switches. */
export const FAST_LATENCY = Object.freeze({ page: 10, render: 80, save: 40 });

/** The replica's server key of a rule: its aria-labelledby, else its element id. */
export function keyOf(id) {
  const rule = typeof id === 'string' ? RULE_BY_ID.get(id) : id;
  if (!rule) throw new Error(`no rule ${id}`);
  return rule.recognise.labelledby?.[0] ?? rule.recognise.element_ids?.[0];
}

/** Server state of every rule as {id: true|false}. */
export function serverStates(replica) {
  return Object.fromEntries(SETTINGS.map((s) => [s.id, replica.stateOf(keyOf(s))]));
}

/** The replica's save log, keyed by setting id where a rule knows the key. */
export function savesById(replica) {
  const byKey = new Map(SETTINGS.map((s) => [keyOf(s), s.id]));
  return replica.saves.map((s) => ({ ...s, id: byKey.get(s.key) ?? null }));
}

/** Document loads of `path` the replica served (navigations and reloads). */
export function documentLoads(replica, path) {
  return replica.requests.filter((r) => r.resourceType === 'document' && r.path === path && r.method === 'GET');
}

// ------------------------------------------------------------------ overlay (open shadow root; Playwright CSS pierces it)

export function overlayOf(page) {
  return page.locator('linkedout-overlay');
}

/** The overlay's card for one setting. */
export function cardOf(page, id) {
  return overlayOf(page).locator(`article[data-setting="${id}"]`);
}

export function turnOffButton(scope) {
  return scope.getByRole('button', { name: /^Turn off/ });
}

export function notNowButton(scope) {
  return scope.getByRole('button', { name: 'Not now', exact: true });
}

// ------------------------------------------------------------------ reports

export function nowIso() {
  return new Date().toISOString();
}

/**
 * Waits for the report of a run that started at or after `since` (ISO) and has finished, optionally of `mode`.
 * Returns the report.
 */
export async function waitForReport(ext, { since, mode, timeoutMs = 60000 } = {}) {
  return ext.waitForStorage('report', (r) => Boolean(r && r.finished_at &&
    (!since || r.started_at >= since) && (!mode || r.mode === mode)), timeoutMs);
}

/** Waits until no run is journaled (the service worker removed `run`). */
export async function waitForNoRun(ext, timeoutMs = 60000) {
  await ext.waitForStorage('run', (v) => v === undefined || v === null, timeoutMs);
}

export function entryOf(report, id) {
  return report?.settings?.find((s) => s.id === id);
}

/** {id: outcome} of a report. */
export function outcomes(report) {
  return Object.fromEntries((report?.settings ?? []).map((s) => [s.id, s.outcome]));
}

/**
 * Checks a report against the contract (design.md "Automation contract", ARCHITECTURE.md "Outcomes and the
 * report"). Returns a list of problems (empty when it conforms). `extraOutcomes` allows mode-specific ones.
 */
export function reportProblems(report, { extraOutcomes = [] } = {}) {
  const problems = [];
  const allowed = [...OUTCOMES, ...extraOutcomes];
  if (!report || typeof report !== 'object' || Array.isArray(report)) return ['the report is not a JSON object'];
  if (report.version !== 2) problems.push(`version is ${JSON.stringify(report.version)}, not 2`);
  for (const field of ['started_at', 'finished_at']) {
    const value = report[field];
    if (typeof value !== 'string' || !ISO_8601.test(value) || Number.isNaN(Date.parse(value))) {
      problems.push(`${field} is not an ISO 8601 timestamp: ${JSON.stringify(value)}`);
    }
  }
  if (Date.parse(report.finished_at) < Date.parse(report.started_at)) problems.push('finished_at is before started_at');
  if (!Array.isArray(report.settings)) return [...problems, 'settings is not a list'];
  const seen = new Set();
  for (const [i, s] of report.settings.entries()) {
    const at = `settings[${i}] (${s?.id})`;
    if (!s || typeof s !== 'object') {
      problems.push(`${at} is not an object`);
      continue;
    }
    for (const field of ['id', 'outcome', 'before', 'after', 'checked_at']) {
      if (!(field in s)) problems.push(`${at} has no ${field}`);
    }
    if (!RULE_BY_ID.has(s.id)) problems.push(`${at}: unknown id`);
    if (seen.has(s.id)) problems.push(`${at}: listed twice`);
    seen.add(s.id);
    if (!allowed.includes(s.outcome)) problems.push(`${at}: outcome ${JSON.stringify(s.outcome)} is not one of ${allowed.join(', ')}`);
    if (!STATES.includes(s.before)) problems.push(`${at}: before ${JSON.stringify(s.before)} is not on/off/unknown`);
    if (!STATES.includes(s.after)) problems.push(`${at}: after ${JSON.stringify(s.after)} is not on/off/unknown`);
    const checkedOk = typeof s.checked_at === 'string' && ISO_8601.test(s.checked_at) && !Number.isNaN(Date.parse(s.checked_at));
    // A setting that was never read (not selected) may have no time; every other one must say when it was read.
    if (!checkedOk && !(s.checked_at === null && s.outcome === 'skipped')) {
      problems.push(`${at}: checked_at is not an ISO 8601 timestamp: ${JSON.stringify(s.checked_at)}`);
    }
    if (s.outcome === 'turned_off' && (s.before !== 'on' || s.after !== 'off')) {
      problems.push(`${at}: turned_off but before=${s.before} after=${s.after}`);
    }
    if (s.outcome === 'already_off' && s.before !== 'off') problems.push(`${at}: already_off but before=${s.before}`);
    // A note is a code, and the values it names (`{code, params?}`), never words: the UI words it.
    const noteOk = s.note === null || (s.note && typeof s.note === 'object' && /^[a-z_]+$/.test(s.note.code) &&
      (s.note.params === undefined || Object.values(s.note.params).every((v) => typeof v === 'string')));
    if (!noteOk) problems.push(`${at}: note ${JSON.stringify(s.note)} is not null or {code, params}`);
  }
  return problems;
}

// ------------------------------------------------------------------ popup

/** The popup's confirmation list items ({id, checked, alreadyOff}). */
export async function confirmationItems(popup) {
  return popup.locator('#confirm-list li').evaluateAll((items) => items.map((li) => ({
    id: li.dataset.setting,
    text: li.textContent.replace(/\s+/g, ' ').trim(),
    checked: li.querySelector('input[type="checkbox"]')?.checked ?? null,
    alreadyOff: li.classList.contains('already-off'),
  })));
}

/**
 * From an open popup: "Opt out of everything" → the confirmation → (optionally change the selection) →
 * the "Turn off…" button. `select` (ids) replaces the default selection when given. Returns {since, items}.
 */
export async function startOptOutFromPopup(popup, { select } = {}) {
  await popup.getByRole('button', { name: 'Opt out of everything', exact: true }).click();
  const confirmList = popup.locator('#confirm-list');
  await confirmList.locator('li').first().waitFor();
  const items = await confirmationItems(popup);
  if (select) {
    for (const item of items) {
      if (item.checked === null) continue;
      const box = confirmList.locator(`li[data-setting="${item.id}"] input[type="checkbox"]`);
      await box.setChecked(select.includes(item.id));
    }
  }
  const since = nowIso();
  await turnOffButton(popup.locator('#confirm')).click();
  return { since, items };
}

/**
 * "Check my settings" (nothing read yet) or "Check again" from an open popup: the button whose name begins
 * "Check" (the automation contract). Returns the ISO time just before the click.
 */
export async function checkAgainFromPopup(popup) {
  const button = popup.locator('#status').getByRole('button', { name: /^Check (again|my settings)$/ });
  await waitFor(() => button.isEnabled(), { what: '"Check again" enabled', timeoutMs: 10000 });
  const since = nowIso();
  await button.click();
  return since;
}

/** The extension's badge text (global, as the toolbar shows it). */
export async function badgeText(ext) {
  const worker = await ext.currentWorker();
  return worker.evaluate(() => chrome.action.getBadgeText({}));
}

/** Cancels a leftover run, clears the extension's storage and closes every page but the first. */
export async function resetExtension(ext) {
  const run = await ext.storageGet('run');
  if (run) {
    await ext.sendMessage({ type: 'cancel_run' });
    await waitForNoRun(ext, 10000);
  }
  for (const page of ext.context.pages().slice(1)) await page.close();
  await ext.storageClear();
  const worker = await ext.currentWorker();
  await worker.evaluate(() => chrome.action.setBadgeText({ text: '' }));
  await ext.page.goto('about:blank');
}

// ------------------------------------------------------------------ one browser per describe

/**
 * Chromium with the built extension and `replica`, for the tests of the calling `describe`: launched in its
 * `before`, closed in its `after`; with `fresh` (the default) every test starts clean (the replica reset, and
 * `resetExtension`), before the describe's own `beforeEach` hooks. `launch` may return more options for
 * `launchExtension` (it runs in `before`, so it can start what they need). Returns a stand-in whose properties
 * read through to the launched extension, so that tests use it as the extension itself.
 */
export function extensionFor(replica, { fresh = true, launch = async () => ({}) } = {}) {
  let ext = null;
  before(async () => {
    ext = await launchExtension({ replica, ...(await launch()) });
  });
  after(async () => {
    await ext?.close();
  });
  if (fresh) {
    beforeEach(async () => {
      replica.reset();
      await resetExtension(ext);
    });
  }
  return new Proxy({}, {
    get(_, name) {
      if (!ext) throw new Error(`the extension is used before its describe's before hook launched it (${String(name)})`);
      return ext[name];
    },
  });
}

// ------------------------------------------------------------------ the service worker

/**
 * Stops the extension's service worker through the DevTools protocol (ServiceWorker.stopAllWorkers on a CDP
 * session of an extension page, which shares the extension's storage partition). Resolves once DevTools reports
 * the worker version stopped. Chromium restarts it on the next event (a message, a tab update, an alarm).
 */
export async function stopServiceWorker(ext, { timeoutMs = 10000 } = {}) {
  const page = await ext.context.newPage();
  try {
    await page.goto(`chrome-extension://${ext.extensionId}/report.html`);
    const cdp = await ext.context.newCDPSession(page);
    // Seen stopped at any update, not only in the latest: a busy run (a page messaging it) starts the worker
    // again within milliseconds, so by the next look it may already be running.
    let stopped = false;
    cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
      for (const v of e.versions) {
        if (v.scriptURL.startsWith(`chrome-extension://${ext.extensionId}/`) && v.runningStatus === 'stopped') stopped = true;
      }
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await waitFor(() => stopped, { timeoutMs, what: 'the extension service worker to stop' });
    await cdp.detach();
  } finally {
    await page.close();
  }
}

// ------------------------------------------------------------------ clicks that go astray

/**
 * Makes the service worker's click messages go astray, at the browser API they pass through
 * (chrome.tabs.sendMessage), the way they do on LinkedIn:
 * - `no_page`: the tab starts loading another document as the click is sent, so no page takes it (Chromium's own
 *   "Receiving end does not exist", from a frame that does not exist);
 * - `changed`: the switch is no longer the one the worker read (the content script sees another fingerprint and
 *   presses nothing).
 * Only clicks for `settingId`, and only the first unless `every`. Lasts until the worker stops or
 * `restoreClicks`; returns nothing. `clickAnswers(ext)` lists what the content script answered to altered clicks.
 */
export async function divertClicks(ext, { how, settingId, every = false }) {
  const worker = await ext.currentWorker();
  await worker.evaluate(({ how: kind, settingId: id, every: always }) => {
    const original = globalThis.__originalSendMessage ?? chrome.tabs.sendMessage.bind(chrome.tabs);
    globalThis.__originalSendMessage = original;
    globalThis.__clickAnswers = [];
    let diverted = false;
    chrome.tabs.sendMessage = async (tabId, message, options) => {
      if (message?.type !== 'click' || message.setting_id !== id || (diverted && !always)) {
        return original(tabId, message, options);
      }
      diverted = true;
      if (kind === 'no_page') {
        await chrome.tabs.reload(tabId);
        return original(tabId, message, { frameId: 2147483000 });
      }
      const changed = { ...message, fingerprint: { ...message.fingerprint, labelledby: 'changed-since-it-was-read' } };
      const answer = await original(tabId, changed, options);
      globalThis.__clickAnswers.push(answer);
      return answer;
    };
  }, { how, settingId, every });
}

/** What the content script answered to the clicks `divertClicks` altered (`changed`). */
export async function clickAnswers(ext) {
  const worker = await ext.currentWorker();
  return worker.evaluate(() => globalThis.__clickAnswers ?? []);
}

/** Undoes `divertClicks`. */
export async function restoreClicks(ext) {
  const worker = await ext.currentWorker();
  await worker.evaluate(() => {
    if (globalThis.__originalSendMessage) chrome.tabs.sendMessage = globalThis.__originalSendMessage;
  });
}
