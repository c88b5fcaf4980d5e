// Browser harness for the end-to-end tests: real Chromium (/usr/bin/chromium) through playwright-core, the
// LinkedIn replica installed by route interception before any page loads, and (for launchExtension) the built
// extension loaded unpacked. Never wait with fixed sleeps: every wait here is an event or a poll with a deadline.

import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const COMMON_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The extension's UI follows the browser language; tests name English buttons, so pin it.
  '--lang=en-US',
  // Every host resolves to nothing: a request that escapes the replica's routes (see launchExtension) fails on
  // this machine at once instead of reaching the network.
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

function headlessDefault(headless) {
  if (headless !== undefined) return headless;
  if (process.env.LINKEDOUT_HEADLESS === '0') return false;
  return process.env.HEADED ? false : true;
}

/** Resolves after `promise`, or rejects with a clear message after `ms`. */
export async function withDeadline(promise, ms, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `check` (sync or async) until it returns a truthy value, with short intervals and a deadline.
 * For conditions that have no event (e.g. the replica's server-side logs). Returns the truthy value.
 */
export async function waitFor(check, { timeoutMs = 5000, intervalMs = 25, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Chromium without the extension, with the replica installed, for replica self-tests.
 * Returns {browser, context, page, close}.
 */
export async function launchBrowser({ replica, headless, contextOptions = {} } = {}) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: headlessDefault(headless),
    args: COMMON_ARGS,
  });
  try {
    const context = await browser.newContext(contextOptions);
    if (replica) await replica.install(context);
    const page = await context.newPage();
    return {
      browser,
      context,
      page,
      async close() { await browser.close(); },
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * Chromium with the built extension (default dist/chrome) loaded, and the replica installed before any page
 * loads. `extraArgs` are appended after the common flags (Chromium keeps the last value of a repeated flag, so a
 * `--host-resolver-rules=...` here replaces the common one). Returns {context, extensionId, worker, page,
 * openPopup, storageGet, storageSet, storageClear, waitForStorage, sendMessage, close}.
 */
export async function launchExtension({
  replica, extensionDir = process.env.LINKEDOUT_EXTENSION || 'dist/chrome', headless, timeoutMs = 15000, extraArgs = [],
} = {}) {
  const dir = isAbsolute(extensionDir) ? extensionDir : join(REPO_ROOT, extensionDir);
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`no built extension at ${dir} (manifest.json missing): run \`cargo xtask build\` first`);
  }
  // '' = a new temporary profile for every launch, removed by Playwright on close.
  const context = await chromium.launchPersistentContext('', {
    executablePath: CHROMIUM_PATH,
    headless: headlessDefault(headless),
    args: [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`, ...COMMON_ARGS, ...extraArgs],
  });
  const cleanup = () => context.close();
  try {
    // Installed right after launch: the only page is the initial about:blank, nothing has loaded yet.
    if (replica) {
      await replica.install(context);
      // Playwright cannot route the first request of a tab the extension opens with chrome.tabs.create (it leaves
      // before Playwright attaches: microsoft/playwright#21061). It fails (COMMON_ARGS' host rules) and Chromium
      // would retry it only on its 1 s error-page auto-reload; reload it at once, through the replica's routes.
      context.on('page', (page) => {
        if (page.url().startsWith('chrome-error://')) page.reload().catch(() => {});
      });
    }

    const isExtensionWorker = (w) => w.url().startsWith('chrome-extension://');
    let worker = context.serviceWorkers().find(isExtensionWorker);
    if (!worker) {
      worker = await context.waitForEvent('serviceworker', { predicate: isExtensionWorker, timeout: timeoutMs });
    }
    const extensionId = new URL(worker.url()).host;

    /** The current extension service worker (Chromium may have restarted it). */
    async function currentWorker() {
      if (!worker || !context.serviceWorkers().includes(worker)) {
        worker = context.serviceWorkers().find(isExtensionWorker)
          ?? await context.waitForEvent('serviceworker', { predicate: isExtensionWorker, timeout: timeoutMs });
      }
      return worker;
    }

    async function inWorker(fn, arg) {
      let lastError;
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const w = await currentWorker();
        try {
          return await w.evaluate(fn, arg);
        } catch (error) {
          lastError = error;
          if (!/Target closed|has been closed|destroyed/i.test(String(error?.message))) throw error;
          worker = null;
        }
      }
      throw lastError;
    }

    async function storageGet(key) {
      return inWorker((k) => chrome.storage.local.get(k).then((r) => r[k]), key);
    }

    async function storageSet(items) {
      await inWorker((obj) => chrome.storage.local.set(obj), items);
    }

    /** Clears local storage, and session storage too (a run waiting for sign-in, the tab LinkedOut works in). */
    async function storageClear() {
      await inWorker(() => Promise.all([chrome.storage.local.clear(), chrome.storage.session.clear()]));
    }

    /**
     * Waits until `predicate(value)` holds for chrome.storage.local[key]. Event-driven: each round waits in the
     * worker for a chrome.storage.onChanged of that key (or at most 1 s, to survive a worker restart), then
     * re-checks. Rejects after `timeoutMs` with the last value seen. Returns the value.
     */
    async function waitForStorage(key, predicate = (v) => v !== undefined, timeoutMs = 10000) {
      const deadline = Date.now() + timeoutMs;
      let value = await storageGet(key);
      for (;;) {
        if (await predicate(value)) return value;
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          throw new Error(`timed out after ${timeoutMs} ms waiting for storage key "${key}"; last value: ${JSON.stringify(value)}`);
        }
        value = await inWorker(([k, ms, previousJson]) => new Promise((resolveChange) => {
          let done = false;
          const finish = (v) => {
            if (done) return;
            done = true;
            chrome.storage.onChanged.removeListener(listener);
            clearTimeout(timer);
            resolveChange(v);
          };
          const listener = (changes, area) => {
            if (area === 'local' && k in changes) finish(changes[k].newValue);
          };
          chrome.storage.onChanged.addListener(listener);
          const timer = setTimeout(() => chrome.storage.local.get(k).then((r) => finish(r[k])), ms);
          // A change between the previous read and the listener's registration would otherwise be missed.
          chrome.storage.local.get(k).then((r) => {
            if (JSON.stringify(r[k]) !== previousJson) finish(r[k]);
          });
        }), [key, Math.min(remaining, 1000), JSON.stringify(value)]);
      }
    }

    /** Sends a runtime message from an extension page (the popup), as the popup would, and returns the answer. */
    async function sendMessage(message) {
      const page = await context.newPage();
      try {
        await page.goto(`chrome-extension://${extensionId}/popup.html`);
        return await page.evaluate((m) => chrome.runtime.sendMessage(m), message);
      } finally {
        await page.close();
      }
    }

    async function openPopup() {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/popup.html`);
      return page;
    }

    const page = context.pages()[0] ?? await context.newPage();

    return {
      context,
      extensionId,
      get worker() { return worker; },
      currentWorker,
      page,
      openPopup,
      storageGet,
      storageSet,
      storageClear,
      waitForStorage,
      sendMessage,
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
