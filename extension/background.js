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

const CONTENT_TYPES = new Set(['hello', 'snapshot', 'turn_off', 'not_now']);
const PAGE_TYPES = new Set(['status', 'start_run', 'cancel_run', 'guide', 'restore', 'set_options']);

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

/** Wasm values → plain JSON-safe data (Maps become objects, undefined becomes null) for storage and messages. */
function plain(value) {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map) {
    const out = {};
    for (const [k, v] of value) out[String(k)] = plain(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(plain);
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v);
  return out;
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

async function sendToTab(tabId, message) {
  try {
    return await chrome.tabs.sendMessage(tabId, message, { frameId: 0 });
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

// ------------------------------------------------------------------ storage

let storageError = null; // last storage failure, shown by the popup

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

async function storageGet(keys) {
  return chrome.storage.local.get(keys);
}

const session = chrome.storage.session ?? null;
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

let runCache; // undefined: not read yet; null: no run
async function loadRun() {
  if (runCache !== undefined) return runCache;
  runCache = (await storageGet('run')).run ?? null;
  return runCache;
}

async function saveRun(journal) {
  runCache = journal;
  return storageSet({ run: journal });
}

async function clearRun() {
  runCache = null;
  try {
    await chrome.storage.local.remove('run');
  } catch (error) {
    storageError = errorText(error);
  }
}

async function loadOptions() {
  const { options } = await storageGet('options');
  return { ...DEFAULT_OPTIONS, ...(options ?? {}) };
}

// ------------------------------------------------------------------ rules

let rulesCache = null;
async function rules() {
  await ready;
  if (!rulesCache) {
    const view = plain(engine.rules_view());
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

async function updateStatesFromPlan(plan, url) {
  const items = Array.isArray(plan?.items) ? plan.items : [];
  const known = items.filter((item) => item.state === 'on' || item.state === 'off');
  if (known.length === 0) return;
  const { states = {} } = await storageGet('states');
  const at = nowIso();
  for (const item of known) states[item.setting_id] = { state: item.state, checked_at: at, url };
  await storageSet({ states });
}

async function updateStatesFromReport(report) {
  const settings = Array.isArray(report?.settings) ? report.settings : [];
  const { states = {} } = await storageGet('states');
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
    const { states = {}, reminder_due: reminderDue = false } = await storageGet(['states', 'reminder_due']);
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

async function storeReport(report) {
  const { report: previous = null, history = [] } = await storageGet(['report', 'history']);
  const nextHistory = previous ? [previous, ...history].slice(0, HISTORY_MAX) : history.slice(0, HISTORY_MAX);
  if (await storageSet({ report, history: nextHistory })) {
    storageError = null;
    return true;
  }
  // Probably the quota: drop older history first, keep the previous report if even that fails.
  if (await storageSet({ report, history: nextHistory.slice(0, 3) })) return true;
  storageError = `storage_full: ${storageError ?? ''}`;
  return false;
}

/** The ids LinkedOut turned off since the last restore (normally: those of the latest report). */
async function restorableIds() {
  const { report = null, history = [] } = await storageGet(['report', 'history']);
  const ids = [];
  for (const r of [report, ...history]) {
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
  const out = plain(engine.run_start(mode, ids, startedAt));
  const journal = {
    run: out.run, tabId, mode, ids: [...ids], started_at: startedAt,
    visited: [], steps: 0, stalls: 0, awaiting: null, navigated: false, pending_yes: pendingYes,
  };
  await saveRun(journal);
  await updateBadge();
  await notifyPages({ type: 'run_update' });
  await execute(journal, out.command);
  return journal;
}

async function advance(journal, event) {
  let out;
  try {
    out = plain(engine.run_advance(journal.run, event, nowIso()));
  } catch (error) {
    // An event the run does not expect (e.g. a late snapshot) changes nothing.
    console.warn('LinkedOut: run_advance refused', event?.type, errorText(error));
    return { ok: false, error: errorText(error) };
  }
  journal.run = out.run;
  journal.steps += 1;
  journal.awaiting = null;
  if (event.type !== 'resumed') journal.stalls = 0;
  await saveRun(journal);
  await execute(journal, out.command);
  return { ok: true };
}

async function armWatchdog(journal) {
  journal.watch_step = journal.steps;
  await saveRun(journal);
  chrome.alarms.create(WATCHDOG_ALARM, { delayInMinutes: WATCHDOG_MINUTES });
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
            await advance(journal, { type: 'page', snapshot: fresh.snapshot });
            return;
          }
        }
      }
      journal.navigated = true;
      journal.awaiting = { kind: 'page', url };
      await saveRun(journal);
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
      await armWatchdog(journal);
      return;
    }
    case 'click':
    case 'confirm': {
      journal.awaiting = { kind: 'clicked' };
      await saveRun(journal);
      const message = command.type === 'click'
        ? { type: 'click', setting_id: command.setting_id, switch_index: command.switch_index, fingerprint: command.fingerprint }
        : { type: 'confirm', dialog_index: command.dialog_index, button_index: command.button_index };
      const answer = await sendToTab(journal.tabId, message);
      if (!answer?.ok) console.warn('LinkedOut: content script did not take the command', answer?.error);
      await armWatchdog(journal);
      return;
    }
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
  const report = plain(reportValue);
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

async function onContentPage(tabId, snapshot, reason) {
  await ready;
  let plan = null;
  try {
    plan = plain(engine.plan_page(snapshot, []));
  } catch (error) {
    console.warn('LinkedOut: plan_page', errorText(error));
  }
  if (plan) {
    await rememberPage(tabId, { url: snapshot.url, plan, snapshot, at: nowIso() });
    await updateStatesFromPlan(plan, snapshot.url);
  }
  const journal = await loadRun();
  if (journal && journal.tabId === tabId) {
    if (plan?.page?.setting_ids) {
      for (const id of plan.page.setting_ids) {
        if (journal.ids.includes(id) && !journal.visited.includes(id)) journal.visited.push(id);
      }
    }
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

async function status() {
  const [list, stored, journal, options, restorable] = await Promise.all([
    rules(),
    storageGet(['states', 'report', 'history', 'reminder_due']),
    loadRun(),
    loadOptions(),
    restorableIds(),
  ]);
  return {
    ok: true,
    rules: list,
    states: stored.states ?? {},
    report: stored.report ?? null,
    history_count: (stored.history ?? []).length,
    run: runProgress(journal),
    options,
    reminder_due: Boolean(stored.reminder_due),
    restorable,
    storage_error: storageError,
  };
}

async function guide() {
  const [list, { states = {} }] = await Promise.all([rules(), storageGet('states')]);
  const recommended = list.filter((r) => r.recommended);
  const target = recommended.find((r) => states[r.id]?.state === 'on') ??
    recommended.find((r) => !states[r.id]) ??
    list.find((r) => states[r.id]?.state === 'on') ?? null;
  const path = Array.isArray(target?.paths) ? target.paths[0] : null;
  if (!target || !path) return { ok: false, error: 'nothing_to_guide' };
  const url = typeof target.url === 'string' && target.url.startsWith(`${LI_ORIGIN}/`) ? target.url : `${LI_ORIGIN}${path}`;
  await chrome.tabs.create({ url, active: true });
  return { ok: true, setting_id: target.id, url };
}

// ------------------------------------------------------------------ messages

function senderKind(sender) {
  if (!sender || sender.id !== chrome.runtime.id) return null;
  const url = typeof sender.url === 'string' ? sender.url : '';
  if (url.startsWith(EXT_ORIGIN)) return 'page';
  const tabUrl = typeof sender.tab?.url === 'string' ? sender.tab.url : url;
  if (typeof sender.tab?.id === 'number' && (sender.frameId ?? 0) === 0 &&
      url.startsWith(`${LI_ORIGIN}/`) && tabUrl.startsWith(`${LI_ORIGIN}/`)) return 'content';
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
  if (CONTENT_TYPES.has(type) && from !== 'content') return { ok: false, error: 'sender_not_allowed' };
  if (PAGE_TYPES.has(type) && from !== 'page') return { ok: false, error: 'sender_not_allowed' };
  const tabId = sender.tab?.id;

  switch (type) {
    case 'hello': {
      const waitSpec = plain(engine.wait_spec(message.url));
      const journal = await loadRun();
      const progress = journal && journal.tabId === tabId
        ? (journal.mode === 'guided'
          ? { setting_id: journal.ids[0], stage: 'verifying' }
          : runProgress(journal))
        : null;
      return { ok: true, wait_spec: waitSpec, progress };
    }
    case 'snapshot':
      return serial(() => onContentPage(tabId, message.snapshot, message.reason));
    case 'turn_off':
      return serial(() => onTurnOff(tabId, message.setting_id));
    case 'not_now': {
      const answered = await serial(() => onAnswer(tabId, 'not_now', message.setting_id));
      if (answered) return answered;
      const { declined = {} } = await storageGet('declined');
      declined[message.setting_id] = nowIso();
      await storageSet({ declined });
      return { ok: true };
    }
    case 'status':
      return status();
    case 'start_run': {
      if (message.mode !== 'opt_out' && message.mode !== 'check') return { ok: false, error: 'mode_not_allowed' };
      const ids = Array.isArray(message.settings) ? message.settings : [];
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
      else if (!result.ok) await armWatchdog(journal);
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

// A stopped worker picks up a journaled run where it was.
serial(async () => {
  const journal = await loadRun();
  if (!journal) return;
  await ready;
  let exists = false;
  if (typeof journal.tabId === 'number') {
    exists = await chrome.tabs.get(journal.tabId).then(() => true, () => false);
  }
  await advance(journal, { type: exists ? 'resumed' : 'tab_closed' });
  await updateBadge();
}).catch((error) => console.warn('LinkedOut: resume', errorText(error)));
