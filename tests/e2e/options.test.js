// The two options of the popup, end to end: "Send the Global Privacy Control signal to LinkedIn" (a
// declarativeNetRequest rule that sets `Sec-GPC: 1`) and "Remind me once a month to check again" (the
// `monthly-reminder` alarm, the "!" badge and the popup's notice); and `set_options` refusing bad input.
//
// How the header is observed. Playwright's route interception (which serves the replica) sits in front of the
// extension's header rules: a routed request shows the page's own headers (no Sec-GPC in `request.headers()`,
// `allHeaders()` or `route.request().allHeaders()`, option on or off), and a fulfilled request never reaches the
// stage where the rule adds it. So these tests look at the wire: a local HTTPS server stands in for
// www.linkedin.com and the other hosts of the probe (`--host-resolver-rules` maps exactly those hosts to it; every
// other host still resolves to nothing), only `/gpc-echo/*` requests are let through to it, and it records the
// headers each request arrived with. Its certificate is made for the run and trusted by its key hash only.
import { spawnSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createReplica } from '../replica/server.js';
import { waitFor } from '../support/harness.js';
import {
  FAST_LATENCY, RECOMMENDED, SETTINGS, badgeText, checkAgainFromPopup, extensionFor, keyOf, reportProblems,
  stopServiceWorker, waitForReport,
} from '../support/linkedout.js';

const GPC_LABEL = 'Send the Global Privacy Control signal to LinkedIn';
const REMINDER_LABEL = 'Remind me once a month to check again';
const REMINDER_DUE_TEXT = 'It has been a month: LinkedIn sometimes adds or resets settings. Press “Check again” to look.';
const REMINDER_ALARM = 'monthly-reminder';
const THIRTY_DAYS_MIN = 30 * 24 * 60;
const RUN_TIMEOUT = 90000;

// ------------------------------------------------------------------ the wire probe

// Hosts the probe page talks to. Only www.linkedin.com is covered by the rule's `requestDomains` AND by the
// extension's host permission (https://www.linkedin.com/*): the others must arrive without Sec-GPC.
const LI = 'www.linkedin.com';
const OTHER_HOSTS = ['static.licdn.com', 'linkedin.com', 'sub.www.linkedin.com'];

/** What one probe round must produce on the wire: [host, path] (resource types named in the paths). */
const PROBE_EXPECTED = [
  [LI, '/gpc-echo/main_frame'],
  [LI, '/gpc-echo/stylesheet.css'],
  [LI, '/gpc-echo/image.png'],
  [LI, '/gpc-echo/script.js'],
  [LI, '/gpc-echo/sub_frame'],
  [LI, '/gpc-echo/xmlhttprequest'],
  ['static.licdn.com', '/gpc-echo/image.png'],
  ['static.licdn.com', '/gpc-echo/script.js'],
  ['static.licdn.com', '/gpc-echo/xmlhttprequest'],
  ['linkedin.com', '/gpc-echo/sub_frame'],
  ['sub.www.linkedin.com', '/gpc-echo/sub_frame'],
];

function probePage(token) {
  const q = `?t=${token}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>GPC probe</title>
<link rel="stylesheet" href="/gpc-echo/stylesheet.css${q}"></head><body>
<img alt="" src="/gpc-echo/image.png${q}">
<img alt="" src="https://static.licdn.com/gpc-echo/image.png${q}">
<script src="/gpc-echo/script.js${q}"></script>
<script src="https://static.licdn.com/gpc-echo/script.js${q}"></script>
<iframe title="www" src="/gpc-echo/sub_frame${q}"></iframe>
<iframe title="apex" src="https://linkedin.com/gpc-echo/sub_frame${q}"></iframe>
<iframe title="subdomain" src="https://sub.www.linkedin.com/gpc-echo/sub_frame${q}"></iframe>
<script>
fetch('/gpc-echo/xmlhttprequest${q}');
fetch('https://static.licdn.com/gpc-echo/xmlhttprequest${q}');
</script></body></html>`;
}

/** A self-signed certificate for the probe hosts, made with openssl for this run. {key, cert, spkiHash, dir}. */
function makeCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'linkedout-gpc-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const san = [LI, ...OTHER_HOSTS].map((h) => `DNS:${h}`).join(',');
  const result = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-days', '1', '-subj', `/CN=${LI}`, '-addext', `subjectAltName=${san}`,
    '-keyout', keyPath, '-out', certPath], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`openssl could not make the probe's certificate: ${result.error?.message ?? result.stderr}`);
  }
  const cert = readFileSync(certPath);
  const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return { key: readFileSync(keyPath), cert, spkiHash: createHash('sha256').update(spki).digest('base64'), dir };
}

