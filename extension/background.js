// LinkedOut service worker (ES module). The engine (Rust/Wasm) decides; this file checks senders, validates
// messages through the engine, drives runs as the engine commands, journals them, stores reports and keeps
// the badge. All listeners are registered synchronously at the top level; the Wasm is awaited inside handlers.
import init, * as engine from './engine/linkedout_wasm.js';

const ready = init({ module_or_path: chrome.runtime.getURL('engine/linkedout_wasm_bg.wasm') });

const LI_ORIGIN = 'https://www.linkedin.com';
const EXT_ORIGIN = chrome.runtime.getURL('');
const CONTENT_PREFIXES = ['/mypreferences/', '/psettings/'];
const HISTORY_MAX = 20;
const GPC_RULE_ID = 1;
const REMINDER_ALARM = 'monthly-reminder';
const WATCHDOG_ALARM = 'run-watchdog';
const WATCHDOG_MINUTES = 1;
const MAX_STALLS = 2;
const REMINDER_MINUTES = 30 * 24 * 60;
const DEFAULT_OPTIONS = Object.freeze({ gpc: false, reminder: false });

const CONTENT_TYPES = new Set(['hello', 'snapshot', 'turn_off', 'not_now', 'next_setting']);
const PAGE_TYPES = new Set(['status', 'start_run', 'cancel_run', 'guide', 'restore', 'set_options']);
// The extension's own pages that may talk to the worker (the popup, also opened in a tab, and the report page).
const OWN_PAGES = new Set(['/popup.html', '/report.html']);
const STORAGE_DAMAGED_TEXT = 'LinkedOut found damaged saved data and started clean; your last good report was kept.';
const STORAGE_DAMAGED_NO_REPORT_TEXT = 'LinkedOut found damaged saved data and started clean.';

// ------------------------------------------------------------------ small helpers

const nowIso = () => new Date().toISOString();

