// `cargo xtask check-page FILE [--url URL] [--json]`: the rules checked against a page saved from linkedin.com.
//
// Opens the saved page (HTML or MHTML, as Chromium's "Save page as" writes it; see saved-page.js) in Chromium at its
// real URL, served by Playwright routing as the replica serves its pages, with the built extension (dist/chrome, or
// LINKEDOUT_EXTENSION) loaded. The extension's own content script reads the page and the service worker's engine
// plans it, exactly as on linkedin.com: this script only reads the plan the worker kept for the tab (session storage
// `page_<tab>`) and the content script's snapshot (`snapshot_request`), and prints, per setting, whether its switch
// was found, its id, the confidence, the state, what LinkedOut would do, and every switch no rule knows.
//
// It clicks nothing: no run is started, so the engine consents to nothing, and the page's own scripts are kept from
// running (the saved DOM is what is checked, and no script can send a save); every request the page makes is
// answered from the saved file or refused, and a request other than GET is counted and reported.
//
// Exit status: 0 when every setting the rules expect on this page was found with the confidence to act, 3 when one
// was not (the rules may need a change: see README.md, "When LinkedIn changes"), 1 on bad input or a failure.
import { readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';

import { REPO_ROOT, launchExtension, waitFor } from '../support/harness.js';
import { InputError, readSavedPage } from './saved-page.js';

const USAGE = 'usage: cargo xtask check-page FILE [--url URL] [--json]';
const RULES = JSON.parse(readFileSync(join(REPO_ROOT, 'rules', 'linkedin.json'), 'utf8'));
const ACT_THRESHOLD = 70;
// The content script reports a page once it has settled, at most after the page's deadline (10 s) and a reload.
const REPORT_TIMEOUT_MS = 40000;

function parseArgs(argv) {
  const out = { file: null, url: undefined, json: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--url') {
      if (i + 1 >= argv.length) throw new InputError(`--url needs a URL\n${USAGE}`);
      out.url = argv[++i];
    } else if (arg.startsWith('--url=')) {
      out.url = arg.slice('--url='.length);
    } else if (arg === '--json') {
      out.json = true;
    } else if (arg.startsWith('-')) {
      throw new InputError(`unknown option ${arg}\n${USAGE}`);
    } else if (out.file === null) {
      out.file = arg;
    } else {
      throw new InputError(`one file at a time (got ${out.file} and ${arg})\n${USAGE}`);
    }
  }
  if (!out.file) throw new InputError(`no file given\n${USAGE}`);
  return out;
}

/** The settings page URL the content script runs on, or a clear refusal. */
function checkUrl(url) {
  const { origin, settings_prefixes: prefixes } = RULES.site;
  const parsed = new URL(url);
  if (parsed.origin !== origin || !prefixes.some((p) => parsed.pathname.startsWith(p))) {
    throw new InputError(`${url} is not one of LinkedIn's settings pages (${prefixes.map((p) => origin + p).join(', ')}), `
      + 'the only pages LinkedOut reads: pass the URL the page was saved from with --url');
  }
}

/** What LinkedOut would do about an item of the plan, in words. */
function wouldDo(item, snapshot) {
  switch (item.action) {
    case 'click':
    case 'offer':
      return 'turn it off, after your yes (the one-click run, or the overlay\'s "Turn off"), and read it back';
    case 'already_off':
      return 'nothing: it shows off';
    case 'missing':
      if (item.reason === 'not_actionable') return 'nothing: LinkedOut does not act on this page (sign-in, 404, signed out)';
      return snapshot.closed_shadow_roots + snapshot.cross_origin_frames > 0
        ? 'report it not_found (note unreadable_parts: part of the page is closed to extensions)'
        : 'report it not_found (note not_recognised: the rules may be out of date)';
    case 'manual':
      switch (item.reason) {
        case 'low_confidence':
          return `highlight it and ask you to change it by hand: confidence ${item.confidence} is below ${ACT_THRESHOLD}`;
        case 'ambiguous': return 'highlight and explain by hand: more than one switch carries its id (or one carries two)';
        case 'disabled': return 'report it not_offered: LinkedIn shows it disabled';
        case 'hidden': return 'explain by hand: the switch is not visible';
        case 'unknown_state': return 'explain by hand: the page does not say whether it is on';
        default: return `explain by hand (${item.reason})`;
      }
    default:
      return item.action;
  }
}

