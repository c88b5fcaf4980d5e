// "Never a wrong click", security (design.md): the content script obeys only its own extension; the service
// worker checks every sender and validates every message through the engine (malformed ones are answered
// {ok:false, error} with no effect at all); the overlay is isolated from page styles and scripts and cannot be
// clickjacked; and during a whole run nothing goes anywhere but LinkedIn's own page traffic.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createReplica } from '../replica/server.js';
import { waitFor } from '../support/harness.js';
import {
  FAST_LATENCY, RECOMMENDED, RULE_BY_ID, cardOf, entryOf, extensionFor, keyOf, notNowButton, overlayOf, savesById,
  startOptOutFromPopup, turnOffButton, waitForReport,
} from '../support/linkedout.js';

const AI_ID = 'ai_training';
const AI_PATH = RULE_BY_ID.get(AI_ID).paths[0];
const AI_KEY = keyOf(AI_ID);
const SWITCH = `input[aria-labelledby="${AI_KEY}"]`;
const DECLINED = /left it as it is/i;
const BLOCKED = /covered this button/i;
const CONFIRMED = /LinkedIn confirms it after a fresh page load/;
const RUN_TIMEOUT = 90000;

/** Everything the extension keeps, for before/after comparisons. */
async function everything(ext) {
  const worker = await ext.currentWorker();
  return worker.evaluate(async () => ({
    local: await chrome.storage.local.get(null),
    alarms: (await chrome.alarms.getAll()).map((a) => a.name).sort(),
  }));
}

/**
 * Runs `expression` in the extension's content-script world of `page` (the isolated world Chromium creates for
 * it), through the DevTools protocol: the only way to send messages exactly as the content script does.
 */
async function inContentWorld(page, extensionId, expression) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const contexts = [];
    cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
    await cdp.send('Runtime.enable');
    const world = await waitFor(() => contexts.find((c) => c.auxData?.type === 'isolated' &&
      String(c.origin).includes(extensionId)), { what: 'the content script world', timeoutMs: 5000 });
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      expression, contextId: world.id, awaitPromise: true, returnByValue: true,
    });
    if (exceptionDetails) throw new Error(`content world: ${JSON.stringify(exceptionDetails).slice(0, 500)}`);
    return result.value;
  } finally {
    await cdp.detach();
  }
}

function snapshotOf(url, switches) {
  return { url, lang: 'en', status: 200, signed_in: true, waited: 'expected', switches, links: [], dialogs: [] };
}

function manySwitches(n) {
  return Array.from({ length: n }, (_, index) => ({
    index, id: null, labelledby: `x${index}`, label: 'x', checked: true, disabled: false, visible: true,
  }));
}