function errorText(error) {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

function isContentUrl(url) {
  try {
    const u = new URL(url);
    return u.origin === LI_ORIGIN && CONTENT_PREFIXES.some((p) => u.pathname.startsWith(p));
  } catch {
    return false;
  }
}

function samePage(a, b) {
  try {
    const ua = new URL(a);
    const ub = new URL(b);
    return ua.origin === ub.origin && ua.pathname.replace(/\/$/, '') === ub.pathname.replace(/\/$/, '');
  } catch {
    return false;
  }
}

/** One thing at a time for everything that reads and writes the run journal. */
let queue = Promise.resolve();
function serial(task) {
  const result = queue.then(task);
  queue = result.catch(() => {});
  return result;
}

async function notifyPages(message) {
  try {
    await chrome.runtime.sendMessage(message);
  } catch {
    // no popup or report page open
  }
}

/** Chromium's and Firefox's words for a message no page took. */
const NO_RECEIVER = /Receiving end does not exist|Could not establish connection/i;

async function sendToTab(tabId, message) {
  try {
    return await chrome.tabs.sendMessage(tabId, message, { frameId: 0 });
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

// ------------------------------------------------------------------ storage

let storageError = null; // last storage failure, shown by the popup (storage full, unreadable)

async function storageSet(items) {
  try {
    await chrome.storage.local.set(items);
    return true;
  } catch (error) {
    storageError = errorText(error);
    console.warn('LinkedOut: storage write failed', storageError);
    return false;
  }
}

const UNREADABLE = Symbol('unreadable');

/** Raw read. An unreadable storage answers {} (nothing known) and is reported, never thrown at a handler. */
async function storageGet(keys) {
  try {
    const got = await chrome.storage.local.get(keys);
    return got && typeof got === 'object' ? got : {};
  } catch (error) {
    storageError = errorText(error);
    console.warn('LinkedOut: storage read failed', storageError);
    return { [UNREADABLE]: true };
  }
}

const session = chrome.storage.session ?? null;

// ---------------------------------------------------------------- stored data checks (damaged data, full storage)
//
// Everything read back from chrome.storage.local is checked before use. Damaged values (wrong types, garbage,
// missing fields) are repaired once and the member is told (`storage_notice` in the status answer): a damaged
// `report` is kept aside under `report_damaged` and replaced by the newest valid entry of `history`, damaged
// entries of `history` / `states` are dropped, damaged `options` fall back to the defaults, and a damaged run
// journal is dropped (a clean start). A report that cannot be stored (storage full) is kept in memory and in
// chrome.storage.session (`pending_report`) and stored as soon as there is room; the previous report stays.

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isIso = (v) => typeof v === 'string' && v.length <= 64 && !Number.isNaN(Date.parse(v));
const STATE_VALUES = new Set(['on', 'off', 'unknown']);

function validReport(r) {
  return isObject(r) && r.version === 1 && typeof r.mode === 'string' && isIso(r.started_at) &&
    (r.finished_at === null || isIso(r.finished_at)) && Array.isArray(r.settings) &&
    r.settings.every((s) => isObject(s) && typeof s.id === 'string' && typeof s.outcome === 'string' &&
      (s.before === undefined || STATE_VALUES.has(s.before)) && (s.after === undefined || STATE_VALUES.has(s.after)));
}

function validStateEntry(v) {
  return isObject(v) && STATE_VALUES.has(v.state) && (v.checked_at === undefined || v.checked_at === null || isIso(v.checked_at));
}

/** {value, damaged} for one stored key. */
const CHECKS = {
  report(v) {
    if (v === undefined || v === null) return { value: null, damaged: false };
    return validReport(v) ? { value: v, damaged: false } : { value: null, damaged: true };
  },
  history(v) {
    if (v === undefined || v === null) return { value: [], damaged: false };
    if (!Array.isArray(v)) return { value: [], damaged: true };
    const value = v.filter(validReport);
    return { value, damaged: value.length !== v.length };
  },
  states(v) {
    if (v === undefined || v === null) return { value: {}, damaged: false };
    if (!isObject(v)) return { value: {}, damaged: true };
    const value = Object.fromEntries(Object.entries(v).filter(([, x]) => validStateEntry(x)));
    return { value, damaged: Object.keys(value).length !== Object.keys(v).length };
  },
  options(v) {
    if (v === undefined || v === null) return { value: {}, damaged: false };
    if (!isObject(v)) return { value: {}, damaged: true };
    const value = {};
    for (const key of Object.keys(DEFAULT_OPTIONS)) if (typeof v[key] === 'boolean') value[key] = v[key];
    return { value, damaged: Object.keys(value).length !== Object.keys(v).length };
  },
  declined(v) {
    if (v === undefined || v === null) return { value: {}, damaged: false };
    if (!isObject(v)) return { value: {}, damaged: true };
    const value = Object.fromEntries(Object.entries(v).filter(([, x]) => isIso(x)));
    return { value, damaged: Object.keys(value).length !== Object.keys(v).length };
  },
  reminder_due(v) {
    if (v === undefined || v === null) return { value: false, damaged: false };
    return typeof v === 'boolean' ? { value: v, damaged: false } : { value: false, damaged: true };
  },
};
const CHECKED_KEYS = Object.keys(CHECKS);

function damagedText(reportKept) {
  const key = reportKept ? 'popup_storage_damaged' : 'popup_storage_damaged_no_report';
  let text = '';
  try {
    text = chrome.i18n.getMessage(key);
  } catch {
    // no such message
  }
  return text || (reportKept ? STORAGE_DAMAGED_TEXT : STORAGE_DAMAGED_NO_REPORT_TEXT);
}

/**
 * The notice that damaged data was found (kept in storage until a new report is stored). It is written in the
 * same storage call as the repair, so that a worker stopped half-way leaves either both or neither.
 */
async function damageNotice(keys, report) {
  const { storage_notice: old } = await storageGet('storage_notice');
  const before = isObject(old) && Array.isArray(old.keys) ? old.keys.filter((k) => typeof k === 'string') : [];
  return {
    kind: 'damaged',
    keys: [...new Set([...before, ...keys])],
    report_kept: validReport(report),
    at: nowIso(),
  };
}

/**
 * The checked stored data: {report, history, states, options, declined, reminder_due, unreadable}. Damaged
 * values are repaired in storage (one at a time) before this resolves.
 */
let repairing = Promise.resolve();
async function readStored() {
  const raw = await storageGet(CHECKED_KEYS);
  const unreadable = Boolean(raw[UNREADABLE]);
  const out = { unreadable };
  const damaged = [];
  for (const key of CHECKED_KEYS) {
    const { value, damaged: bad } = CHECKS[key](raw[key]);
    out[key] = value;
    if (bad) damaged.push(key);
  }
  if (damaged.length === 0 || unreadable) return out;
  // A damaged report: keep it aside, and fall back to the newest valid report of the history.
  if (damaged.includes('report') && out.history.length > 0) {
    out.report = out.history[0];
    out.history = out.history.slice(1);
  }
  const task = repairing.then(async () => {
    const items = {};
    for (const key of damaged) items[key] = out[key];
    if (damaged.includes('report')) {
      items.report_damaged = raw.report;
      items.history = out.history;
      if (out.report === null) delete items.report;
    }
    items.storage_notice = await damageNotice(damaged, out.report);
    if (await storageSet(items)) {
      if (damaged.includes('report') && out.report === null) {
        await chrome.storage.local.remove('report').catch(() => {});
      }
      console.warn('LinkedOut: damaged saved data repaired', items.storage_notice.keys.join(', '));
    }
  });
  repairing = task.catch(() => {});
  await task.catch((error) => console.warn('LinkedOut: repair', errorText(error)));
  return out;
}

/** The newest report that could not be stored (storage full), kept until there is room. */
let pendingReport;
async function loadPending() {
  if (pendingReport !== undefined) return pendingReport;
  pendingReport = null;
  try {
    const stored = (await session?.get('pending_report'))?.pending_report;
    if (validReport(stored)) pendingReport = stored;
  } catch {
    // no session storage
  }
  return pendingReport;
}

async function setPending(report) {
  pendingReport = report;
  try {
    if (report) await session?.set({ pending_report: report });
    else await session?.remove('pending_report');
  } catch {
    // memory copy is enough
  }
}
const memorySession = new Map();

async function rememberPage(tabId, page) {
  const key = `page_${tabId}`;
  memorySession.set(key, page);
  if (!session) return;
  try {
    await session.set({ [key]: page });
  } catch {
    // session storage full or unavailable: memory copy is enough
  }
}

async function recallPage(tabId) {
  const key = `page_${tabId}`;
  if (memorySession.has(key)) return memorySession.get(key);
  if (!session) return null;
  try {
    return (await session.get(key))[key] ?? null;
  } catch {
    return null;
  }
}

async function forgetPage(tabId) {
  const key = `page_${tabId}`;
  memorySession.delete(key);
  try {
    await session?.remove(key);
  } catch {
    // ignore
  }
}

/** A journal as this file writes it, whose engine run the engine can still read. */
async function validJournal(j) {
  if (!isObject(j) || !isObject(j.run) || typeof j.mode !== 'string' || !Array.isArray(j.ids) ||
      !j.ids.every((id) => typeof id === 'string') || !Array.isArray(j.visited) || !Number.isInteger(j.steps) ||
      !(j.tabId === null || j.tabId === undefined || Number.isInteger(j.tabId)) || !isIso(j.started_at)) {
    return false;
  }
  await ready;
  try {
    engine.run_report(j.run);
    return true;
  } catch {
    return false;
  }
}

let runCache; // undefined: not read yet; else a promise of the journal or null
let runFallback = false; // the journal is in chrome.storage.session because local storage refused it
async function readRun() {
  const { run } = await storageGet('run');
  let fallback = null;
  try {
    fallback = (await session?.get('run_fallback'))?.run_fallback ?? null;
  } catch {
    // no session storage
  }
  // The session copy exists only while local storage refuses the journal: it is the newer one.
  const candidate = fallback ?? run ?? null;
  runFallback = fallback !== null;
  if (candidate === null) return null;
  if (await validJournal(candidate)) return candidate;
  console.warn('LinkedOut: damaged run journal dropped');
  // The notice first: a worker stopped before the journal is removed finds the journal damaged again.
  const { report } = await storageGet('report');
  await storageSet({ storage_notice: await damageNotice(['run'], report) });
  try {
    await chrome.storage.local.remove('run');
    await session?.remove('run_fallback');
  } catch (error) {
    storageError = errorText(error);
  }
  runFallback = false;
  await chrome.alarms.clear(WATCHDOG_ALARM).catch(() => {});
  return null;
}

async function loadRun() {
  if (runCache === undefined) runCache = readRun();
  return runCache;
}

async function saveRun(journal) {
  runCache = Promise.resolve(journal);
  if (await storageSet({ run: journal })) {
    if (runFallback) {
      runFallback = false;
      await session?.remove('run_fallback').catch(() => {});
    }
    return true;
  }
  // Storage full: the run goes on, journaled where there is room, so that a restarted worker still finds it.
  try {
    await session?.set({ run_fallback: journal });
    runFallback = true;
  } catch {
    // memory only
  }
  return false;
}

async function clearRun() {
  runCache = Promise.resolve(null);
  try {
    await chrome.storage.local.remove('run');
  } catch (error) {
    storageError = errorText(error);
  }
  if (runFallback || session) {
    runFallback = false;
    await session?.remove('run_fallback').catch(() => {});
  }
}

async function loadOptions() {
  const { options } = await readStored();
  return { ...DEFAULT_OPTIONS, ...options };
}

// ------------------------------------------------------------------ rules

let rulesCache = null;
async function rules() {
  await ready;
  if (!rulesCache) {
    const view = engine.rules_view();
    rulesCache = Array.isArray(view) ? view : (view?.settings ?? []);
  }
  return rulesCache;
}

function pickText(value) {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object') return '';
  const ui = chrome.i18n.getUILanguage?.() ?? 'en';
  return value[ui] ?? value[ui.replace('-', '_')] ?? value[ui.split(/[-_]/)[0]] ?? value.en ?? '';
}

/** English (or UI-language) fallbacks for the overlay when a locale lacks setting_<id>_* messages. */
async function textsFor(ids) {
  const out = {};
  for (const rule of await rules()) {
    if (!ids.includes(rule.id)) continue;
    out[rule.id] = {
      name: pickText(rule.name),
      explanation: pickText(rule.explanation),
      off_means: pickText(rule.off_means),
    };
  }
  return out;
}

// ------------------------------------------------------------------ states and badge

/**
 * The checked `states` alone: every page visit updates them, and reading (and checking) the whole history each
 * time would cost a member with 20 reports more than the page. Damage is left to readStored, which repairs it.
 */
async function readStates() {
  const raw = await storageGet('states');
  if (raw[UNREADABLE]) return { states: {}, unreadable: true };
  const { value, damaged } = CHECKS.states(raw.states);
  if (damaged) return readStored();
  return { states: value, unreadable: false };
}

async function updateStatesFromPlan(plan, url) {
  const items = Array.isArray(plan?.items) ? plan.items : [];
  const known = items.filter((item) => item.state === 'on' || item.state === 'off');
  if (known.length === 0) return;
  const { states, unreadable } = await readStates();
  if (unreadable) return;
  const at = nowIso();
  for (const item of known) states[item.setting_id] = { state: item.state, checked_at: at, url };
  await storageSet({ states });
}

async function updateStatesFromReport(report) {
  const settings = Array.isArray(report?.settings) ? report.settings : [];
  const { states, unreadable } = await readStored();
  if (unreadable) return;
  let changed = false;
  for (const s of settings) {
    if (s.after !== 'on' && s.after !== 'off') continue;
    states[s.id] = { state: s.after, checked_at: s.checked_at ?? report.finished_at ?? nowIso(), url: states[s.id]?.url ?? null };
    changed = true;
  }
  if (changed) await storageSet({ states });
}

function runProgress(journal) {
  if (!journal) return null;
  const total = journal.ids?.length ?? 0;
  const done = Math.min(journal.visited?.length ?? 0, total);
  return { mode: journal.mode, done, total, tab_id: journal.tabId ?? null, started_at: journal.started_at };
}

async function updateBadge() {
  try {
    const journal = await loadRun();
    if (journal) {
      const p = runProgress(journal);
      await chrome.action.setBadgeBackgroundColor({ color: '#0a66c2' });
      await chrome.action.setBadgeText({ text: `${p.done}/${p.total}` });
      return;
    }
    const { states, reminder_due: reminderDue } = await readStored();
    if (reminderDue) {
      await chrome.action.setBadgeBackgroundColor({ color: '#b24020' });
      await chrome.action.setBadgeText({ text: '!' });
      return;
    }
    const list = await rules();
    const on = list.filter((r) => r.recommended && states[r.id]?.state === 'on').length;
    await chrome.action.setBadgeBackgroundColor({ color: '#b24020' });
    await chrome.action.setBadgeText({ text: on > 0 ? String(on) : '' });
  } catch (error) {
    console.warn('LinkedOut: badge', errorText(error));
  }
}

// ------------------------------------------------------------------ reports

/**
 * Stores a finished report, the previous one going to `history`. If storage refuses it (full) or cannot be read
 * (the previous report unknown), nothing stored is overwritten: the new report is kept as pending, to be
 * stored when there is room, and the popup says so.
 */
async function storeReport(report) {
  const { report: previous, history, unreadable } = await readStored();
  if (unreadable) {
    await setPending(report);
    return false;
  }
  // An older report still waiting for room goes to the history, between this one and the previous one.
  const pending = await loadPending();
  const older = pending && pending !== report && pending.started_at !== report.started_at ? pending : null;
  const nextHistory = [older, previous, ...history].filter(Boolean).slice(0, HISTORY_MAX);
  // Probably the quota when the first write fails: drop older history (never the previous report) and retry.
  const stored = await storageSet({ report, history: nextHistory }) ||
    await storageSet({ report, history: nextHistory.slice(0, 3) });
  if (!stored) {
    storageError = `storage_full: ${storageError ?? ''}`;
    await setPending(report);
    return false;
  }
  storageError = null;
  await setPending(null);
  await chrome.storage.local.remove('storage_notice').catch(() => {});
  return true;
}

/** Tries again to store a report that storage refused. */
async function retryPending() {
  const pending = await loadPending();
  if (!pending) return false;
  if (!(await storeReport(pending))) return false;
  await updateStatesFromReport(pending);
  await notifyPages({ type: 'run_finished', stored: true });
  return true;
}

/** The ids LinkedOut turned off since the last restore (normally: those of the latest report). */
async function restorableIds() {
  const { report, history } = await readStored();
  const ids = [];
  for (const r of [await loadPending(), report, ...history]) {
    if (!r) continue;
    if (r.mode === 'restore') break;
    for (const s of r.settings ?? []) {
      if (s.outcome === 'turned_off' && !ids.includes(s.id)) ids.push(s.id);
    }
  }
  return ids;
}

// ------------------------------------------------------------------ the run driver

async function startRun(mode, ids, tabId = null, pendingYes = null) {
  if (await loadRun()) throw new Error('run_active');
  await ready;
  const startedAt = nowIso();
  const out = engine.run_start(mode, ids, startedAt);
  const journal = {
    run: out.run, tabId, mode, ids: [...ids], started_at: startedAt,
    visited: [], steps: 0, stalls: 0, awaiting: null, navigated: false, pending_yes: pendingYes,
  };
  await saveRun(journal);
  // The first page is requested before the badge and the popup are told: they are not on the way to it.
  await execute(journal, out.command);
  await updateBadge();
  await notifyPages({ type: 'run_update' });
  return journal;
}

/**
 * Commands whose execute() journals the run itself before anything leaves the worker (a navigation, a message to
 * the tab): for them one write journals both the step and the command.
 */
const SELF_JOURNALED = new Set(['navigate', 'click', 'confirm', 'wait', 'offer']);

async function advance(journal, event) {
  let out;
  try {
    out = engine.run_advance(journal.run, event, nowIso());
  } catch (error) {
    // An event the run does not expect (e.g. a late snapshot) changes nothing.
    console.warn('LinkedOut: run_advance refused', event?.type, errorText(error));
    return { ok: false, error: errorText(error) };
  }
  journal.run = out.run;
  journal.steps += 1;
  journal.awaiting = null;
  if (event.type !== 'resumed') journal.stalls = 0;
  if (!SELF_JOURNALED.has(out.command?.type)) await saveRun(journal);
  await execute(journal, out.command);
  return { ok: true };
}

/**
 * Arms the watchdog for the journal's current step. The caller's next saveRun records the step, so that one
 * write before the command goes out journals both the command and its watchdog.
 */
function armWatchdog(journal) {
  journal.watch_step = journal.steps;
  Promise.resolve(chrome.alarms.create(WATCHDOG_ALARM, { delayInMinutes: WATCHDOG_MINUTES }))
    .catch((error) => console.warn('LinkedOut: watchdog alarm', errorText(error)));
}

/**
 * A change counts only if it still holds HOLD_MS after the click: re-reading a page from a fresh load sooner
 * could miss LinkedIn switching it back a moment later. In a full run the other pages fill this time; only a
 * single guided change ever waits here.
 */
const HOLD_MS = 2000;

function pathOf(url) {
  try {
    return new URL(url).pathname.replace(/\/$/, '');
  } catch {
    return '';
  }
}

async function holdAfterClick(journal, url) {
  const at = journal.clicked_at?.[pathOf(url)];
  const wait = typeof at === 'number' ? at + HOLD_MS - Date.now() : 0;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, HOLD_MS)));
}