function describeSwitch(sw) {
  if (!sw) return null;
  return {
    index: sw.index, id: sw.id, labelledby: sw.labelledby, label: sw.label, root: sw.root,
    labelledby_resolves: sw.labelledby_resolves, checked: sw.checked, disabled: sw.disabled, visible: sw.visible,
  };
}

/** The check's result from the worker's plan and the content script's snapshot. */
export function summarise({ file, saved, plan, snapshot, requests }) {
  const byIndex = new Map(snapshot.switches.map((s) => [s.index, s]));
  const expected = new Set(plan.page.setting_ids);
  const settings = plan.items.map((item) => {
    const rule = RULES.settings.find((r) => r.id === item.setting_id);
    return {
      id: item.setting_id,
      name: rule?.name?.en ?? item.setting_id,
      expected_here: expected.has(item.setting_id),
      found: item.switch_index !== null,
      switch: describeSwitch(byIndex.get(item.switch_index)),
      confidence: item.confidence,
      state: item.state,
      action: item.action,
      reason: item.reason,
      would: wouldDo(item, snapshot),
    };
  });
  const claimed = new Set(plan.items.map((i) => i.switch_index).filter((i) => i !== null));
  const unknown = snapshot.switches.filter((s) => !claimed.has(s.index)).map(describeSwitch);
  const confident = (s) => s.found && s.confidence >= ACT_THRESHOLD && s.reason !== 'ambiguous';
  return {
    file,
    saved_as: saved.kind,
    url: saved.url,
    page: plan.page,
    waited: snapshot.waited,
    signed_in: snapshot.signed_in,
    switches: snapshot.switches.length,
    closed_shadow_roots: snapshot.closed_shadow_roots,
    cross_origin_frames: snapshot.cross_origin_frames,
    settings,
    unknown_switches: unknown,
    unknown_settings: plan.unknown_settings,
    requests,
    all_expected_found: settings.filter((s) => s.expected_here).every(confident),
  };
}

function print(result) {
  const out = [];
  const q = (v) => (v === null || v === undefined ? '-' : JSON.stringify(v));
  out.push(`LinkedOut rules check of ${result.file} (${result.saved_as.toUpperCase()})`);
  out.push(`  opened at  ${result.url}`);
  out.push(`  page       ${result.page.kind}${result.page.setting_ids.length ? ` (rules expect: ${result.page.setting_ids.join(', ')})` : ''}`);
  out.push(`  read       ${result.switches} switch(es), waited: ${result.waited}, signed in: ${result.signed_in ?? 'unknown'}`);
  out.push(`  unreadable ${result.closed_shadow_roots} closed shadow root(s), ${result.cross_origin_frames} cross-origin frame(s)`);
  out.push('');
  out.push('Settings:');
  if (result.settings.length === 0) out.push('  (no rule concerns this page)');
  for (const s of result.settings) {
    out.push(`  ${s.id} (${s.name})${s.expected_here ? '' : ' [not expected on this page]'}`);
    if (s.found) {
      const sw = s.switch;
      out.push(`    switch     found: #${sw.index}, labelledby ${q(sw.labelledby)}, id ${q(sw.id)}, in the ${sw.root}, label ${q(sw.label)}`);
    } else {
      out.push('    switch     not found');
    }
    out.push(`    confidence ${s.confidence}${s.found ? ` (acts at ${ACT_THRESHOLD})` : ''}`);
    out.push(`    state      ${s.state}`);
    out.push(`    plan       ${s.action} (${s.reason})`);
    out.push(`    would      ${s.would}`);
  }
  out.push('');
  out.push('Switches no rule knows:');
  if (result.unknown_switches.length === 0) out.push('  none');
  for (const sw of result.unknown_switches) {
    out.push(`  #${sw.index}: labelledby ${q(sw.labelledby)}, id ${q(sw.id)}, in the ${sw.root}, label ${q(sw.label)}, checked ${q(sw.checked)}`);
  }
  if (result.unknown_settings.length) {
    out.push('');
    out.push('Settings pages linked that no rule lists:');
    for (const path of result.unknown_settings) out.push(`  ${path}`);
  }
  out.push('');
  if (result.settings.some((s) => s.state === 'off')) {
    out.push('Note: a saved page keeps a checkbox\'s state only where the page wrote it as an attribute. Chromium\'s');
    out.push('"Save page as" does not write a state set by script, so "off" here may be "on" on LinkedIn.');
  }
  out.push(`Clicked nothing: ${result.requests.served} request(s) answered from the file, ${result.requests.refused} refused, `
    + `${result.requests.not_get} other than GET.`);
  out.push(result.all_expected_found
    ? 'Every setting the rules expect on this page was found with confidence.'
    : 'Some setting the rules expect on this page was NOT found with confidence: see README.md, "When LinkedIn changes".');
  console.log(out.join('\n'));
}