describe('security: senders, messages, isolation, network', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);
  let page;

  beforeEach(async () => {
    page = await ext.context.newPage();
  });

  async function openOverlay() {
    await page.goto(replica.url(AI_PATH));
    const card = cardOf(page, AI_ID);
    await turnOffButton(card).waitFor({ timeout: 15000 });
    return card;
  }

  test('page scripts cannot command the content script: postMessage look-alikes, page events, fake navigation and untrusted clicks change nothing; the page has no channel to the extension', async () => {
    const card = await openOverlay();
    const before = await everything(ext);
    const result = await page.evaluate(({ key }) => {
      const fingerprint = { labelledby: key, id: null, checked: true };
      const lookAlikes = [
        { type: 'click', setting_id: 'ai_training', switch_index: 0, fingerprint },
        { type: 'confirm', dialog_index: 0, button_index: 0 },
        { type: 'turn_off', setting_id: 'ai_training' },
        { type: 'overlay', plan: { items: [] } },
        { type: 'start_run', mode: 'opt_out', settings: ['ai_training'] },
      ];
      for (const message of lookAlikes) {
        window.postMessage(message, '*');
        window.postMessage(JSON.stringify(message), '*');
        window.postMessage({ source: 'linkedout', ...message }, '*');
        for (const name of ['message', 'linkedout', 'click', message.type]) {
          window.dispatchEvent(new CustomEvent(name, { detail: message }));
          document.dispatchEvent(new CustomEvent(name, { detail: message, bubbles: true, composed: true }));
        }
      }
      // A fake SPA navigation and an untrusted Escape (which would close the overlay).
      window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
      document.querySelector('linkedout-overlay')?.shadowRoot?.querySelector('.panel')
        ?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
      // Untrusted clicks on the overlay's own buttons (open shadow root).
      const root = document.querySelector('linkedout-overlay')?.shadowRoot;
      const turnOff = root && Array.from(root.querySelectorAll('button')).find((b) => b.textContent.startsWith('Turn off'));
      turnOff?.click();
      turnOff?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: 5, clientY: 5, detail: 1 }));
      // The page has no runtime channel to the extension (no externally_connectable).
      let channel;
      try {
        channel = typeof globalThis.chrome?.runtime?.sendMessage === 'function' ? 'sendMessage exists' : 'none';
      } catch (error) {
        channel = `error ${error.message}`;
      }
      return { channel, buttonFound: Boolean(turnOff) };
    }, { key: AI_KEY });
    assert.equal(result.buttonFound, true);
    assert.equal(result.channel, 'none', 'a LinkedIn page cannot message the extension');

    // Sync point: a trusted "Not now" round-trips through the service worker after all of that.
    await notNowButton(card).click();
    await card.getByText(DECLINED).waitFor({ timeout: 10000 });
    assert.deepEqual(replica.saves, [], 'no save request');
    assert.equal(replica.stateOf(AI_KEY), true, 'server state unchanged');
    assert.equal(await page.locator(SWITCH).isChecked(), true, 'the switch was not clicked');
    assert.equal(await overlayOf(page).count(), 1, 'the overlay is still there (the untrusted Escape was ignored)');
    const afterAll = await everything(ext);
    assert.equal(afterAll.local.run, undefined, 'no run');
    assert.equal(afterAll.local.report, undefined, 'no report');
    // "Not now" records the decline; nothing else changed.
    const { declined, ...rest } = afterAll.local;
    assert.ok(declined?.settings?.[AI_ID], 'the trusted "Not now" was recorded');
    const { declined: _none, ...restBefore } = before.local;
    assert.deepEqual(rest, restBefore, 'no other storage change');
  });

  test('malformed or misaddressed messages from the popup are answered {ok:false, error} with no effect', async () => {
    const huge = 'x'.repeat(100000);
    const deep = JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`);
    const bad = [
      ['not an object', 'start_run'],
      ['a list', [{ type: 'start_run' }]],
      ['no type', { mode: 'opt_out', settings: [AI_ID] }],
      ['type not a string', { type: 7 }],
      ['unknown type', { type: 'delete_everything' }],
      ['huge type', { type: huge }],
      ['extra field', { type: 'start_run', mode: 'opt_out', settings: [AI_ID], also: 'restore' }],
      ['extra field on status', { type: 'status', debug: true }],
      ['unknown setting id', { type: 'start_run', mode: 'opt_out', settings: ['ai_training', 'everything_else'] }],
      ['settings not a list', { type: 'start_run', mode: 'opt_out', settings: AI_ID }],
      ['duplicate ids', { type: 'start_run', mode: 'opt_out', settings: [AI_ID, AI_ID] }],
      ['too many ids', { type: 'start_run', mode: 'opt_out', settings: Array(600).fill(AI_ID) }],
      ['huge id', { type: 'start_run', mode: 'opt_out', settings: [huge] }],
      ['empty selection', { type: 'start_run', mode: 'opt_out', settings: [] }],
      ['unknown mode', { type: 'start_run', mode: 'opt_in', settings: [AI_ID] }],
      ['restore mode from start_run', { type: 'start_run', mode: 'restore', settings: [AI_ID] }],
      ['guided mode from start_run', { type: 'start_run', mode: 'guided', settings: [AI_ID] }],
      ['nested too deeply', { type: 'set_options', options: deep }],
      ['option object value', { type: 'set_options', options: { gpc: { on: true } } }],
      ['unknown option', { type: 'set_options', options: { telemetry: true } }],
      ['option not boolean', { type: 'set_options', options: { gpc: 'yes' } }],
      ['huge option', { type: 'set_options', options: { gpc: huge } }],
      ['content-script message from the popup', { type: 'turn_off', setting_id: AI_ID }],
      ['hello from the popup', { type: 'hello', url: replica.url(AI_PATH) }],
      ['snapshot with 10 000 switches', { type: 'snapshot', snapshot: snapshotOf(replica.url(AI_PATH), manySwitches(10000)), reason: 'page', report_id: 'r1', doc: 'd1' }],
      ['valid snapshot from the popup', { type: 'snapshot', snapshot: snapshotOf(replica.url(AI_PATH), []), reason: 'page', report_id: 'r1', doc: 'd1' }],
      ['worker command: click', { type: 'click', setting_id: AI_ID, switch_index: 0, fingerprint: { labelledby: AI_KEY, id: null, checked: true } }],
      ['worker command: overlay', { type: 'overlay', plan: { page: { kind: 'setting', setting_ids: [] }, signed_in: true, items: [], unknown_settings: [] } }],
      ['cancel with nothing running', { type: 'cancel_run' }],
    ];
    const before = await everything(ext);
    const pagesBefore = ext.context.pages().length;
    const popup = await ext.openPopup();
    await popup.locator('#groups li').first().waitFor({ timeout: 10000 });
    const answers = await popup.evaluate(async (cases) => {
      const out = [];
      for (const [name, message] of cases) {
        try {
          out.push([name, await chrome.runtime.sendMessage(message)]);
        } catch (error) {
          out.push([name, { thrown: error.message }]);
        }
      }
      return out;
    }, bad);
    for (const [name, answer] of answers) {
      assert.equal(answer?.ok, false, `${name}: ${JSON.stringify(answer).slice(0, 300)}`);
      assert.equal(typeof answer.error, 'string', `${name}: a readable error`);
      assert.ok(answer.error.length > 0 && answer.error.length < 3000, `${name}: ${answer.error.slice(0, 200)}`);
    }
    const sanity = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }));
    assert.equal(sanity.ok, true, 'a well-formed status still works');
    await popup.close();
    assert.deepEqual(await everything(ext), before, 'no storage change, no alarm');
    assert.equal(ext.context.pages().length, pagesBefore, 'no tab opened');
    assert.deepEqual(replica.requests.filter((r) => r.host === 'www.linkedin.com'), [], 'no LinkedIn page was loaded');
    assert.deepEqual(replica.saves, [], 'no save');
  });

  test('from the content script: malformed messages, popup-only messages, and messages from a non-settings URL are refused with no effect', async () => {
    await openOverlay();
    const before = await everything(ext);
    const url = replica.url(AI_PATH);
    const cases = [
      ['start_run from a content script', { type: 'start_run', mode: 'opt_out', settings: [AI_ID] }],
      ['status from a content script', { type: 'status' }],
      ['restore from a content script', { type: 'restore' }],
      ['turn_off unknown id', { type: 'turn_off', setting_id: 'everything' }],
      ['turn_off extra field', { type: 'turn_off', setting_id: AI_ID, force: true }],
      ['not_now huge id', { type: 'not_now', setting_id: 'x'.repeat(5000) }],
      ['snapshot with 10 000 switches', { type: 'snapshot', snapshot: snapshotOf(url, manySwitches(10000)), reason: 'page', report_id: 'r1', doc: 'd1' }],
      ['snapshot with a huge label', { type: 'snapshot', snapshot: snapshotOf(url, [{ ...manySwitches(1)[0], label: 'y'.repeat(50000) }]), reason: 'page', report_id: 'r1', doc: 'd1' }],
      ['snapshot with an unknown reason', { type: 'snapshot', snapshot: snapshotOf(url, []), reason: 'because', report_id: 'r1', doc: 'd1' }],
      ['snapshot with an extra field', { type: 'snapshot', snapshot: { ...snapshotOf(url, []), secret: 1 }, reason: 'page', report_id: 'r1', doc: 'd1' }],
      ['hello with a huge url', { type: 'hello', url: `${url}?${'q'.repeat(5000)}` }],
      ['worker command: click', { type: 'click', setting_id: AI_ID, switch_index: 0, fingerprint: { labelledby: AI_KEY, id: null, checked: true } }],
    ];
    const answers = await inContentWorld(page, ext.extensionId, `(async () => {
      const out = [];
      for (const [name, message] of ${JSON.stringify(cases)}) {
        try { out.push([name, await chrome.runtime.sendMessage(message)]); }
        catch (error) { out.push([name, { thrown: error.message }]); }
      }
      return out;
    })()`);
    for (const [name, answer] of answers) {
      assert.equal(answer?.ok, false, `${name}: ${JSON.stringify(answer).slice(0, 300)}`);
      assert.equal(typeof answer.error, 'string', name);
    }

    // The same tab after an in-page navigation off the settings pages: even a well-formed snapshot is refused.
    await page.evaluate(() => history.pushState({}, '', '/feed/'));
    const offPage = await inContentWorld(page, ext.extensionId, `chrome.runtime.sendMessage(${JSON.stringify({
      type: 'snapshot', snapshot: snapshotOf(replica.url('/feed/'), []), reason: 'page', report_id: 'r1', doc: 'd1',
    })})`);
    assert.deepEqual(offPage, { ok: false, error: 'sender_not_allowed' });

    assert.deepEqual(await everything(ext), before, 'no storage change, no alarm');
    assert.deepEqual(replica.saves, [], 'no save');
    assert.equal(await page.locator(SWITCH).isChecked(), true);
  });

  test('page CSS cannot hide or restyle the overlay (it lives in a shadow root with inline !important host styles)', async () => {
    const card = await openOverlay();
    const button = turnOffButton(card);
    const look = () => button.evaluate((b) => {
      const s = getComputedStyle(b);
      const r = b.getBoundingClientRect();
      return { display: s.display, visibility: s.visibility, fontSize: s.fontSize, color: s.color,
        background: s.backgroundColor, opacity: s.opacity, x: r.x, y: r.y, w: r.width, h: r.height };
    });
    const clean = await look();
    // Constructable style sheets are not subject to the replica's strict CSP, as LinkedIn's own CSS would not be.
    await page.evaluate(() => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(`
        * { visibility: hidden !important; color: transparent !important; font-size: 1px !important;
            pointer-events: none !important; background: red !important; }
        *:not(html) { display: none !important; }
        button { visibility: hidden !important; display: none !important; }
        linkedout-overlay, html > :not(body):not(head) { display: none !important; width: 0 !important; }
        :host, ::slotted(*), [class] { display: none !important; }
      `);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    });
    assert.equal(await page.locator('body').isVisible(), false, 'the page CSS applies to the page itself');
    assert.equal(await button.isVisible(), true, 'the "Turn off" button stays visible');
    // Same look and size (the panel may move to the other side: the switch it kept clear of is hidden now).
    const { x: _x1, y: _y1, ...cleanLook } = clean;
    const { x, y, ...hostileLook } = await look();
    assert.deepEqual(hostileLook, cleanLook, 'and looks exactly the same');
    const viewport = page.viewportSize();
    assert.ok(x >= 0 && y >= 0 && x + clean.w <= viewport.width && y + clean.h <= viewport.height, 'on screen');
    assert.equal(await overlayOf(page).evaluate((host) => getComputedStyle(host).display), 'block');
  });

  test('clickjacking: a page element over "Turn off" takes the click; a click that reaches the covered button is rejected', async () => {
    const card = await openOverlay();
    const button = turnOffButton(card);
    const box = await button.boundingBox();
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const cover = (style) => page.evaluate(({ b, css }) => {
      document.getElementById('jack')?.remove();
      const div = document.createElement('div');
      div.id = 'jack';
      div.textContent = 'Claim your prize';
      div.setAttribute('style', `position: fixed; left: ${b.x - 4}px; top: ${b.y - 4}px; width: ${b.width + 8}px; height: ${b.height + 8}px; z-index: 2147483647; ${css}`);
      window.jackClicks = 0;
      div.addEventListener('click', () => { window.jackClicks += 1; });
      document.documentElement.append(div); // after the overlay's host: painted above it
    }, { b: box, css: style });

    // 1. A transparent element that takes pointer events: the click lands on the page's element, not on ours.
    await cover('opacity: 0; background: white;');
    await page.mouse.click(cx, cy);
    assert.equal(await page.evaluate(() => window.jackClicks), 1, 'the page element got the click');

    // 2. An opaque decoy with pointer-events: none: the click reaches our button, which must refuse it.
    await cover('background: white; color: black; pointer-events: none;');
    await page.mouse.click(cx, cy);
    await overlayOf(page).getByText(BLOCKED).waitFor({ timeout: 5000 });
    await page.evaluate(() => { document.querySelector('linkedout-overlay').shadowRoot.querySelector('.note').textContent = ''; });

    // 3. The page fading itself (and so the overlay) nearly invisible: the click is refused as well.
    await page.evaluate(() => document.getElementById('jack')?.remove());
    await page.evaluate(() => document.documentElement.style.setProperty('opacity', '0.05'));
    await page.mouse.click(cx, cy);
    await overlayOf(page).getByText(BLOCKED).waitFor({ timeout: 5000 });
    await page.evaluate(() => document.documentElement.style.removeProperty('opacity'));

    // Sync point, then nothing happened.
    await notNowButton(card).click();
    await card.getByText(DECLINED).waitFor({ timeout: 10000 });
    assert.deepEqual(replica.saves, [], 'no save request');
    assert.equal(replica.stateOf(AI_KEY), true);
    assert.equal(await ext.storageGet('run'), undefined, 'no run was started');
  });

  test('an uncovered trusted click on "Turn off" still works (the checks do not block the member)', async () => {
    const card = await openOverlay();
    await turnOffButton(card).click();
    await card.getByText(CONFIRMED).waitFor({ timeout: 30000 });
    assert.equal(replica.stateOf(AI_KEY), false);
  });

  test('network audit: a whole one-click run talks only to www.linkedin.com / static.licdn.com, the extension itself requests nothing, and the only POSTs are the page\'s own saves, one per turned-off setting', async () => {
    const seen = [];
    const onRequest = (request) => seen.push({
      url: request.url(), method: request.method(), sw: Boolean(request.serviceWorker?.()),
    });
    ext.context.on('request', onRequest);
    try {
      const popup = await ext.openPopup();
      await waitFor(() => popup.getByRole('button', { name: 'Opt out of everything', exact: true }).isEnabled(),
        { what: 'the popup', timeoutMs: 10000 });
      const { since } = await startOptOutFromPopup(popup);
      const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
      for (const id of RECOMMENDED) assert.equal(entryOf(report, id).outcome, 'turned_off', id);
      await popup.close();
    } finally {
      ext.context.off('request', onRequest);
    }
    const allowedHosts = new Set(['www.linkedin.com', 'static.licdn.com']);
    const web = seen.filter((r) => /^https?:/.test(r.url));
    assert.ok(web.length > 0, 'the run loaded LinkedIn pages');
    for (const r of web) assert.ok(allowedHosts.has(new URL(r.url).host), `request to ${r.url}`);
    assert.deepEqual(seen.filter((r) => r.sw && /^https?:/.test(r.url)), [], 'no request from the service worker');
    const nonLocal = seen.filter((r) => !/^https?:/.test(r.url) && !r.url.startsWith(`chrome-extension://${ext.extensionId}/`) &&
      !r.url.startsWith('data:') && !r.url.startsWith('blob:') && r.url !== 'about:blank');
    assert.deepEqual(nonLocal, [], 'no other scheme');

    for (const r of replica.requests) {
      assert.ok(allowedHosts.has(r.host), `replica saw a request to ${r.host}: ${r.url}`);
      assert.equal(r.blocked, false, `blocked request ${r.url}`);
      assert.ok(!['service_worker', 'extension_page'].includes(r.from), `${r.from} requested ${r.url}`);
    }
    const posts = replica.requests.filter((r) => r.method !== 'GET');
    const turnedOff = RECOMMENDED.map((id) => keyOf(id));
    assert.deepEqual(posts.map((r) => [r.method, r.path]).sort(),
      turnedOff.map((key) => ['POST', `/mypreferences/api/settings/${key}`]).sort(),
      'one POST per turned-off setting, to the page\'s own save endpoint');
    assert.deepEqual(savesById(replica).map((s) => [s.id, s.value, s.result]).sort(),
      RECOMMENDED.map((id) => [id, false, 'applied']).sort());
  });

  test('from the service worker: a command with an unknown, missing or wrongly typed field is answered {ok:false, error:"malformed"} and clicks nothing', async () => {
    const card = await openOverlay();
    // The AI switch's place in the page's list of switches, and a click on a switch counted in the page itself.
    const index = await page.evaluate((selector) => {
      const target = document.querySelector(selector);
      window.switchClicks = 0;
      target.addEventListener('click', () => { window.switchClicks += 1; }, true);
      return Array.from(document.querySelectorAll('input[type="checkbox"], [role="switch"]')).indexOf(target);
    }, SWITCH);
    assert.ok(index >= 0, 'the AI switch is listed');
    const before = await everything(ext);
    // Well-formed, this click would press the switch: every case below differs from it in one field only.
    const click = { type: 'click', setting_id: AI_ID, switch_index: index, fingerprint: { labelledby: AI_KEY, id: null, checked: true } };
    const { fingerprint: _fingerprint, ...clickWithoutFingerprint } = click;
    const result = { type: 'result', setting_id: AI_ID, outcome: 'turned_off', verified: true, tone: 'good', texts: {} };
    const { tone: _tone, ...resultWithoutTone } = result;
    const cases = [
      ['click with an extra field', { ...click, force: true }],
      ['click without its fingerprint', clickWithoutFingerprint],
      ['click with switch_index as a string', { ...click, switch_index: String(index) }],
      ['click with a negative switch_index', { ...click, switch_index: -1 }],
      ['click with a fractional switch_index', { ...click, switch_index: index + 0.5 }],
      ['click with a null fingerprint', { ...click, fingerprint: null }],
      ['click with a list for a fingerprint', { ...click, fingerprint: [click.fingerprint] }],
      ['click with a number for setting_id', { ...click, setting_id: 7 }],
      ['confirm with dialog_index as a string', { type: 'confirm', dialog_index: '0', button_index: 0 }],
      ['result with verified as a string', { ...result, verified: 'yes' }],
      ['result without its tone', resultWithoutTone],
      ['progress with an extra field', { type: 'progress', stage: 'working', setting_id: null, done: 0, total: 1, percent: 0 }],
      ['progress with a fractional count', { type: 'progress', stage: 'working', setting_id: null, done: 0.5, total: 1 }],
      ['overlay with a list for a plan', { type: 'overlay', plan: [], texts: {} }],
      ['report_page with a field', { type: 'report_page', now: true }],
      ['an unknown command', { type: 'click_everything' }],
      ['a command without a type', { setting_id: AI_ID, switch_index: index, fingerprint: click.fingerprint }],
      ['not an object', 'click'],
    ];
    const worker = await ext.currentWorker();
    const { answers, sync } = await worker.evaluate(async ({ url, list }) => {
      const [tab] = await chrome.tabs.query({ url });
      const out = [];
      for (const [name, message] of list) {
        try { out.push([name, await chrome.tabs.sendMessage(tab.id, message, { frameId: 0 })]); }
        catch (error) { out.push([name, { thrown: error.message }]); }
      }
      // Sync point: a well-formed command after all of them is still carried out.
      return { answers: out, sync: await chrome.tabs.sendMessage(tab.id, { type: 'report_page' }, { frameId: 0 }) };
    }, { url: replica.url(AI_PATH), list: cases });
    assert.equal(answers.length, cases.length);
    for (const [name, answer] of answers) {
      assert.equal(answer?.ok, false, `${name}: ${JSON.stringify(answer)}`);
      assert.equal(answer.error, 'malformed', `${name}: ${JSON.stringify(answer)}`);
      assert.equal(typeof answer.message, 'string', `${name}: says what is wrong`);
    }
    assert.equal(sync?.ok, true, `report_page: ${JSON.stringify(sync)}`);

    assert.equal(await page.evaluate(() => window.switchClicks), 0, 'nothing clicked the switch');
    assert.equal(await page.locator(SWITCH).isChecked(), true, 'the switch is still on');
    assert.deepEqual(replica.saves, [], 'no save request');
    assert.equal(replica.stateOf(AI_KEY), true, 'server state unchanged');
    assert.equal(await turnOffButton(card).count(), 1, 'the overlay still offers "Turn off" (no result was drawn)');
    assert.deepEqual(await everything(ext), before, 'no storage change, no alarm');
  });
});
