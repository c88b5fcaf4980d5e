// LinkedOut, end to end, in one command (`cargo xtask demo` runs this after building dist/chrome):
//
//   1. Chromium with the built extension, against the LinkedIn replica (served at the real www.linkedin.com URLs,
//      no real network). Headless unless DISPLAY is set (or LINKEDOUT_HEADLESS says otherwise).
//   2. The member visits the AI-training settings page: the overlay highlights the switch and explains it.
//   3. "Turn off": LinkedOut switches it, reloads the page and confirms it.
//   4. From the popup, "Opt out of everything": the confirmation, one yes, every recommended setting.
//   5. A plain account: per setting, before → after, outcome, and the replica's server state.
//
// Screenshots go to demo-output/ (gitignored). Exits non-zero if the demo did not achieve its result.
//
// Environment (set by `cargo xtask demo`, all optional): LINKEDOUT_EXTENSION (built extension directory),
// LINKEDOUT_CHROMIUM (browser binary), LINKEDOUT_HEADLESS ("1" / "0").
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

if (process.env.LINKEDOUT_CHROMIUM && !process.env.CHROMIUM_PATH) process.env.CHROMIUM_PATH = process.env.LINKEDOUT_CHROMIUM;

// Imported after the environment is settled (the harness reads CHROMIUM_PATH when it loads).
const { createReplica } = await import('../replica/server.js');
const { REPO_ROOT, launchExtension } = await import('../support/harness.js');
const {
  RECOMMENDED, RULE_BY_ID, SETTINGS, cardOf, entryOf, keyOf, nowIso, reportProblems, serverStates,
  startOptOutFromPopup, turnOffButton, waitForReport,
} = await import('../support/linkedout.js');

const OUT = join(REPO_ROOT, 'demo-output');
const AI_ID = 'ai_training';
const AI_PATH = RULE_BY_ID.get(AI_ID).paths[0];

function headless() {
  if (process.env.LINKEDOUT_HEADLESS === '1') return true;
  if (process.env.LINKEDOUT_HEADLESS === '0') return false;
  return !process.env.DISPLAY;
}

const say = (text = '') => process.stdout.write(`${text}\n`);
const onOff = (on) => (on ? 'on' : 'off');

/** A report note ({code, params}) in the English words of the extension's messages (note_<code>). */
const EN = JSON.parse(readFileSync(join(REPO_ROOT, 'extension/_locales/en/messages.json'), 'utf8'));
function noteWords(note) {
  const entry = EN[`note_${note.code}`];
  if (!entry) return note.code;
  const params = note.params ?? {};
  const values = Object.keys(params).sort().map((name) => params[name]);
  return entry.message.replace(/\$([A-Za-z0-9_]+)\$/g, (whole, name) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content;
    return content ? (values[Number(content.slice(1)) - 1] ?? '') : whole;
  });
}