async function execute(journal, command) {
  if (!command || typeof command !== 'object') return;
  switch (command.type) {
    case 'navigate': {
      const url = String(command.url);
      if (!url.startsWith(`${LI_ORIGIN}/`)) {
        console.warn('LinkedOut: refusing to navigate off LinkedIn', url);
        await advance(journal, { type: 'cancelled' });
        return;
      }
      // Guided run: the member is already on that page, so read it now rather than reloading it.
      if (journal.mode === 'guided' && !journal.navigated && typeof journal.tabId === 'number') {
        journal.navigated = true;
        const tab = await chrome.tabs.get(journal.tabId).catch(() => null);
        if (tab?.url && samePage(tab.url, url)) {
          const fresh = await sendToTab(journal.tabId, { type: 'snapshot_request' });
          if (fresh?.ok && fresh.snapshot) {
            journal.doc = typeof fresh.doc === 'string' ? fresh.doc : null;
            journal.page_url = url;
            await advance(journal, { type: 'page', snapshot: fresh.snapshot });
            return;
          }
        }
      }
      journal.navigated = true;
      // Until the new document reports, anything the current one sends is from the page being left.
      journal.awaiting = { kind: 'page', url, left: journal.doc ?? null };
      journal.page_url = url;
      armWatchdog(journal);
      await saveRun(journal);
      // After the journal: a worker that stops during the hold resumes with this page still to load.
      await holdAfterClick(journal, url);
      if (typeof journal.tabId === 'number') {
        try {
          await chrome.tabs.update(journal.tabId, { url });
        } catch {
          await advance(journal, { type: 'tab_closed' });
          return;
        }
      } else {
        const tab = await chrome.tabs.create({ url, active: true });
        journal.tabId = tab.id;
        await saveRun(journal);
      }
      if (journal.mode === 'guided') {
        await sendToTab(journal.tabId, { type: 'progress', setting_id: journal.ids[0], stage: 'verifying' });
      }
      return;
    }
    case 'click':
    case 'confirm': {
      journal.awaiting = { kind: 'clicked' };
      const tab = await chrome.tabs.get(journal.tabId).catch(() => null);
      const clickedUrl = tab?.url ?? journal.page_url;
      if (clickedUrl) journal.clicked_at = { ...(isObject(journal.clicked_at) ? journal.clicked_at : {}), [pathOf(clickedUrl)]: Date.now() };
      armWatchdog(journal);
      await saveRun(journal);
      const message = command.type === 'click'
        ? { type: 'click', setting_id: command.setting_id, switch_index: command.switch_index, fingerprint: command.fingerprint }
        : { type: 'confirm', dialog_index: command.dialog_index, button_index: command.button_index };
      const answer = await sendToTab(journal.tabId, message);
      if (answer?.ok && answer.clicked !== false) {
        // The document that took the click: its read-back counts, and so does a report from a new one.
        journal.awaiting = { kind: 'clicked', doc: typeof answer.doc === 'string' ? answer.doc : null };
        await saveRun(journal);
        return;
      }
      if (answer?.ok || NO_RECEIVER.test(answer?.error ?? '')) {
        // Certainly not pressed: the switch had changed, or no page took the message (the tab was loading
        // another document). The engine waits for the page's next report and plans it afresh.
        await advance(journal, { type: 'not_clicked' });
        return;
      }
      // The message may have reached the page, or the page is busy with an earlier click (whose read-back nobody
      // awaits now): settled like a click the worker lost track of, from a fresh load.
      console.warn('LinkedOut: content script did not answer the click', answer?.error);
      await advance(journal, { type: 'resumed' });
      return;
    }
    case 'wait':
      // The page reports itself; the watchdog covers a page that never does.
      journal.awaiting = { kind: 'page', url: journal.run?.waiting?.url ?? journal.page_url };
      armWatchdog(journal);
      await saveRun(journal);
      return;
    case 'offer': {
      // Guided: the member already said yes to this setting in the overlay (that yes started the run).
      if (journal.pending_yes === command.setting_id) {
        journal.pending_yes = null;
        await advance(journal, { type: 'turn_off', setting_id: command.setting_id });
        return;
      }
      // Otherwise (e.g. after a resume) ask again: the overlay's answer comes back as turn_off / not_now.
      journal.awaiting = null;
      await saveRun(journal);
      await chrome.alarms.clear(WATCHDOG_ALARM);
      const ids = (command.plan?.items ?? []).map((item) => item.setting_id);
      await sendToTab(journal.tabId, { type: 'overlay', plan: command.plan, texts: await textsFor(ids) });
      return;
    }
    case 'finish':
      await finishRun(journal, command.report);
      return;
    default:
      console.warn('LinkedOut: unknown command', command.type);
  }
}

