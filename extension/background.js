// LinkedOut service worker (ES module): the shell around the engine's worker core (crates/engine/src/worker).
//
// It decides nothing. Every browser event becomes one input; for each input it reads what the core lists from
// storage, calls the core, and carries out the effects the core returns, in order. An effect whose result the
// core needs comes back to it as the next input. All listeners are registered synchronously at the top level,
// so that an event that wakes a stopped worker is never missed; the Wasm is awaited inside.
import init, * as engine from './engine/linkedout_wasm.js';

// The mark lets the benchmark tell the Wasm's instantiation from the rest of a cold start.
const ready = init({ module_or_path: chrome.runtime.getURL('engine/linkedout_wasm_bg.wasm') })
  .then(() => performance.mark('linkedout:engine-ready'));

/** What the worker knows of itself. */
const env = {
  extension_origin: chrome.runtime.getURL(''),
  ui_language: chrome.i18n?.getUILanguage?.() ?? 'en',
  // For the accounts' salt, the first time a page names a member (the core has no randomness of its own).
  entropy: Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''),
};

const errorText = (error) => (error instanceof Error ? error.message : String(error));

/**
 * The kind of a browser failure, for the core. Chromium and Firefox give no codes, only these words; this table is
 * the one place that reads them.
 */
const FAILURES = [
  ['no_receiver', /Receiving end does not exist|Could not establish connection/i],
  ['tab_gone', /No tab with id|Invalid tab ID/i],
  ['quota', /quota/i],
];
function failureOf(error) {
  const text = errorText(error);
  return FAILURES.find(([, words]) => words.test(text))?.[0] ?? 'other';
}

/** One input at a time: each reads storage as the one before left it. */
let queue = Promise.resolve();
function serial(task) {
  const result = queue.then(task);
  queue = result.catch(() => {});
  return result;
}

const areas = { local: chrome.storage.local, session: chrome.storage.session };

/** What storage holds, as the core reads it; an unreadable storage is reported, never thrown. */
async function readStorage() {
  await ready;
  try {
    const [local, session] = await Promise.all([
      chrome.storage.local.get(engine.worker_keys()),
      areas.session ? areas.session.get(null) : {},
    ]);
    return { local: local ?? {}, session: session ?? {}, unreadable: null };
  } catch (error) {
    return { local: {}, session: {}, unreadable: errorText(error) };
  }
}

/** The facts of a tab, as the core reads them (null: gone). */
const tabFacts = (tab) => (tab
  ? { id: tab.id, url: tab.url ?? null, pending_url: tab.pendingUrl ?? null, status: tab.status ?? null }
  : null);

const done = (then, value = null, failure = null) => ({ type: 'done', then, value, failure });

/** The tab LinkedOut last worked in, sent to `url` and brought forward, if it still shows one of its prefixes. */
async function reuseTab({ tab_id: id, if_url_starts_with: prefixes }, url) {
  const tab = await chrome.tabs.get(id).catch(() => null);
  if (!tab || !prefixes.some((p) => (tab.url ?? '').startsWith(p))) return null;
  const updated = await chrome.tabs.update(id, { url, active: true }).catch(() => null);
  if (updated) await chrome.windows.update(updated.windowId, { focused: true }).catch(() => {});
  return updated;
}

/**
 * Carries out one effect. Returns the input that reports its result when the core asked for one (`then`), and
 * for a refused store the input that tells the core, with the effects not carried out.
 */
