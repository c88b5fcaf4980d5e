// LinkedOut content script (classic script, no modules, no Wasm).
//
// Runs only on https://www.linkedin.com/mypreferences/* and /psettings/*. It decides nothing: it waits for the
// page to settle, reports a snapshot (ARCHITECTURE.md, "Snapshot"), draws the guided overlay the service worker
// asks for, and carries out click/confirm commands after re-checking the element. It obeys only messages from
// its own extension (chrome.runtime.onMessage with sender.id === chrome.runtime.id); window.postMessage is never
// listened to.
(() => {
  'use strict';

  // A second injection into the same document (e.g. after an extension update) must not double up.
  if (globalThis.__linkedoutContent) return;
  globalThis.__linkedoutContent = true;

  const ORIGIN = 'https://www.linkedin.com';
  const SETTINGS_PREFIXES = ['/mypreferences/', '/psettings/'];
  const SWITCH_SELECTOR = 'input[type="checkbox"], [role="switch"]';
  const DIALOG_SELECTOR = '[role="dialog"], [role="alertdialog"], dialog[open]';
  const BUTTON_SELECTOR = 'button, [role="button"], input[type="button"], input[type="submit"]';
  const DEFAULT_QUIET_MS = 700;
  const DEFAULT_SETTLE_MS = 500;
  const DEFAULT_BUSY_SETTLE_MS = 60;
  const DEFAULT_DEADLINE_MS = 15000;
  const MAX_TEXT = 2000;
  const MAX_LINKS = 300;

  let spec = null; // the wait spec the service worker gave for this URL
  let currentPath = location.pathname;
  let pageToken = 0; // bumps on SPA navigation so stale waits are dropped
  let busy = false; // a click/confirm is being carried out
  // Which document this is, in every report and click answer: the worker tells a report from the page it left
  // from one of the page it went to, though both have the same URL.
  const docId = crypto.randomUUID();
  // This page's report to the service worker: 'starting' (hello unanswered), 'waiting' (settling), 'sending',
  // 'sent' (answered), 'failed', or 'none' (this page sends none).
  let reportState = 'starting';
  let waitedAs = null; // what the page wait ended on ('expected' or 'quiet'), for the snapshot's `waited`
  let reportId = ''; // the current report's id: a resend keeps it, so the worker counts the report once

  // ---------------------------------------------------------------- small helpers

  const collapse = (text) => String(text ?? '').replace(/\s+/g, ' ').trim();
  const clip = (text, max = MAX_TEXT) => (text.length > max ? text.slice(0, max) : text);

  function t(key, subs) {
    try {
      const text = chrome.i18n.getMessage(key, subs);
      if (text) return text;
    } catch {
      // extension context gone
    }
    return '';
  }

  function isSettingsPath(path) {
    return SETTINGS_PREFIXES.some((prefix) => path.startsWith(prefix));
  }

  function send(message) {
    try {
      return chrome.runtime.sendMessage(message).catch(() => null);
    } catch {
      // The extension was reloaded or removed: this script is orphaned and stays quiet.
      return Promise.resolve(null);
    }
  }

  function prefersReducedMotion() {
    return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  }

  // ---------------------------------------------------------------- reading the page

  function listSwitches() {
    return Array.from(document.querySelectorAll(SWITCH_SELECTOR));
  }

  function isVisible(el) {
    if (!el || !el.isConnected) return false;
    if (el.getClientRects().length === 0) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.visibility === 'collapse') return false;
    if (typeof el.checkVisibility === 'function' &&
        !el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) return false;
    return true;
  }

  function checkedOf(el) {
    if (el.tagName === 'INPUT' && el.type === 'checkbox') return Boolean(el.checked);
    const aria = el.getAttribute('aria-checked');
    if (aria === 'true') return true;
    if (aria === 'false') return false;
    return null;
  }

  function disabledOf(el) {
    return Boolean(el.disabled) || el.getAttribute('aria-disabled') === 'true';
  }

  function labelOf(el) {
    const labelledby = el.getAttribute('aria-labelledby');
    if (labelledby) {
      const text = collapse(labelledby.split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '));
      if (text) return clip(text, 500);
    }
    const labels = el.labels && el.labels.length ? Array.from(el.labels) : [el.closest('label')].filter(Boolean);
    const fromLabel = collapse(labels.map((label) => label.textContent).join(' '));
    if (fromLabel) return clip(fromLabel, 500);
    return clip(collapse(el.getAttribute('aria-label')), 500);
  }

  function navigationStatus() {
    try {
      const nav = performance.getEntriesByType('navigation')[0];
      if (!nav || typeof nav.responseStatus !== 'number' || nav.responseStatus <= 0) return null;
      // After an in-page (SPA) navigation the entry belongs to the first document: then it is not known.
      if (nav.name && new URL(nav.name).pathname !== location.pathname) return null;
      return nav.responseStatus;
    } catch {
      return null;
    }
  }

  function loginFormShows() {
    return Boolean(document.querySelector('input[type="password"]'));
  }

  function signedIn() {
    try {
      for (let i = 0; i < localStorage.length; i += 1) {
        if (String(localStorage.key(i)).startsWith('voyager')) return true;
      }
    } catch {
      // storage blocked: unknown
    }
    return loginFormShows() ? false : null;
  }

  function settingsLinks() {
    const seen = new Set();
    for (const a of document.querySelectorAll('a[href]')) {
      let url;
      try {
        url = new URL(a.getAttribute('href'), location.href);
      } catch {
        continue;
      }
      if (url.origin !== ORIGIN || !isSettingsPath(url.pathname)) continue;
      seen.add(url.pathname);
      if (seen.size >= MAX_LINKS) break;
    }
    return Array.from(seen);
  }

  function listDialogs() {
    return Array.from(document.querySelectorAll(DIALOG_SELECTOR)).filter(isVisible);
  }

  function dialogButtons(dialog) {
    return Array.from(dialog.querySelectorAll(BUTTON_SELECTOR)).filter(isVisible);
  }

  function buttonLabel(button) {
    return clip(collapse(button.getAttribute('aria-label') || button.textContent || button.value || ''), 300);
  }

  function fingerprintOf(el) {
    return {
      labelledby: el.getAttribute('aria-labelledby'),
      id: el.id || null,
      checked: checkedOf(el),
    };
  }

  function takeSnapshot(waited) {
    const switches = listSwitches().map((el, index) => {
      const fp = fingerprintOf(el);
      return {
        index,
        id: fp.id,
        labelledby: fp.labelledby,
        label: labelOf(el),
        checked: fp.checked,
        disabled: disabledOf(el),
        visible: isVisible(el),
      };
    });
    const dialogs = listDialogs().map((dialog, index) => ({
      index,
      text: clip(collapse(dialog.textContent)),
      buttons: dialogButtons(dialog).map((button, i) => ({ index: i, label: buttonLabel(button) })),
    }));
    return {
      url: location.href,
      lang: document.documentElement.getAttribute('lang') || '',
      status: navigationStatus(),
      signed_in: signedIn(),
      waited,
      switches,
      links: settingsLinks(),
      dialogs,
    };
  }

  // ---------------------------------------------------------------- waiting (MutationObserver + deadline)

  function specList(...candidates) {
    for (const value of candidates) if (Array.isArray(value)) return value.filter((v) => typeof v === 'string');
    return [];
  }

  function expectations(waitSpec) {
    const expected = waitSpec?.expected ?? {};
    return {
      labelledby: specList(waitSpec?.expect_labelledby, expected.labelledby),
      ids: specList(waitSpec?.expect_ids, expected.element_ids),
    };
  }

  function numberOr(value, fallback) {
    return Number.isFinite(value) && value >= 0 ? value : fallback;
  }

  function quietMs(waitSpec) {
    return numberOr(waitSpec?.quiet_ms, DEFAULT_QUIET_MS);
  }

  function settleMs(waitSpec) {
    return numberOr(waitSpec?.settle_ms, DEFAULT_SETTLE_MS);
  }

  function busySettleMs(waitSpec) {
    return Math.min(numberOr(waitSpec?.busy_settle_ms, DEFAULT_BUSY_SETTLE_MS), settleMs(waitSpec));
  }

  function deadlineMs(waitSpec) {
    return numberOr(waitSpec?.deadline_ms ?? waitSpec?.timeout_ms, DEFAULT_DEADLINE_MS);
  }

  function allExpectedPresent(exp) {
    if (exp.labelledby.length === 0 && exp.ids.length === 0) return false;
    const switches = listSwitches();
    const hasLabelledby = (value) => switches.some((el) =>
      (el.getAttribute('aria-labelledby') || '').split(/\s+/).includes(value));
    const hasId = (value) => switches.some((el) => el.id === value);
    return exp.labelledby.every(hasLabelledby) && exp.ids.every(hasId);
  }

  function quietEnough(exp) {
    if (listSwitches().length > 0) return true;
    const status = navigationStatus();
    if (status !== null && status >= 400) return true; // an error page will not grow switches
    if (loginFormShows()) return true;
    // A page that expects no switch (a category page) is settled once it shows its settings links.
    return exp.labelledby.length === 0 && exp.ids.length === 0 && settingsLinks().length > 0;
  }

  function isOwnMutation(record) {
    return overlay !== null && (record.target === overlay.host ||
      Array.from(record.addedNodes).includes(overlay.host) || Array.from(record.removedNodes).includes(overlay.host));
  }

  /** Resolves with "expected" | "quiet" | "deadline". The strategy (MutationObserver + deadline) is in wait.js. */
  function waitForPage(waitSpec) {
    const exp = expectations(waitSpec);
    return globalThis.__linkedoutWait.forPage({
      ready: () => allExpectedPresent(exp),
      settled: () => quietEnough(exp),
      ownMutations: (records) => records.every(isOwnMutation),
      quietMs: quietMs(waitSpec),
      deadlineMs: deadlineMs(waitSpec),
    });
  }

  /** Whether the page marks the switch (or a container of it) as being updated, as ARIA's aria-busy says. */
  function isBusy(el) {
    return Boolean(el?.isConnected && el.closest('[aria-busy="true"]'));
  }

  /**
   * After a click: settled when the page no longer marks the switch busy and then neither the switch nor the
   * page changed for a while, bounded by the deadline. How long depends on what the page showed: once it has
   * marked the save busy and un-marked it, the save's answer is in (a refusal is drawn in the same task), so
   * busy_settle_ms suffices; a page that never marked it gets the longer settle_ms. A revert that comes later is
   * caught by the fresh-load verify, which waits until the change has held for a while.
   */
  function waitForSettle(el, waitSpec) {
    return new Promise((resolve) => {
      let done = false;
      let quietTimer = 0;
      let frame = 0;
      let sawBusy = isBusy(el);
      const finish = () => {
        if (done) return;
        done = true;
        observer.disconnect();
        clearTimeout(quietTimer);
        cancelAnimationFrame(frame);
        clearTimeout(deadlineTimer);
        el?.removeEventListener('change', onChange, true);
        el?.removeEventListener('input', onChange, true);
        resolve();
      };
      // A busy switch is settled only when the page clears aria-busy, which is itself a mutation.
      const settled = () => {
        if (!isBusy(el)) finish();
      };
      const armQuiet = () => {
        clearTimeout(quietTimer);
        cancelAnimationFrame(frame);
        if (isBusy(el)) {
          sawBusy = true;
          return;
        }
        if (sawBusy) {
          // The save's answer is in, and whatever the page draws for it is drawn by the next frame: two quiet
          // frames settle it. A tab that draws no frames (a hidden one) settles on the timer instead.
          frame = requestAnimationFrame(() => {
            frame = requestAnimationFrame(settled);
          });
        }
        quietTimer = setTimeout(settled, sawBusy ? busySettleMs(waitSpec) : settleMs(waitSpec));
      };
      const onChange = () => armQuiet();
      const observer = new MutationObserver((records) => {
        if (records.every(isOwnMutation)) return;
        armQuiet();
      });
      observer.observe(document.documentElement, {
        subtree: true, childList: true, attributes: true, characterData: true,
      });
      el?.addEventListener('change', onChange, true);
      el?.addEventListener('input', onChange, true);
      const deadlineTimer = setTimeout(finish, deadlineMs(waitSpec));
      armQuiet();
    });
  }

  function currentWaited() {
    const exp = expectations(spec);
    return allExpectedPresent(exp) ? 'expected' : 'quiet';
  }

  // ---------------------------------------------------------------- page lifecycle

  async function start() {
    const token = ++pageToken;
    reportState = 'starting';
    if (!isSettingsPath(location.pathname)) {
      reportState = 'none';
      return;
    }
    const hello = { type: 'hello', url: location.href };
    // Once more at once if the worker stopped while taking it: that wakes a fresh one.
    const answer = (await send(hello)) ?? (token === pageToken ? await send(hello) : null);
    if (token !== pageToken) return;
    if (!answer || answer.ok === false) {
      reportState = 'none';
      return;
    }
    spec = answer.wait_spec ?? answer.spec ?? null;
    if (answer.progress) showProgress(answer.progress);
    if (spec && spec.wait === false) {
      reportState = 'none';
      return;
    }
    reportState = 'waiting';
    const waited = await waitForPage(spec);
    if (token !== pageToken) return;
    waitedAs = waited;
    reportId = newReportId();
    await reportPage(token);
  }

  function newReportId() {
    return crypto.randomUUID();
  }

  /**
   * Sends this page's report. A send that fails (the worker stopped while taking it) is made once more at once:
   * that wakes a fresh worker, and the report id lets the worker count it once should the first one have
   * arrived after all.
   */
  async function reportPage(token) {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      reportState = 'sending';
      const answer = await send({
        type: 'snapshot', snapshot: takeSnapshot(waitedAs), reason: 'page', report_id: reportId, doc: docId,
      });
      if (token !== pageToken) return;
      if (answer) {
        reportState = 'sent';
        return;
      }
    }
    reportState = 'failed';
  }

  /**
   * A restarted worker asks whether this page will still report itself (so that it need not reload it). True
   * while the report is on its way, or when a lost one is sent again now (same id: it may have counted).
   */
  function willReport() {
    if (reportState === 'starting' || reportState === 'waiting' || reportState === 'sending') return true;
    if (reportState === 'failed') {
      reportPage(pageToken);
      return true;
    }
    return false;
  }

  function onUrlChange(event) {
    // A popstate the page dispatches itself (untrusted) is no navigation; the path check covers the rest.
    if (event && event.isTrusted === false) return;
    if (location.pathname === currentPath) return;
    currentPath = location.pathname;
    removeOverlay();
    start();
  }

  // In-page (SPA) navigations: the Navigation API where there is one, popstate otherwise. No polling.
  if (globalThis.navigation && typeof globalThis.navigation.addEventListener === 'function') {
    globalThis.navigation.addEventListener('navigatesuccess', onUrlChange);
  }
  window.addEventListener('popstate', onUrlChange);

  // ---------------------------------------------------------------- commands

  function sameFingerprint(el, fp) {
    if (!fp || typeof fp !== 'object') return false;
    const now = fingerprintOf(el);
    return (fp.labelledby ?? null) === now.labelledby &&
      (fp.id ?? null) === now.id &&
      (fp.checked ?? null) === now.checked;
  }

  async function afterAction(el) {
    await waitForSettle(el, spec);
    busy = false;
    await send({
      type: 'snapshot', snapshot: takeSnapshot(currentWaited()), reason: 'after_click', report_id: newReportId(), doc: docId,
    });
  }

  /**
   * Nothing was pressed: the page is reported afresh, once settled, so that the engine sees what is there now.
   * From this moment the page has a report to come (a restarted worker asks, and must not reload it meanwhile).
   */
  async function reportAfresh() {
    const token = pageToken;
    reportState = 'waiting';
    await waitForSettle(null, spec);
    busy = false;
    if (token !== pageToken) return;
    waitedAs = currentWaited();
    reportId = newReportId();
    await reportPage(token);
  }

  function doClick(command) {
    if (busy) return { ok: false, error: 'busy' };
    const el = listSwitches()[command.switch_index];
    if (!el || !el.isConnected || !sameFingerprint(el, command.fingerprint)) {
      busy = true;
      reportAfresh();
      return { ok: true, clicked: false, reason: 'fingerprint_mismatch', doc: docId };
    }
    busy = true;
    markWorking(command.setting_id);
    el.click();
    afterAction(el);
    return { ok: true, clicked: true, doc: docId };
  }

  function doConfirm(command) {
    if (busy) return { ok: false, error: 'busy' };
    const dialog = listDialogs()[command.dialog_index];
    const button = dialog ? dialogButtons(dialog)[command.button_index] : null;
    busy = true;
    if (!button || !button.isConnected) {
      reportAfresh();
      return { ok: true, clicked: false, reason: 'not_found', doc: docId };
    }
    button.click();
    afterAction(button);
    return { ok: true, clicked: true, doc: docId };
  }

  // Commands come only from this extension's service worker (chrome.tabs.sendMessage): never from another
  // extension, never from a tab (sender.tab is set for anything sent from a page), never from window.postMessage
  // or page events, which this script does not listen to.
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (!sender || sender.id !== chrome.runtime.id || sender.tab) return false;
    if (!message || typeof message !== 'object' || typeof message.type !== 'string') return false;
    switch (message.type) {
      case 'overlay':
        drawOverlay(message);
        sendResponse({ ok: true });
        return false;
      case 'click':
        sendResponse(doClick(message));
        return false;
      case 'confirm':
        sendResponse(doConfirm(message));
        return false;
      case 'result':
        showResult(message);
        sendResponse({ ok: true });
        return false;
      case 'progress':
        showProgress(message);
        sendResponse({ ok: true });
        return false;
      case 'report_page':
        sendResponse({ ok: true, reporting: willReport(), doc: docId });
        return false;
      case 'snapshot_request':
        sendResponse({ ok: true, snapshot: takeSnapshot(currentWaited()), doc: docId });
        return false;
      default:
        return false;
    }
  });

  // ---------------------------------------------------------------- the guided overlay (open shadow root)

  const STYLE = `
    :host { all: initial; }
    * { box-sizing: border-box; }
    .layer { position: fixed; inset: 0; pointer-events: none; }
    .hl { position: fixed; pointer-events: none; border: 3px solid #0a66c2; border-radius: 8px;
          box-shadow: 0 0 0 4px rgba(10,102,194,.3); }
    .hl.manual { border-style: dashed; border-color: #b24020; box-shadow: 0 0 0 4px rgba(178,64,32,.25); }
    .hl.done { border-color: #057642; box-shadow: 0 0 0 4px rgba(5,118,66,.25); }
    .panel.left { right: auto; left: 16px; }
    .panel { position: fixed; right: 16px; bottom: 16px; width: min(400px, calc(100vw - 32px));
             max-height: calc(100vh - 32px); overflow: auto; pointer-events: auto;
             font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2226;
             background: #fff; border: 1px solid #c6c9cc; border-radius: 12px;
             box-shadow: 0 8px 28px rgba(0,0,0,.28); padding: 14px 16px; text-align: start; }
    header { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-bottom: 6px; }
    h2 { font-size: 1.05em; margin: 0; font-weight: 700; }
    h3 { font-size: 1em; margin: 0 0 4px; font-weight: 650; }
    p { margin: 0 0 8px; }
    .card { border-top: 1px solid #e0e2e4; padding-top: 10px; margin-top: 10px; }
    .card:first-of-type { border-top: 0; margin-top: 0; padding-top: 4px; }
    .muted { color: #56687a; }
    .status { font-weight: 600; }
    .status.good { color: #057642; } .status.bad { color: #b24020; }
    .row { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
    button { font: inherit; font-weight: 600; border-radius: 18px; padding: 6px 16px; cursor: pointer;
             border: 1px solid #0a66c2; background: #fff; color: #0a66c2; min-height: 36px; }
    button.primary { background: #0a66c2; color: #fff; }
    button.close { border-color: transparent; padding: 2px 10px; min-height: 32px; color: #56687a; }
    button:disabled { opacity: .55; cursor: default; }
    button:focus-visible { outline: 3px solid #e7a33e; outline-offset: 2px; }
    @media (prefers-reduced-motion: no-preference) {
      .panel { animation: in .18s ease-out; }
      @keyframes in { from { transform: translateY(8px); opacity: 0; } to { transform: none; opacity: 1; } }
    }
    @media (prefers-color-scheme: dark) {
      .panel { background: #1d2226; color: #e9e9e9; border-color: #4b5157; }
      .card { border-top-color: #3a3f44; }
      .muted { color: #b0b7be; }
      button { background: #1d2226; color: #70b5f9; border-color: #70b5f9; }
      button.primary { background: #70b5f9; color: #000; }
      button.close { color: #b0b7be; border-color: transparent; }
      .hl { border-color: #70b5f9; }
      .status.good { color: #7fc15e; } .status.bad { color: #f5987e; }
    }
    @media (forced-colors: active) {
      .hl { border-color: Highlight; } button { border-color: ButtonText; }
    }
  `;

  let overlay = null; // {host, root, layer, panel, list, items: Map(id -> {card, status, buttons, hl, el}), onMove}

  function removeOverlay() {
    if (!overlay) return;
    window.removeEventListener('scroll', overlay.onMove, true);
    window.removeEventListener('resize', overlay.onMove);
    overlay.resizeObserver?.disconnect();
    overlay.host.remove();
    overlay = null;
  }

  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'text') el.textContent = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children) if (child) el.append(child);
    return el;
  }

  function ensureOverlay() {
    if (overlay && overlay.host.isConnected) return overlay;
    removeOverlay();
    const host = document.createElement('linkedout-overlay');
    host.setAttribute('style', [
      'all: initial !important', 'display: block !important', 'position: fixed !important',
      'top: 0 !important', 'left: 0 !important', 'width: 0 !important', 'height: 0 !important',
      'z-index: 2147483647 !important', 'visibility: visible !important', 'opacity: 1 !important',
    ].join('; '));
    const root = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    const layer = h('div', { class: 'layer', 'aria-hidden': 'true' });
    const closeButton = h('button', { class: 'close', type: 'button', 'aria-label': t('ov_close'), text: '✕' });
    const list = h('div', { class: 'list' });
    const note = h('p', { class: 'muted note', role: 'status', 'aria-live': 'polite' });
    const panel = h('section', { class: 'panel', role: 'region', 'aria-label': t('ov_region_label') || 'LinkedOut' },
      h('header', {}, h('h2', { text: t('ov_title') || 'LinkedOut' }), closeButton), list, note);
    root.append(style, layer, panel);
    document.documentElement.append(host);
    const state = { host, root, layer, panel, list, note, items: new Map(), onMove: null, resizeObserver: null };
    guard(state, closeButton, () => removeOverlay());
    panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && event.isTrusted) removeOverlay();
    });
    let frame = 0;
    state.onMove = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        positionHighlights();
      });
    };
    window.addEventListener('scroll', state.onMove, { capture: true, passive: true });
    window.addEventListener('resize', state.onMove, { passive: true });
    if (typeof ResizeObserver === 'function') {
      state.resizeObserver = new ResizeObserver(state.onMove);
      state.resizeObserver.observe(document.documentElement);
    }
    overlay = state;
    return state;
  }

  /**
   * Anti-clickjacking: a button acts only on a trusted click, and only when the panel itself is the topmost
   * thing at the point that was clicked (for keyboard activation: at the button's centre).
   */
  function hitTestOk(state, button, event) {
    let x = event.clientX;
    let y = event.clientY;
    if (event.detail === 0 || (x === 0 && y === 0)) {
      const rect = button.getBoundingClientRect();
      x = rect.left + rect.width / 2;
      y = rect.top + rect.height / 2;
    }
    if (document.elementFromPoint(x, y) !== state.host) return false;
    const inner = state.root.elementFromPoint(x, y);
    return Boolean(inner) && (inner === button || button.contains(inner));
  }

  /**
   * Chromium's IntersectionObserver v2 (trackVisibility): is the button painted right now with nothing over it
   * (also nothing with pointer-events: none, which a hit test cannot see), not faded, not transformed?
   * Resolves true/false, or null where the browser cannot tell (then the hit test alone decides).
   */
  function paintedVisible(button) {
    return new Promise((resolve) => {
      let observer = null;
      let timer = 0;
      const done = (value) => {
        observer?.disconnect();
        clearTimeout(timer);
        resolve(value);
      };
      try {
        observer = new IntersectionObserver((entries) => {
          const entry = entries[entries.length - 1];
          done(entry && typeof entry.isVisible === 'boolean' ? entry.isVisible : null);
        }, { trackVisibility: true, delay: 100, threshold: [0, 1] });
      } catch {
        resolve(null);
        return;
      }
      timer = setTimeout(() => done(null), 1000);
      observer.observe(button);
    });
  }

  /**
   * Anti-clickjacking, twice: a trusted click only, the panel topmost at the clicked point (hit test), and the
   * button painted unoccluded (paintedVisible). A click that fails either is ignored and the member is told.
   */
  function guard(state, button, action) {
    let checking = false;
    button.addEventListener('click', async (event) => {
      if (!event.isTrusted || checking) return;
      if (!hitTestOk(state, button, event)) {
        state.note.textContent = t('ov_blocked');
        return;
      }
      checking = true;
      const visible = await paintedVisible(button);
      checking = false;
      if (visible === false || !button.isConnected) {
        state.note.textContent = t('ov_blocked');
        return;
      }
      if (state.note.textContent === t('ov_blocked')) state.note.textContent = '';
      action(event);
    });
  }

  function settingText(id, field, texts) {
    const fromLocale = t(`setting_${id}_${field}`);
    if (fromLocale) return fromLocale;
    const fallback = texts?.[id]?.[field];
    return typeof fallback === 'string' ? fallback : (field === 'name' ? id : '');
  }

  function findSwitch(item) {
    if (!Number.isInteger(item.switch_index)) return null;
    return listSwitches()[item.switch_index] ?? null;
  }

  function positionHighlights() {
    if (!overlay) return;
    let rightSide = false; // a highlighted switch in the right half: keep the panel on the left, off the switch
    for (const entry of overlay.items.values()) {
      if (!entry.hl) continue;
      if (!entry.el || !entry.el.isConnected) entry.el = relocate(entry);
      const rect = entry.el?.isConnected ? entry.el.getBoundingClientRect() : null;
      if (!rect || (rect.width === 0 && rect.height === 0)) {
        entry.hl.style.display = 'none';
        continue;
      }
      const pad = 6;
      Object.assign(entry.hl.style, {
        display: 'block',
        left: `${rect.left - pad}px`,
        top: `${rect.top - pad}px`,
        width: `${rect.width + pad * 2}px`,
        height: `${rect.height + pad * 2}px`,
      });
      if (rect.left + rect.width / 2 > window.innerWidth / 2) rightSide = true;
    }
    overlay.panel.classList.toggle('left', rightSide);
  }

  function relocate(entry) {
    // The page re-rendered the switch: find the element with the same structural identity again.
    const fp = entry.fingerprint;
    if (!fp) return null;
    return listSwitches().find((el) => (fp.labelledby && el.getAttribute('aria-labelledby') === fp.labelledby) ||
      (fp.id && el.id === fp.id)) ?? null;
  }

  function setStatus(entry, text, tone) {
    entry.status.textContent = text;
    entry.status.className = `status${tone ? ` ${tone}` : ''}`;
  }

  function addCard(state, item, texts) {
    const id = item.setting_id;
    const name = settingText(id, 'name', texts);
    const explanation = settingText(id, 'explanation', texts);
    const offMeans = settingText(id, 'off_means', texts);
    const headingId = `lo-h-${id}`;
    const card = h('article', { class: 'card', 'aria-labelledby': headingId, 'data-setting': id });
    card.append(h('h3', { id: headingId, text: name }));
    const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    const entry = { card, status, buttons: [], hl: null, el: null, fingerprint: null, action: item.action, next: null };
    let deferNext = false;

    const el = findSwitch(item);
    if (el && (item.action === 'offer' || item.action === 'click' || item.action === 'manual' ||
        item.action === 'already_off')) {
      entry.el = el;
      entry.fingerprint = fingerprintOf(el);
      entry.hl = h('div', { class: `hl${item.action === 'manual' ? ' manual' : ''}${item.action === 'already_off' ? ' done' : ''}` });
      state.layer.append(entry.hl);
    }

    if (item.action === 'offer' || item.action === 'click') {
      if (explanation) card.append(h('p', { text: explanation }));
      if (offMeans) card.append(h('p', { class: 'muted', text: t('ov_off_means', [offMeans]) || offMeans }));
      card.append(status);
      const turnOff = h('button', { class: 'primary', type: 'button', text: t('ov_turn_off', [name]) || `Turn off ${name}` });
      const notNow = h('button', { type: 'button', text: t('ov_not_now') || 'Not now' });
      guard(state, turnOff, () => onTurnOff(entry, id));
      guard(state, notNow, () => onNotNow(entry, id));
      entry.buttons.push(turnOff, notNow);
      card.append(h('div', { class: 'row' }, turnOff, notNow));
    } else if (item.action === 'already_off') {
      setStatus(entry, t('ov_already_off'), 'good');
      card.append(status);
      deferNext = true;
    } else if (item.action === 'manual') {
      if (explanation) card.append(h('p', { text: explanation }));
      card.append(h('p', { text: entry.hl ? t('ov_manual') : t('ov_manual_none') }));
      if (offMeans) card.append(h('p', { class: 'muted', text: t('ov_off_means', [offMeans]) || offMeans }));
      card.append(status);
      deferNext = true;
    } else if (item.action === 'missing') {
      card.append(h('p', { class: 'muted', text: t('ov_missing') }));
      card.append(status);
    } else {
      card.append(status);
    }
    state.list.append(card);
    state.items.set(id, entry);
    if (deferNext) offerNext(entry, id);
    return entry;
  }

  function drawOverlay(message) {
    const plan = message.plan;
    if (!plan || typeof plan !== 'object') return;
    const items = Array.isArray(plan.items) ? plan.items : [];
    const unknown = Array.isArray(plan.unknown_settings) ? plan.unknown_settings : [];
    const signedOut = plan.signed_in === false || plan.page?.kind === 'sign_in';
    if (items.length === 0 && unknown.length === 0 && !signedOut) {
      removeOverlay();
      return;
    }
    removeOverlay();
    const state = ensureOverlay();
    if (signedOut) state.list.append(h('p', { class: 'status bad', text: t('ov_signed_out') }));
    for (const item of items) {
      if (item && typeof item.setting_id === 'string') addCard(state, item, message.texts);
    }
    if (unknown.length) {
      state.list.append(h('p', { class: 'muted', text: t('ov_unknown_settings', [String(unknown.length)]) }));
    }
    positionHighlights();
    const first = Array.from(state.items.values()).find((entry) => entry.el && entry.action !== 'already_off');
    if (first) {
      const rect = first.el.getBoundingClientRect();
      if (rect.bottom < 0 || rect.top > window.innerHeight) {
        first.el.scrollIntoView({ block: 'center', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
      }
    }
  }

  /** Offers "Next setting" on a card whose setting is dealt with, so that the tour goes on page by page. */
  function offerNext(entry, id) {
    if (!overlay || entry.next) return;
    const next = h('button', { type: 'button', text: t('ov_next_setting') || 'Next setting' });
    guard(overlay, next, async () => {
      next.disabled = true;
      const answer = await send({ type: 'next_setting', setting_id: id });
      if (answer?.ok) return;
      next.remove();
      setStatus(entry, answer?.error === 'nothing_to_guide' ? t('ov_tour_done') : t('ov_error', [answer?.error || '?']),
        answer?.error === 'nothing_to_guide' ? 'good' : 'bad');
    });
    entry.next = next;
    entry.card.append(h('div', { class: 'row' }, next));
  }

  async function onTurnOff(entry, id) {
    for (const button of entry.buttons) button.disabled = true;
    setStatus(entry, t('ov_working'));
    const answer = await send({ type: 'turn_off', setting_id: id });
    if (!answer || answer.ok === false) {
      const error = answer?.error ?? '';
      setStatus(entry, error === 'run_active' ? t('ov_busy') : t('ov_error', [error || '?']), 'bad');
      for (const button of entry.buttons) button.disabled = false;
    }
  }

  async function onNotNow(entry, id) {
    for (const button of entry.buttons) button.disabled = true;
    await send({ type: 'not_now', setting_id: id });
    setStatus(entry, t('ov_declined'));
    for (const button of entry.buttons) button.remove();
    entry.buttons = [];
    if (entry.hl) {
      entry.hl.remove();
      entry.hl = null;
    }
    offerNext(entry, id);
  }

  function markWorking(id) {
    const entry = overlay?.items.get(id);
    if (entry) setStatus(entry, t('ov_working'));
  }

  function showProgress(message) {
    const state = ensureOverlay();
    if (typeof message.setting_id === 'string' && state.items.has(message.setting_id)) {
      const entry = state.items.get(message.setting_id);
      for (const button of entry.buttons) button.disabled = true;
      setStatus(entry, message.stage === 'verifying' ? t('ov_checking') : t('ov_working'));
      return;
    }
    if (message.stage === 'done') {
      state.note.textContent = t('ov_run_done');
      return;
    }
    const done = Number.isInteger(message.done) ? message.done : 0;
    const total = Number.isInteger(message.total) ? message.total : 0;
    state.note.textContent = message.setting_id
      ? t('ov_checking')
      : t('ov_run_progress', [String(done), String(total)]);
  }

  function showResult(message) {
    const id = message.setting_id;
    if (typeof id !== 'string') return;
    const state = ensureOverlay();
    let entry = state.items.get(id);
    if (!entry) entry = addCard(state, { setting_id: id, action: 'result' }, message.texts);
    for (const button of entry.buttons) button.remove();
    entry.buttons = [];
    const outcome = String(message.outcome ?? '');
    const key = outcome === 'turned_off' && message.verified ? 'outcome_turned_off_verified' : `outcome_${outcome}`;
    const good = outcome === 'turned_off' || outcome === 'already_off' || outcome === 'restored';
    setStatus(entry, t(key) || outcome, good ? 'good' : 'bad');
    if (entry.hl) entry.hl.className = good ? 'hl done' : 'hl manual';
    positionHighlights();
    offerNext(entry, id);
  }

  start();
})();