async function finishRun(journal, reportValue) {
  const report = reportValue;
  if (report && Array.isArray(report.unknown_settings)) {
    for (const { path } of await loadUnknown()) {
      if (!report.unknown_settings.includes(path)) report.unknown_settings.push(path);
    }
  }
  await chrome.alarms.clear(WATCHDOG_ALARM);
  const stored = await storeReport(report);
  await updateStatesFromReport(report);
  if (report?.mode === 'check' || report?.mode === 'opt_out') await storageSet({ reminder_due: false });
  await clearRun();
  await updateBadge();
  const tabId = journal.tabId;
  if (typeof tabId === 'number') {
    if (journal.mode === 'guided') {
      const mine = (report?.settings ?? []).filter((s) => journal.ids.includes(s.id));
      const page = await recallPage(tabId);
      const texts = await textsFor([...journal.ids, ...(page?.plan?.items ?? []).map((item) => item.setting_id)]);
      if (page?.plan) await sendToTab(tabId, { type: 'overlay', plan: page.plan, texts });
      for (const s of mine) {
        await sendToTab(tabId, {
          type: 'result', setting_id: s.id, outcome: s.outcome,
          verified: Boolean(report.complete) && (s.after === 'on' || s.after === 'off'), texts,
        });
      }
    } else {
      await sendToTab(tabId, { type: 'progress', stage: 'done' });
    }
  }
  await notifyPages({ type: 'run_finished', stored });
}