async function carryOut(effect, rest, reply) {
  switch (effect.type) {
    case 'store': {
      const area = areas[effect.area];
      try {
        if (Object.keys(effect.set).length > 0) await area.set(effect.set);
        if (effect.remove.length > 0) await area.remove(effect.remove);
        return null;
      } catch (error) {
        return { type: 'store_failed', failed: effect, error: errorText(error), failure: failureOf(error), remaining: rest };
      }
    }
    case 'navigate':
      try {
        await chrome.tabs.update(effect.tab_id, { url: effect.url });
        return null;
      } catch (error) {
        return effect.then ? done(effect.then, null, failureOf(error)) : null;
      }
    case 'open_tab': {
      const tab = (effect.reuse && await reuseTab(effect.reuse, effect.url))
        || await chrome.tabs.create({ url: effect.url, active: true }).catch(() => null);
      return effect.then ? done(effect.then, tabFacts(tab)) : null;
    }
    case 'get_tab':
      return done(effect.then, tabFacts(await chrome.tabs.get(effect.tab_id).catch(() => null)));
    case 'send_to_tab':
      try {
        const answer = await chrome.tabs.sendMessage(effect.tab_id, effect.message, { frameId: 0 });
        return effect.then ? done(effect.then, answer ?? null) : null;
      } catch (error) {
        return effect.then ? done(effect.then, null, failureOf(error)) : null;
      }
    case 'broadcast':
      await chrome.runtime.sendMessage(effect.message).catch(() => {}); // no page open
      return null;
    case 'reply':
      reply(effect.answer);
      return null;
    case 'wait':
      await new Promise((resolve) => setTimeout(resolve, effect.ms));
      return done(effect.then);
    case 'continue':
      return done(effect.then);
    case 'set_alarm':
      await chrome.alarms.create(effect.name, {
        delayInMinutes: effect.delay_minutes, ...(effect.period_minutes ? { periodInMinutes: effect.period_minutes } : {}),
      });
      return null;
    case 'clear_alarm':
      await chrome.alarms.clear(effect.name);
      return null;
    case 'badge':
      await chrome.action.setBadgeBackgroundColor({ color: effect.color });
      await chrome.action.setBadgeText({ text: effect.text });
      return null;
    case 'net_rules':
      await chrome.declarativeNetRequest.updateDynamicRules({ removeRuleIds: effect.remove_ids, addRules: effect.add });
      return null;
    case 'log':
      console.warn(effect.text);
      return null;
    default:
      console.warn('LinkedOut: an effect this worker does not know', effect.type);
      return null;
  }
}

/** One input through the core, and every input its effects lead to. */
async function handle(input, reply = () => {}) {
  let next = input;
  while (next) {
    const storage = await readStorage();
    let effects;
    try {
      effects = engine.worker_step(env, storage, next);
    } catch (error) {
      // The core refused the input itself (it cannot be read): nothing is done, and the sender hears it.
      console.warn('LinkedOut: the worker core refused an input', next.type, errorText(error));
      reply({ ok: false, error: 'internal', message: errorText(error) });
      return;
    }
    next = null;
    for (let i = 0; i < effects.length; i += 1) {
      let outcome;
      try {
        outcome = await carryOut(effects[i], effects.slice(i + 1), reply);
      } catch (error) {
        console.warn('LinkedOut: an effect failed', effects[i].type, errorText(error));
        continue;
      }
      if (outcome?.type === 'store_failed') {
        next = outcome;
        break;
      }
      if (outcome) next = outcome;
    }
  }
}

const run = (input) => serial(() => handle(input)).catch((error) => console.warn('LinkedOut:', input.type, errorText(error)));

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  let answered = false;
  const reply = (answer) => {
    if (answered) return;
    answered = true;
    sendResponse(answer);
  };
  const input = {
    type: 'message',
    sender: {
      same_extension: sender?.id === chrome.runtime.id,
      url: sender?.url ?? null,
      origin: sender?.origin ?? null,
      tab_id: sender?.tab?.id ?? null,
      tab_url: sender?.tab?.url ?? null,
      frame_id: sender?.frameId ?? null,
    },
    message: message ?? null,
  };
  serial(() => handle(input, reply))
    .catch((error) => reply({ ok: false, error: 'internal', message: errorText(error) }))
    .finally(() => reply({ ok: false, error: 'internal', message: 'no answer' }));
  return true;
});

chrome.tabs.onUpdated.addListener((tabId, info, tab) => {
  // Only finished loads are inputs: the core never needs the others, and each input reads storage.
  if (info.status === 'complete') run({ type: 'tab_complete', tab_id: tabId, url: tab?.url || info.url || null });
});
chrome.tabs.onRemoved.addListener((tabId) => run({ type: 'tab_removed', tab_id: tabId }));
chrome.alarms.onAlarm.addListener((alarm) => run({ type: 'alarm', name: alarm.name }));
chrome.runtime.onInstalled.addListener(() => run({ type: 'installed' }));
chrome.runtime.onStartup?.addListener(() => run({ type: 'browser_started' }));

// A stopped worker picks up a journaled run where it was.
run({ type: 'started' });