/** The local HTTPS server standing in for the probe hosts. Records {host, path, token, gpc, headers}. */
async function startProbeServer() {
  const certificate = makeCertificate();
  const seen = [];
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    const url = new URL(req.url, `https://${req.headers.host}`);
    const token = url.searchParams.get('t');
    seen.push({ host: req.headers.host, path: url.pathname, token, gpc: req.headers['sec-gpc'], headers: req.headers });
    const type = url.pathname === '/gpc-echo/main_frame' ? 'text/html'
      : url.pathname.endsWith('.css') ? 'text/css'
        : url.pathname.endsWith('.js') ? 'application/javascript' : 'text/plain';
    res.writeHead(200, {
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'no-store',
      'access-control-allow-origin': '*',
    });
    res.end(url.pathname === '/gpc-echo/main_frame' ? probePage(token) : '');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    seen,
    port,
    spkiHash: certificate.spkiHash,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      rmSync(certificate.dir, { recursive: true, force: true });
    },
  };
}

let probeRound = 0;

/**
 * Loads the probe page at https://www.linkedin.com/gpc-echo/main_frame in a new tab and waits until every request
 * of PROBE_EXPECTED reached the server. Returns {'host path': value of Sec-GPC or null}.
 */
async function probe(ext, probeServer) {
  probeRound += 1;
  const token = `r${probeRound}-${Date.now()}`;
  const page = await ext.context.newPage();
  try {
    await page.goto(`https://${LI}/gpc-echo/main_frame?t=${token}`);
    const mine = () => probeServer.seen.filter((r) => r.token === token);
    await waitFor(() => PROBE_EXPECTED.every(([host, path]) => mine().some((r) => r.host === host && r.path === path)),
      { what: `every probe request of round ${token} on the wire`, timeoutMs: 10000 });
    return Object.fromEntries(mine().map((r) => [`${r.host} ${r.path}`, r.gpc ?? null]));
  } finally {
    await page.close();
  }
}

/** {'host path': expected Sec-GPC}: '1' on www.linkedin.com when `on`, never on another host. */
function expectedHeaders(on) {
  return Object.fromEntries(PROBE_EXPECTED.map(([host, path]) => [`${host} ${path}`, on && host === LI ? '1' : null]));
}

async function dynamicRules(ext) {
  const worker = await ext.currentWorker();
  return worker.evaluate(() => chrome.declarativeNetRequest.getDynamicRules());
}

// ------------------------------------------------------------------ small helpers

async function openLoadedPopup(ext) {
  const popup = await ext.openPopup();
  await popup.locator('#groups li').first().waitFor({ timeout: 10000 });
  return popup;
}

async function reminderAlarm(ext) {
  const worker = await ext.currentWorker();
  return worker.evaluate((name) => chrome.alarms.get(name).then((a) => a ?? null), REMINDER_ALARM);
}