/** Last resort when the engine will not take even `cancelled`: drop the journal so that nothing stays stuck. */
async function abandonRun(journal) {
  console.warn('LinkedOut: abandoning a run the engine would not finish', journal.mode);
  await chrome.alarms.clear(WATCHDOG_ALARM);
  await clearRun();
  if (typeof journal.tabId === 'number') await sendToTab(journal.tabId, { type: 'progress', stage: 'done' });
}

const UNKNOWN_LIMIT = 20;

/** Settings pages LinkedIn links to that no rule knows ({path, seen_at}); damaged entries are dropped. */
async function loadUnknown() {
  const { unknown_settings: list } = await storageGet('unknown_settings');
  if (!Array.isArray(list)) return [];
  return list.filter((e) => isObject(e) && typeof e.path === 'string' && /^\/[A-Za-z0-9/_.-]{1,300}$/.test(e.path) &&
    isIso(e.seen_at)).slice(-UNKNOWN_LIMIT);
}

/**
 * Keeps what discovery found beyond the tab it was seen in, so the popup can tell the member (and maintainers
 * learn) that LinkedIn has a setting LinkedOut doesn't know yet.
 */
async function rememberUnknown(paths) {
  if (!paths.length) return;
  const known = await loadUnknown();
  const seenAt = nowIso();
  const merged = [...known.filter((e) => !paths.includes(e.path)), ...paths.map((path) => ({ path, seen_at: seenAt }))];
  await storageSet({ unknown_settings: merged.slice(-UNKNOWN_LIMIT) });
}

/** How many page reports a journal remembers, to count a resent one once. */
const REPORTS_KEPT = 8;