async function main() {
  await mkdir(OUT, { recursive: true });
  const problems = [];
  const replica = createReplica({ seed: 'demo' });
  const ext = await launchExtension({ replica, headless: headless() });
  try {
    say(`LinkedOut demo: Chromium ${headless() ? 'headless' : 'headed'}, extension ${ext.extensionId}, LinkedIn replica (no real network)`);
    say('');

    // 1. The guided overlay on the AI-training page.
    const page = await ext.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    say(`1. The member opens ${replica.url(AI_PATH)}`);
    await page.goto(replica.url(AI_PATH));
    const card = cardOf(page, AI_ID);
    await turnOffButton(card).waitFor({ timeout: 20000 });
    const shot1 = join(OUT, '1-overlay.png');
    await page.screenshot({ path: shot1, animations: 'disabled' });
    say(`   The overlay highlights the switch and asks: "${(await turnOffButton(card).textContent()).trim()}" / "Not now"`);
    say(`   Server state of ${keyOf(AI_ID)}: ${onOff(replica.stateOf(keyOf(AI_ID)))}   (screenshot ${shot1})`);

    // 2. Turn off, confirmed after a reload.
    say('2. The member clicks "Turn off"');
    const guidedSince = nowIso();
    await turnOffButton(card).click();
    await card.getByText(/LinkedIn confirms it after a fresh page load/).waitFor({ timeout: 30000 });
    const guided = await waitForReport(ext, { since: guidedSince, mode: 'guided', timeoutMs: 30000 });
    const shot2 = join(OUT, '2-confirmed.png');
    await page.screenshot({ path: shot2, animations: 'disabled' });
    const guidedEntry = entryOf(guided, AI_ID);
    say(`   ${guidedEntry.before} → ${guidedEntry.after}, outcome ${guidedEntry.outcome}; server state now ${onOff(replica.stateOf(keyOf(AI_ID)))}   (screenshot ${shot2})`);
    if (guidedEntry.outcome !== 'turned_off') problems.push(`the overlay's Turn off ended ${guidedEntry.outcome}, not turned_off`);
    if (replica.stateOf(keyOf(AI_ID)) !== false) problems.push('the AI-training setting is still on on the server after Turn off');

    // 3. One click from the popup.
    say('3. From the LinkedOut popup: "Opt out of everything"');
    const popup = await ext.openPopup();
    await popup.setViewportSize({ width: 420, height: 800 });
    await popup.getByRole('button', { name: 'Opt out of everything', exact: true }).waitFor();
    const { since, items } = await startOptOutFromPopup(popup);
    const selected = items.filter((i) => i.checked).map((i) => i.id);
    const recheck = items.filter((i) => i.alreadyOff).map((i) => i.id);
    say(`   The confirmation lists ${items.length} settings; selected: ${selected.join(', ')}${recheck.length ? `; already off, read again: ${recheck.join(', ')}` : ''}`);
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: 120000 });
    await popup.bringToFront();
    // The popup redraws from storage: wait until it shows this run's report and no run in progress.
    await popup.locator('#progress').waitFor({ state: 'hidden', timeout: 10000 });
    await popup.locator('#report-when').getByText(/^Opt-out/).waitFor({ timeout: 10000 });
    const shot3 = join(OUT, '3-popup-report.png');
    await popup.screenshot({ path: shot3, fullPage: true, animations: 'disabled' });
    await writeFile(join(OUT, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    say(`   Run finished (${report.complete ? 'complete' : 'INCOMPLETE'}); popup screenshot ${shot3}; report ${join(OUT, 'report.json')}`);

    // 4. The plain account.
    say('');
    say('What happened, setting by setting (report, then the replica\'s server state):');
    const server = serverStates(replica);
    const width = Math.max(...SETTINGS.map((s) => s.name.en.length));
    for (const s of SETTINGS) {
      const e = entryOf(report, s.id) ?? {};
      const kind = s.recommended ? 'recommended' : 'optional   ';
      say(`  ${s.name.en.padEnd(width)}  ${kind}  ${String(e.before).padEnd(7)} → ${String(e.after).padEnd(7)}  ${String(e.outcome).padEnd(12)}  server: ${onOff(server[s.id])}${e.note ? `  (${noteWords(e.note)})` : ''}`);
    }
    const saves = replica.saves.filter((x) => x.result === 'applied').length;
    say('');
    say(`Save requests LinkedIn received: ${replica.saves.length} (${saves} applied). Every change came from the page's own save, after the member's yes.`);

    for (const p of reportProblems(report)) problems.push(`report: ${p}`);
    for (const id of RECOMMENDED) {
      const outcome = entryOf(report, id)?.outcome;
      if (!['turned_off', 'already_off'].includes(outcome)) problems.push(`${id}: outcome ${outcome}`);
      if (server[id] !== false) problems.push(`${id} is still on on the server`);
    }
    for (const s of SETTINGS.filter((x) => !x.recommended)) {
      if (server[s.id] !== true) problems.push(`optional ${s.id} was changed without being selected`);
    }
  } finally {
    await ext.close();
  }
  say('');
  if (problems.length) {
    say(`DEMO FAILED: ${problems.length} problem(s):`);
    for (const p of problems) say(`  - ${p}`);
    return 1;
  }
  say('Demo OK: every recommended setting is off on the server, confirmed from a fresh page load; optional ones untouched.');
  return 0;
}

main().then((code) => {
  process.exitCode = code;
}, (error) => {
  process.stderr.write(`DEMO FAILED: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
