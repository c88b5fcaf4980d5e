// LinkedOut content script, part 7 and last (classic script, no modules, no Wasm; the order is in wait.js): the
// page's lifecycle, its reports, and the commands it carries out.
//
// Injected only on LinkedIn's settings pages (the manifest's match patterns). It decides nothing and knows nothing
// of the site until the service worker has answered `hello`: that answer gives the site's facts, the page's wait
// spec and the shape of every command (contract.js). Then it waits for the page to settle, reports a snapshot
// (ARCHITECTURE.md, "Snapshot"), draws the guided overlay the worker asks for, and carries out click/confirm
// commands after re-checking the element. It obeys only messages from its own extension (chrome.runtime.onMessage
// with sender.id === chrome.runtime.id), each only once it fits its shape; window.postMessage is never listened
// to.
(() => {
  'use strict';

  const ns = (globalThis.__linkedout ??= {});
  // A second injection into the same document (e.g. after an extension update) must not double up.
  if (ns.started) return;
  ns.started = true;
  if (!globalThis.__linkedoutWait || !ns.contract || !ns.snapshot || !ns.settle || !ns.overlay || !ns.cards) {
    console.warn('LinkedOut: a part of the content script is missing; this page is left alone');
    return;
  }
  const { contract, snapshot, settle, overlay, cards } = ns;
  const { send, refusal } = contract;
  const { errors: ERROR } = contract.words;

  let currentPath = location.pathname;
  let pageToken = 0; // bumps on SPA navigation so stale waits are dropped
  let busy = false; // a click/confirm is being carried out
  // What the worker told this page in its answer to `hello`: {site, spec, page (a snapshot reader)}. Null until
  // then, and on a page whose answer was refused or malformed: then every command is refused.
  let told = null;
  // Which document this is, in every report and click answer: the worker tells a report from the page it left
  // from one of the page it went to, though both have the same URL.
  const docId = crypto.randomUUID();
  // This page's report to the service worker: 'starting' (hello unanswered), 'waiting' (settling), 'sending',
  // 'sent' (answered), 'failed', or 'none' (this page sends none).
  let reportState = 'starting';
  let waitedAs = null; // what the page wait ended on ('expected' or 'quiet'), for the snapshot's `waited`
  let reportId = ''; // the current report's id: a resend keeps it, so the worker counts the report once

  const newReportId = () => crypto.randomUUID();

  // ---------------------------------------------------------------- page lifecycle

  async function start() {
    const token = ++pageToken;
    told = null;
    reportState = 'starting';
    const hello = { type: 'hello', url: location.href };
    // Once more at once if the worker stopped while taking it: that wakes a fresh one.
    const answer = (await send(hello)) ?? (token === pageToken ? await send(hello) : null);
    if (token !== pageToken) return;
    const heard = contract.readHello(answer);
    if (heard.problem) {
      console.warn('LinkedOut: the answer to hello does not fit the contract; this page is left alone:', heard.problem);
    }
    if (!heard.site) {
      reportState = 'none';
      return;
    }
    const known = { site: heard.site, spec: heard.spec, page: snapshot.reader(heard.site) };
    told = known;
    if (heard.progress) cards.progress(known.page, heard.progress);
    // Only settings pages (site.settings_page_kinds) are waited for and reported.
    if (!known.site.settings_page_kinds.includes(known.spec.kind)) {
      reportState = 'none';
      return;
    }
    reportState = 'waiting';
    const waited = await settle.forPage(known.page, known.spec, overlay.owns);
    if (token !== pageToken) return;
    waitedAs = waited;
    reportId = newReportId();
    await reportPage(token, known);
  }

  /**
   * Sends this page's report. A send that fails (the worker stopped while taking it) is made once more at once:
   * that wakes a fresh worker, and the report id lets the worker count it once should the first one have
   * arrived after all.
   */
  async function reportPage(token, known) {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      reportState = 'sending';
      const answer = await send({
        type: 'snapshot', snapshot: known.page.take(waitedAs), reason: 'page', report_id: reportId, doc: docId,
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
  function willReport(known) {
    if (reportState === 'waiting' || reportState === 'sending') return true;
    if (reportState === 'failed') {
      reportPage(pageToken, known);
      return true;
    }
    return false;
  }

  function onUrlChange(event) {
    // A popstate the page dispatches itself (untrusted) is no navigation; the path check covers the rest.
    if (event && event.isTrusted === false) return;
    if (location.pathname === currentPath) return;
    currentPath = location.pathname;
    overlay.remove();
    start();
  }

  // In-page (SPA) navigations: the Navigation API where there is one, popstate otherwise. No polling.
  if (globalThis.navigation && typeof globalThis.navigation.addEventListener === 'function') {
    globalThis.navigation.addEventListener('navigatesuccess', onUrlChange);
  }
  window.addEventListener('popstate', onUrlChange);

  // ---------------------------------------------------------------- commands

  async function afterAction(el, known) {
    await settle.afterClick(known.page, el, known.spec, overlay.owns);
    busy = false;
    await send({
      type: 'snapshot', snapshot: known.page.take(settle.waitedNow(known.page, known.spec)), reason: 'after_click',
      report_id: newReportId(), doc: docId,
    });
  }

  /**
   * Nothing was pressed: the page is reported afresh, once settled, so that the engine sees what is there now.
   * From this moment the page has a report to come (a restarted worker asks, and must not reload it meanwhile).
   */
  async function reportAfresh(known) {
    const token = pageToken;
    reportState = 'waiting';
    await settle.afterClick(known.page, null, known.spec, overlay.owns);
    busy = false;
    if (token !== pageToken) return;
    waitedAs = settle.waitedNow(known.page, known.spec);
    reportId = newReportId();
    await reportPage(token, known);
  }

  function doClick(command, known) {
    if (busy) return { ok: false, error: ERROR.busy };
    const el = known.page.listSwitches()[command.switch_index];
    if (!el || !el.isConnected || !known.page.sameFingerprint(el, command.fingerprint)) {
      busy = true;
      reportAfresh(known);
      return { ok: true, clicked: false, reason: 'fingerprint_mismatch', doc: docId };
    }
    busy = true;
    cards.working(command.setting_id);
    el.click();
    afterAction(el, known);
    return { ok: true, clicked: true, doc: docId };
  }

  function doConfirm(command, known) {
    if (busy) return { ok: false, error: ERROR.busy };
    const dialog = known.page.listDialogs()[command.dialog_index];
    const button = dialog ? known.page.dialogButtons(dialog)[command.button_index] : null;
    busy = true;
    if (!button || !button.isConnected) {
      reportAfresh(known);
      return { ok: true, clicked: false, reason: 'not_found', doc: docId };
    }
    button.click();
    afterAction(button, known);
    return { ok: true, clicked: true, doc: docId };
  }

  // What each command of the contract does here. One the worker names that is not here is refused like an unknown
  // one: this script cannot carry it out.
  const HANDLERS = new Map([
    ['overlay', (command, known) => {
      overlay.prepare(command);
      cards.draw(known.page, command);
      overlay.present();
      return { ok: true };
    }],
    ['click', doClick],
    ['confirm', doConfirm],
    ['result', (command, known) => {
      cards.result(known.page, command);
      return { ok: true };
    }],
    ['progress', (command, known) => {
      cards.progress(known.page, command);
      return { ok: true };
    }],
    ['report_page', (_command, known) => ({ ok: true, reporting: willReport(known), doc: docId })],
    ['snapshot_request', (_command, known) => ({
      ok: true, snapshot: known.page.take(settle.waitedNow(known.page, known.spec)), doc: docId,
    })],
  ]);

  function obey(message) {
    const known = told;
    if (!known) return refusal(ERROR.not_ready, 'this page has had no answer to hello that it could use');
    const problem = contract.commandProblem(message, known.site.commands);
    if (problem) return refusal(ERROR.malformed, problem);
    const handler = HANDLERS.get(message.type);
    if (!handler) return refusal(ERROR.malformed, `unknown command "${message.type}"`);
    return handler(message, known);
  }

  // Commands come only from this extension's service worker (chrome.tabs.sendMessage): never from another
  // extension, never from a tab (sender.tab is set for anything sent from a page), never from window.postMessage
  // or page events, which this script does not listen to.
  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (!sender || sender.id !== chrome.runtime.id || sender.tab) return false;
    sendResponse(obey(message));
    return false;
  });

  start();
})();