/** Everything the extension keeps that an option could change: storage, header rules, alarms, badge. */
async function optionState(ext) {
  const worker = await ext.currentWorker();
  return worker.evaluate(async () => ({
    storage: await chrome.storage.local.get(null),
    rules: await chrome.declarativeNetRequest.getDynamicRules(),
    alarms: (await chrome.alarms.getAll()).map((a) => ({ name: a.name, periodInMinutes: a.periodInMinutes ?? null }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    badge: await chrome.action.getBadgeText({}),
  }));
}

// ------------------------------------------------------------------ Global Privacy Control

describe('option: Global Privacy Control (Sec-GPC: 1 to www.linkedin.com)', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  let probeServer;
  const ext = extensionFor(replica, {
    fresh: false,
    launch: async () => {
      probeServer = await startProbeServer();
      const to = `127.0.0.1:${probeServer.port}`;
      return {
        extraArgs: [
          `--host-resolver-rules=${[LI, ...OTHER_HOSTS].map((h) => `MAP ${h} ${to}`).join(', ')}, MAP * ~NOTFOUND`,
          `--ignore-certificate-errors-spki-list=${probeServer.spkiHash}`,
        ],
      };
    },
  });

  before(async () => {
    // Later routes take precedence: the probe's requests go to the network (the local server), the rest to the
    // replica as usual.
    await ext.context.route((url) => url.pathname.startsWith('/gpc-echo/'), (route) => route.continue());
  });

  after(async () => {
    await probeServer?.close();
  });

  test('off by default; on from the popup adds Sec-GPC: 1 to www.linkedin.com requests only; off removes it; it survives a service-worker restart', async () => {
    // Off by default: the box unticked, the worker says off, no header on the wire.
    const popup = await openLoadedPopup(ext);
    const gpcBox = popup.getByRole('checkbox', { name: GPC_LABEL, exact: true });
    assert.equal(await gpcBox.isChecked(), false, 'the box is unticked on a fresh install');
    const status = await ext.sendMessage({ type: 'status' });
    assert.deepEqual(status.options, { gpc: false, reminder: false }, 'both options off by default');
    assert.deepEqual(await probe(ext, probeServer), expectedHeaders(false), 'no Sec-GPC anywhere while off');

    // On, with the popup's own control.
    await gpcBox.check();
    await ext.waitForStorage('options', (o) => o?.gpc === true);
    await waitFor(async () => (await dynamicRules(ext)).length === 1, { what: 'the header rule to be added' });
    assert.deepEqual(await probe(ext, probeServer), expectedHeaders(true),
      'Sec-GPC: 1 on every www.linkedin.com request (page, frame, script, style, image, fetch), on no other host');
    const [rule] = await dynamicRules(ext);
    assert.deepEqual(rule.action, { type: 'modifyHeaders', requestHeaders: [{ header: 'Sec-GPC', operation: 'set', value: '1' }] });
    assert.deepEqual(rule.condition.requestDomains, [LI], 'the rule covers www.linkedin.com (and nothing else by name)');

    // It survives the service worker being stopped: the popup still shows it on, and the wire still carries it.
    await popup.close();
    await stopServiceWorker(ext);
    const popup2 = await openLoadedPopup(ext);
    const gpcBox2 = popup2.getByRole('checkbox', { name: GPC_LABEL, exact: true });
    await waitFor(() => gpcBox2.isChecked(), { what: 'the box ticked after the restart' });
    assert.deepEqual((await ext.sendMessage({ type: 'status' })).options, { gpc: true, reminder: false });
    assert.deepEqual(await probe(ext, probeServer), expectedHeaders(true), 'still sent after the restart');

    // Off again from the popup: the header is gone.
    await gpcBox2.uncheck();
    await ext.waitForStorage('options', (o) => o?.gpc === false);
    await waitFor(async () => (await dynamicRules(ext)).length === 0, { what: 'the header rule to be removed' });
    assert.deepEqual(await probe(ext, probeServer), expectedHeaders(false), 'no Sec-GPC anywhere once off');
    await popup2.reload();
    await popup2.locator('#groups li').first().waitFor({ timeout: 10000 });
    assert.equal(await popup2.getByRole('checkbox', { name: GPC_LABEL, exact: true }).isChecked(), false);
    await popup2.close();
  });
});

// ------------------------------------------------------------------ monthly reminder

describe('option: monthly reminder', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica, { fresh: false });

  /** Fires the reminder now, as Chromium would after 30 days: the same alarm (name and period), due in 50 ms. */
  async function fireReminder() {
    const worker = await ext.currentWorker();
    await worker.evaluate(async (name) => {
      const alarm = await chrome.alarms.get(name);
      await chrome.alarms.create(name, { when: Date.now() + 50, periodInMinutes: alarm.periodInMinutes });
    }, REMINDER_ALARM);
  }

  test('off by default; on creates a 30-day alarm; when it fires the badge shows "!" and the popup says a check is due; "Check again" clears both; off clears the alarm', async () => {
    // Every setting already off on LinkedIn, so that after "Check again" the badge has nothing left to count.
    for (const s of SETTINGS) replica.account.settings[keyOf(s)] = false;

    const popup = await openLoadedPopup(ext);
    const box = popup.getByRole('checkbox', { name: REMINDER_LABEL, exact: true });
    const dueNotice = popup.locator('#notices').getByText(REMINDER_DUE_TEXT, { exact: true });
    assert.equal(await box.isChecked(), false, 'the box is unticked on a fresh install');
    assert.equal(await reminderAlarm(ext), null, 'no alarm by default');
    assert.equal(await badgeText(ext), '');

    // On: the alarm, 30 days from now, every 30 days.
    const onAt = Date.now();
    await box.check();
    await ext.waitForStorage('options', (o) => o?.reminder === true);
    const alarm = await waitFor(() => reminderAlarm(ext), { what: `the ${REMINDER_ALARM} alarm` });
    assert.equal(alarm.periodInMinutes, THIRTY_DAYS_MIN, 'repeats every 30 days');
    const inDays = (alarm.scheduledTime - onAt) / 86400000;
    assert.ok(inDays > 29.99 && inDays < 30.01, `first due in 30 days, not ${inDays.toFixed(4)}`);
    assert.equal(await badgeText(ext), '', 'nothing to show yet');
    assert.equal(await dueNotice.count(), 0, 'no notice yet');

    // The month is over.
    await fireReminder();
    await ext.waitForStorage('reminder_due', (v) => v?.due === true);
    await waitFor(async () => (await badgeText(ext)) === '!', { what: 'the badge to show "!"' });
    await dueNotice.waitFor({ timeout: 10000 });
    assert.ok(await dueNotice.isVisible(), 'the popup says a check is due');
    assert.equal((await reminderAlarm(ext))?.periodInMinutes, THIRTY_DAYS_MIN, 'the reminder stays on for the next month');

    // "Check again": the reminder is answered, the "!" goes, and the monthly alarm stays.
    const since = await checkAgainFromPopup(popup);
    const report = await waitForReport(ext, { since, mode: 'check', timeoutMs: RUN_TIMEOUT });
    assert.deepEqual(reportProblems(report), []);
    // The worker stores the report first, then clears the reminder: wait for it, not for the report alone.
    await ext.waitForStorage('reminder_due', (v) => v?.due === false);
    await waitFor(async () => (await badgeText(ext)) === '', { what: 'the badge to be cleared' });
    await dueNotice.waitFor({ state: 'detached', timeout: 10000 });
    assert.ok(RECOMMENDED.every((id) => report.settings.find((s) => s.id === id)?.after === 'off'), 'the check read everything off');
    assert.equal((await reminderAlarm(ext))?.periodInMinutes, THIRTY_DAYS_MIN, 'still reminding every 30 days');

    // Due again, then the member turns the reminder off: alarm, "!" and notice all gone.
    await fireReminder();
    await waitFor(async () => (await badgeText(ext)) === '!', { what: 'the badge to show "!" again' });
    await dueNotice.waitFor({ timeout: 10000 });
    await box.uncheck();
    await ext.waitForStorage('options', (o) => o?.reminder === false);
    await waitFor(async () => (await reminderAlarm(ext)) === null, { what: 'the alarm to be cleared' });
    await ext.waitForStorage('reminder_due', (v) => v?.due === false);
    await waitFor(async () => (await badgeText(ext)) === '', { what: 'the badge to be cleared when the reminder is turned off' });
    await dueNotice.waitFor({ state: 'detached', timeout: 10000 });
    await popup.close();
  });
});