async function onContentPage(tabId, snapshot, reason, reportId, doc) {
  await ready;
  let plan = null;
  try {
    plan = engine.plan_page(snapshot, []);
  } catch (error) {
    console.warn('LinkedOut: plan_page', errorText(error));
  }
  // Recorded before the run moves on: a step that finishes the run stores the report, and nothing about this
  // page may be written after the report that it is part of.
  if (plan) {
    await rememberPage(tabId, { url: snapshot.url, plan, snapshot, at: nowIso() });
    await updateStatesFromPlan(plan, snapshot.url);
    await rememberUnknown(plan.unknown_settings ?? []);
  }
  const journal = await loadRun();
  if (journal && journal.tabId === tabId) {
    if (plan?.page?.setting_ids) {
      for (const id of plan.page.setting_ids) {
        if (journal.ids.includes(id) && !journal.visited.includes(id)) journal.visited.push(id);
      }
    }
    // Each report is taken for what the run waits for, or not at all: taking one for another moment is how a
    // run would come to report a click that never happened, or miss one that did.
    const reports = Array.isArray(journal.reports) ? journal.reports : [];
    const awaiting = journal.awaiting;
    if (reports.includes(reportId)) {
      // Sent again by a content script that thought it lost (the worker stopped while taking it).
      return { ok: true, ignored: true };
    }
    if (awaiting?.kind === 'page' && awaiting.left && doc === awaiting.left) {
      // From the document the run navigated away from (its report was on its way when the run moved on).
      console.warn('LinkedOut: a report from a page the run has left is ignored');
      return { ok: true, ignored: true };
    }
    // While a click awaits its read-back, a page report from another document (LinkedIn reloaded the page after
    // the save) is the read-back; one from the clicked document was read before the click (delayed, e.g. by a
    // worker restart).
    if (reason === 'page' && awaiting?.kind === 'clicked' && (!awaiting.doc || doc === awaiting.doc)) {
      console.warn('LinkedOut: a page read from before the click is ignored');
      return { ok: true, ignored: true };
    }
    if (reason === 'after_click' && awaiting?.kind !== 'clicked') {
      // From a page the run has already left (e.g. a worker restarted after the click and re-read the page from
      // a fresh load).
      console.warn('LinkedOut: a read-back nobody waits for is ignored');
      return { ok: true, ignored: true };
    }
    journal.reports = [...reports, reportId].slice(-REPORTS_KEPT);
    journal.doc = doc;
    const event = reason === 'after_click' ? { type: 'clicked', snapshot } : { type: 'page', snapshot };
    const result = await advance(journal, event);
    await updateBadge();
    await notifyPages({ type: 'run_update' });
    const still = await loadRun();
    if (still && still.mode !== 'guided' && reason === 'page') {
      await sendToTab(tabId, { type: 'progress', ...runProgress(still) });
    }
    return result;
  }
  await updateBadge();
  if (reason === 'page' && plan) {
    const ids = (plan.items ?? []).map((item) => item.setting_id);
    await sendToTab(tabId, { type: 'overlay', plan, texts: await textsFor(ids) });
  }
  return { ok: true };
}

/** A guided run on this tab waiting for the member's answer about this setting, if there is one. */
function waitingForAnswer(journal, tabId, settingId) {
  return Boolean(journal) && journal.mode === 'guided' && journal.tabId === tabId &&
    journal.run?.waiting?.type === 'answer' && journal.run.waiting.setting_id === settingId;
}

async function onAnswer(tabId, type, settingId) {
  const journal = await loadRun();
  if (!waitingForAnswer(journal, tabId, settingId)) return null;
  const result = await advance(journal, { type, setting_id: settingId });
  await updateBadge();
  await notifyPages({ type: 'run_update' });
  return result;
}

async function onTurnOff(tabId, settingId) {
  const answered = await onAnswer(tabId, 'turn_off', settingId);
  if (answered) return answered;
  if (await loadRun()) return { ok: false, error: 'run_active' };
  const page = await recallPage(tabId);
  const offered = (page?.plan?.items ?? []).some((item) =>
    item.setting_id === settingId && (item.action === 'offer' || item.action === 'click'));
  if (!offered) return { ok: false, error: 'not_offered_here' };
  await startRun('guided', [settingId], tabId, settingId);
  return { ok: true };
}

// ------------------------------------------------------------------ options

async function applyOptions(options) {
  if (chrome.declarativeNetRequest) {
    const addRules = options.gpc ? [{
      id: GPC_RULE_ID,
      priority: 1,
      action: { type: 'modifyHeaders', requestHeaders: [{ header: 'Sec-GPC', operation: 'set', value: '1' }] },
      condition: {
        requestDomains: ['www.linkedin.com'],
        resourceTypes: ['main_frame', 'sub_frame', 'stylesheet', 'script', 'image', 'font', 'object',
          'xmlhttprequest', 'ping', 'csp_report', 'media', 'websocket', 'other'],
      },
    }] : [];
    await chrome.declarativeNetRequest.updateDynamicRules({ removeRuleIds: [GPC_RULE_ID], addRules });
  }
  if (options.reminder) {
    const existing = await chrome.alarms.get(REMINDER_ALARM);
    if (!existing) {
      chrome.alarms.create(REMINDER_ALARM, { delayInMinutes: REMINDER_MINUTES, periodInMinutes: REMINDER_MINUTES });
    }
  } else {
    await chrome.alarms.clear(REMINDER_ALARM);
    await storageSet({ reminder_due: false });
  }
}

// ------------------------------------------------------------------ popup requests

async function storageNotice() {
  const { storage_notice: notice } = await storageGet('storage_notice');
  if (!isObject(notice) || notice.kind !== 'damaged') return null;
  const keys = Array.isArray(notice.keys) ? notice.keys.filter((k) => typeof k === 'string') : [];
  const reportKept = notice.report_kept === true;
  return { kind: 'damaged', keys, report_kept: reportKept, at: isIso(notice.at) ? notice.at : null, message: damagedText(reportKept) };
}