/** Serves the saved page at its URL, its saved resources at theirs, and nothing else. */
async function serve(context, saved, requests) {
  const pageUrl = saved.url;
  const filesName = saved.filesDir ? `/${encodeURIComponent(basename(saved.filesDir))}/` : null;
  await context.route((url) => url.protocol === 'http:' || url.protocol === 'https:', async (route) => {
    const request = route.request();
    if (request.method() !== 'GET') requests.not_get += 1;
    const href = request.url().replace(/#.*$/, '');
    // The page's own scripts do not run: the saved DOM is what is checked, and nothing may send a save.
    const headers = { 'content-security-policy': "script-src 'none'; object-src 'none'; base-uri 'none'", 'cache-control': 'no-store' };
    if (href === pageUrl && request.method() === 'GET') {
      requests.served += 1;
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: saved.html, headers });
      return;
    }
    const part = saved.parts.get(href);
    if (part && request.method() === 'GET') {
      requests.served += 1;
      await route.fulfill({ status: 200, contentType: part.type, body: part.body, headers });
      return;
    }
    if (filesName && request.method() === 'GET') {
      const path = new URL(href).pathname;
      const at = path.indexOf(filesName);
      const local = at >= 0 ? join(saved.filesDir, decodeURIComponent(path.slice(at + filesName.length))) : null;
      if (local && local.startsWith(saved.filesDir) && existsSync(local)) {
        requests.served += 1;
        await route.fulfill({ status: 200, body: readFileSync(local), headers });
        return;
      }
    }
    requests.refused += 1;
    await route.abort('blockedbyclient');
  });
}

export async function check(argv) {
  const args = parseArgs(argv);
  const saved = readSavedPage(args.file, { url: args.url });
  checkUrl(saved.url);
  const ext = await launchExtension({});
  try {
    const requests = { served: 0, refused: 0, not_get: 0 };
    await serve(ext.context, saved, requests);
    const page = await ext.context.newPage();
    await page.goto(saved.url, { waitUntil: 'domcontentloaded' });
    // The plan the worker made from the content script's report of this tab, once it has settled.
    const found = await waitFor(async () => {
      const worker = await ext.currentWorker();
      return worker.evaluate(async (url) => {
        const tabs = await chrome.tabs.query({});
        const tab = tabs.find((t) => t.url === url);
        if (!tab) return null;
        const key = `page_${tab.id}`;
        const memory = (await chrome.storage.session.get(key))[key];
        if (!memory?.plan) return null;
        const answer = await chrome.tabs.sendMessage(tab.id, { type: 'snapshot_request' });
        return answer?.ok ? { plan: memory.plan, snapshot: answer.snapshot } : null;
      }, saved.url);
    }, { timeoutMs: REPORT_TIMEOUT_MS, intervalMs: 200, what: 'the content script to report the page and the worker to plan it' });
    const result = summarise({ file: args.file, saved, plan: found.plan, snapshot: found.snapshot, requests });
    if (args.json) console.log(JSON.stringify(result, null, 2));
    else print(result);
    return result.all_expected_found ? 0 : 3;
  } finally {
    await ext.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  check(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (error) => {
    console.error(error instanceof InputError ? `check-page: ${error.message}` : error);
    process.exitCode = 1;
  });
}