// ------------------------------------------------------------------ bad input

describe('option: set_options refuses bad input', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica, { fresh: false });

  test('an unknown option or a non-boolean value is refused whole, with an error naming it, and nothing changes', async () => {
    // A state that is not the default, so that a partly applied message would show.
    const set = await ext.sendMessage({ type: 'set_options', options: { gpc: true, reminder: true } });
    assert.deepEqual(set, { ok: true, options: { gpc: true, reminder: true } });
    await waitFor(async () => (await reminderAlarm(ext)) !== null, { what: 'the reminder alarm' });
    const initial = await optionState(ext);
    assert.deepEqual(initial.storage.options, { version: 1, gpc: true, reminder: true });
    assert.equal(initial.rules.length, 1, 'the header rule is on');

    const cases = [
      [{ telemetry: true }, /^unknown option "telemetry"$/],
      [{ gpc: false, telemetry: true }, /^unknown option "telemetry"$/],
      [{ reminder: false, constructor: true }, /^unknown option "constructor"$/],
      [{ toString: false }, /^unknown option "toString"$/],
      [{ gpc: 'false' }, /^option "gpc" must be true or false$/],
      [{ gpc: 0 }, /^option "gpc" must be true or false$/],
      [{ reminder: null }, /^option "reminder" must be true or false$/],
      [{ gpc: false, reminder: 'off' }, /^option "reminder" must be true or false$/],
    ];
    for (const [options, error] of cases) {
      const answer = await ext.sendMessage({ type: 'set_options', options });
      assert.equal(answer?.ok, false, `${JSON.stringify(options)} is refused: ${JSON.stringify(answer)}`);
      assert.equal(answer.error, 'bad_option', `${JSON.stringify(options)}: the error's code`);
      assert.match(String(answer.message), error, `${JSON.stringify(options)}: a clear error`);
      assert.equal(answer.options, undefined, 'a refusal reports no options');
    }
    assert.deepEqual(await optionState(ext), initial, 'storage, header rule, alarms and badge unchanged');
    assert.deepEqual((await ext.sendMessage({ type: 'status' })).options, { gpc: true, reminder: true });
  });
});