async function status() {
  // A report that storage refused earlier is stored now if there is room again (never during a run).
  if (!(await loadRun())) await serial(retryPending).catch(() => false);
  const stored = await readStored();
  const [list, journal, options, restorable, pending, notice] = await Promise.all([
    rules(),
    loadRun(),
    loadOptions(),
    restorableIds(),
    loadPending(),
    storageNotice(),
  ]);
  return {
    ok: true,
    rules: list,
    states: stored.states,
    report: stored.report,
    history_count: stored.history.length,
    run: runProgress(journal),
    options,
    reminder_due: stored.reminder_due,
    restorable,
    storage_error: storageError ?? (pending ? 'storage_full' : null),
    // The newest report when storage refused it (the stored `report` is then the previous one).
    unsaved_report: pending ?? null,
    // Damaged saved data was found and repaired: {kind: 'damaged', keys, report_kept, at, message}.
    storage_notice: notice,
    unknown_settings: await loadUnknown(),
  };
}

/**
 * Where the tour goes next: a recommended setting last read as on, else one never read, else an optional one
 * still on; never one in `exclude`. Null when there is nothing left to show.
 */
async function nextTarget(exclude = []) {
  const [list, { states }] = await Promise.all([rules(), readStored()]);
  const open = list.filter((r) => !exclude.includes(r.id) && Array.isArray(r.paths) && r.paths.length);
  const recommended = open.filter((r) => r.recommended);
  const target = recommended.find((r) => states[r.id]?.state === 'on') ??
    recommended.find((r) => !states[r.id]) ??
    open.find((r) => states[r.id]?.state === 'on') ?? null;
  if (!target) return null;
  const url = typeof target.url === 'string' && target.url.startsWith(`${LI_ORIGIN}/`) ? target.url : `${LI_ORIGIN}${target.paths[0]}`;
  return { id: target.id, url };
}

async function guide() {
  const target = await nextTarget();
  if (!target) return { ok: false, error: 'nothing_to_guide' };
  await chrome.tabs.create({ url: target.url, active: true });
  return { ok: true, setting_id: target.id, url: target.url };
}

/**
 * A "Not now" holds for the monthly reminder's period; then the tour offers the setting again, since "not now"
 * is not "never".
 */
const DECLINE_HOLDS_MS = REMINDER_MINUTES * 60 * 1000;

/** Settings declined with "Not now" less than DECLINE_HOLDS_MS ago. */
function stillDeclined(declined, now = Date.now()) {
  return Object.entries(declined ?? {})
    .filter(([, at]) => now - Date.parse(at) < DECLINE_HOLDS_MS)
    .map(([id]) => id);
}

/** The overlay's "Next setting": the same tab goes on to the next setting, skipping this page's and declined ones. */
async function nextSetting(tabId, settingId) {
  if (await loadRun()) return { ok: false, error: 'run_active' };
  const [page, { declined }] = await Promise.all([recallPage(tabId), readStored()]);
  const exclude = [settingId, ...(page?.plan?.page?.setting_ids ?? []), ...stillDeclined(declined)];
  const target = await nextTarget(exclude);
  if (!target) return { ok: false, error: 'nothing_to_guide' };
  await chrome.tabs.update(tabId, { url: target.url });
  return { ok: true, setting_id: target.id };
}

// ------------------------------------------------------------------ messages

/**
 * Who sent a message: 'page' (one of this extension's own pages: the popup, the report page), 'content' (this
 * extension's content script in the top frame of a tab showing a LinkedIn settings page), or null (refused:
 * another extension, a web page, a frame, a LinkedIn page where no content script runs, anything else).
 */
function senderKind(sender) {
  if (!sender || sender.id !== chrome.runtime.id) return null;
  const url = typeof sender.url === 'string' ? sender.url : '';
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (url.startsWith(EXT_ORIGIN)) {
    if (sender.origin !== undefined && `${sender.origin}/` !== EXT_ORIGIN) return null;
    return OWN_PAGES.has(parsed.pathname) ? 'page' : null;
  }
  if (sender.origin !== undefined && sender.origin !== LI_ORIGIN) return null;
  const tabUrl = typeof sender.tab?.url === 'string' ? sender.tab.url : '';
  // Both the frame's URL and the tab's current URL (which follows in-page navigations) must be a settings page.
  if (Number.isInteger(sender.tab?.id) && sender.frameId === 0 && isContentUrl(url) && isContentUrl(tabUrl)) {
    return 'content';
  }
  return null;
}

async function handleMessage(raw, sender) {
  const from = senderKind(sender);
  if (!from) return { ok: false, error: 'sender_not_allowed' };
  await ready;
  // The engine validates (shape, unknown fields, sizes, known setting ids); the checked original is used.
  try {
    engine.parse_message(raw);
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
  const message = raw;
  const type = message.type;
  // Only the messages addressed to the worker, each only from its own side (the worker's own commands to the
  // content script, e.g. `click`, are never taken from anyone).
  if (!CONTENT_TYPES.has(type) && !PAGE_TYPES.has(type)) return { ok: false, error: `unexpected message: ${type}` };
  if (CONTENT_TYPES.has(type) && from !== 'content') return { ok: false, error: 'sender_not_allowed' };
  if (PAGE_TYPES.has(type) && from !== 'page') return { ok: false, error: 'sender_not_allowed' };
  const tabId = sender.tab?.id;

  switch (type) {
    case 'hello': {
      const waitSpec = engine.wait_spec(message.url);
      const journal = await loadRun();
      const progress = journal && journal.tabId === tabId
        ? (journal.mode === 'guided'
          ? { setting_id: journal.ids[0], stage: 'verifying' }
          : runProgress(journal))
        : null;
      return { ok: true, wait_spec: waitSpec, progress };
    }
    case 'snapshot':
      return serial(() => onContentPage(tabId, message.snapshot, message.reason, message.report_id, message.doc));
    case 'turn_off':
      return serial(() => onTurnOff(tabId, message.setting_id));
    case 'not_now': {
      const answered = await serial(() => onAnswer(tabId, 'not_now', message.setting_id));
      if (answered) return answered;
      const { declined, unreadable } = await readStored();
      if (unreadable) return { ok: false, error: storageError };
      declined[message.setting_id] = nowIso();
      await storageSet({ declined });
      return { ok: true };
    }
    case 'next_setting':
      return serial(() => nextSetting(tabId, message.setting_id));
    case 'status':
      return status();
    case 'start_run': {
      if (message.mode !== 'opt_out' && message.mode !== 'check') return { ok: false, error: 'mode_not_allowed' };
      const ids = Array.isArray(message.settings) ? message.settings : [];
      if (ids.length === 0) return { ok: false, error: 'nothing_selected' };
      return serial(async () => {
        await startRun(message.mode, ids);
        return { ok: true };
      });
    }
    case 'restore':
      return serial(async () => {
        const ids = await restorableIds();
        if (ids.length === 0) return { ok: false, error: 'nothing_to_restore' };
        await startRun('restore', ids);
        return { ok: true, settings: ids };
      });
    case 'cancel_run':
      return serial(async () => {
        const journal = await loadRun();
        if (!journal) return { ok: false, error: 'no_run' };
        const result = await advance(journal, { type: 'cancelled' });
        if (!result.ok) await abandonRun(journal);
        await updateBadge();
        await notifyPages({ type: 'run_update' });
        return { ok: true };
      });
    case 'guide':
      return guide();
    case 'set_options': {
      // Only known options, only booleans: anything else is refused whole, and nothing is stored.
      for (const [key, value] of Object.entries(message.options ?? {})) {
        if (!Object.hasOwn(DEFAULT_OPTIONS, key)) return { ok: false, error: `unknown option "${key}"` };
        if (typeof value !== 'boolean') return { ok: false, error: `option "${key}" must be true or false` };
      }
      const options = { ...(await loadOptions()) };
      for (const key of Object.keys(DEFAULT_OPTIONS)) {
        if (typeof message.options?.[key] === 'boolean') options[key] = message.options[key];
      }
      if (!(await storageSet({ options }))) return { ok: false, error: storageError };
      await applyOptions(options);
      await updateBadge();
      return { ok: true, options };
    }
    default:
      return { ok: false, error: `unexpected message: ${type}` };
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handleMessage(message, sender).then(
    (answer) => sendResponse(answer),
    (error) => sendResponse({ ok: false, error: errorText(error) }),
  );
  return true;
});

// ------------------------------------------------------------------ tabs, alarms, lifecycle

chrome.tabs.onUpdated.addListener((tabId, info, tab) => {
  if (info.status !== 'complete') return;
  serial(async () => {
    const journal = await loadRun();
    if (!journal || journal.tabId !== tabId || !journal.awaiting) return;
    const url = tab?.url || info.url || '';
    if (url && isContentUrl(url)) return; // the content script will report this page
    await ready;
    await advance(journal, { type: 'left', url: url || 'about:blank' });
    await updateBadge();
    await notifyPages({ type: 'run_update' });
  }).catch((error) => console.warn('LinkedOut: onUpdated', errorText(error)));
});

chrome.tabs.onRemoved.addListener((tabId) => {
  forgetPage(tabId);
  serial(async () => {
    const journal = await loadRun();
    if (!journal || journal.tabId !== tabId) return;
    await ready;
    await advance(journal, { type: 'tab_closed' });
    await updateBadge();
    await notifyPages({ type: 'run_update' });
  }).catch((error) => console.warn('LinkedOut: onRemoved', errorText(error)));
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === REMINDER_ALARM) {
    storageSet({ reminder_due: true }).then(updateBadge);
  } else if (alarm.name === WATCHDOG_ALARM) {
    serial(async () => {
      const journal = await loadRun();
      if (!journal || journal.watch_step !== journal.steps) return;
      await ready;
      journal.stalls = (journal.stalls ?? 0) + 1;
      const giveUp = journal.stalls > MAX_STALLS;
      const result = await advance(journal, { type: giveUp ? 'cancelled' : 'resumed' });
      if (!result.ok && giveUp) await abandonRun(journal);
      else if (!result.ok) {
        armWatchdog(journal);
        await saveRun(journal);
      }
      await updateBadge();
    }).catch((error) => console.warn('LinkedOut: watchdog', errorText(error)));
  }
});

chrome.runtime.onInstalled.addListener(() => {
  loadOptions().then(applyOptions).then(updateBadge).catch((e) => console.warn('LinkedOut: install', errorText(e)));
});

chrome.runtime.onStartup?.addListener(() => {
  updateBadge();
});

/**
 * Whether the run tab will report the page the run waits for without being loaded again. Loading it again would
 * race the page already there: its report, on its way, would be taken for the new load, and a click sent on it
 * would land in a document about to be replaced.
 */
async function pageWillReport(journal, tab) {
  if (journal.awaiting?.kind !== 'page') return false;
  // Not there, nor on the way there (the old worker stopped before sending the tab): it must be sent.
  if (!samePage(tab.pendingUrl || tab.url || '', journal.awaiting.url ?? journal.page_url ?? '')) return false;
  if (tab.status === 'loading') return true; // the document on its way reports once settled
  const answer = await sendToTab(tab.id, { type: 'report_page' });
  // The document the run was leaving when the old worker stopped will not report the page it went to.
  if (journal.awaiting.left && answer?.doc === journal.awaiting.left) return false;
  return answer?.ok === true && answer.reporting === true;
}

// A stopped worker picks up a journaled run where it was.
serial(async () => {
  const journal = await loadRun();
  if (!journal) return;
  await ready;
  const tab = typeof journal.tabId === 'number' ? await chrome.tabs.get(journal.tabId).catch(() => null) : null;
  if (tab && await pageWillReport(journal, tab)) return;
  await advance(journal, { type: tab ? 'resumed' : 'tab_closed' });
  await updateBadge();
}).catch((error) => console.warn('LinkedOut: resume', errorText(error)));
