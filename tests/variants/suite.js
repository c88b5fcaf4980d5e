// "Never a wrong click": every variant of tests/variants/variants.js driven as a member would (mostly "Opt out of
// everything" from the popup over the relevant settings, the guided overlay where that is the point), with every
// save request the replica received checked.
//
// A WRONG CLICK is a save request to a key no rule names for that page, a save towards ON, a save for a setting
// whose expected outcome says no click should happen, or more than one save per setting. The suite runs as
// shards (shard-N.test.js, so that the test runner can run them side by side); each prints
//   variants shard K/S: wrong clicks: W of N variants; correct outcomes: C of T
// fails if W > 0 or C < T (listing the mismatches), and writes its tally to test-results/variants-shard-K.json,
// from which `cargo xtask test` prints the line for the whole suite.
//
// Run: node tests/variants/run.js; LINKEDOUT_EXTENSION=/abs/dir points at a built extension (default
// dist/chrome). VARIANT=<substring> runs only matching variants.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createReplica } from '../replica/server.js';
import { REPO_ROOT, waitFor } from '../support/harness.js';
import {
  FAST_LATENCY, RULE_BY_ID, SETTINGS, cardOf, confirmationItems, entryOf, extensionFor, keyOf, nowIso, overlayOf,
  startOptOutFromPopup, turnOffButton, waitForReport,
} from '../support/linkedout.js';
import { VARIANTS } from './variants.js';

const ONLY = process.env.VARIANT ?? '';
const DEFAULT_TIMEOUT = 45000;
const CLICKING = new Set(['turned_off', 'refused']);

const KEY_TO_ID = new Map(SETTINGS.map((s) => [keyOf(s), s.id]));
const KNOWN_PAGES = new Set(SETTINGS.flatMap((s) => s.paths));

/** Applies a variant's setup over the replica's defaults (after reset()). */
function applySetup(replica, setup = {}) {
  const { account = {}, latency = {}, variant = {} } = setup;
  for (const [key, value] of Object.entries(account)) {
    if (key === 'settings') Object.assign(replica.account.settings, value);
    else if (key === 'missingPaths' || key === 'failSaves') replica.account[key] = new Set(value);
    else replica.account[key] = value;
  }
  Object.assign(replica.latency, latency);
  Object.assign(replica.variant, structuredClone(variant));
}

/** {outcome, saves} expected for one setting. */
function expectationOf(spec) {
  if (Array.isArray(spec)) return { outcome: spec[0], saves: spec[1] };
  return { outcome: spec, saves: CLICKING.has(spec) ? 1 : 0 };
}

/** Every wrong click of a variant, as readable strings. */
export function wrongClicks(variant, saves) {
  const wrong = [];
  const perId = new Map();
  for (const save of saves) {
    const id = KEY_TO_ID.get(save.key);
    const at = `save ${save.key}=${save.value} from ${save.page ?? '?'} (${save.result})`;
    if (!id) {
      wrong.push(`${at}: no rule names this key`);
      continue;
    }
    if (save.page && KNOWN_PAGES.has(save.page) && !RULE_BY_ID.get(id).paths.includes(save.page)) {
      wrong.push(`${at}: no rule names this key for that page`);
    }
    if (save.value !== false) wrong.push(`${at}: towards ON`);
    const spec = variant.expect[id];
    const allowed = spec === undefined ? 0 : expectationOf(spec).saves;
    perId.set(id, (perId.get(id) ?? 0) + 1);
    if (allowed === 0) wrong.push(`${at}: the expected outcome says no click (${spec ?? 'not selected'})`);
    else if (perId.get(id) > allowed) wrong.push(`${at}: more than ${allowed} save(s) for ${id}`);
  }
  return wrong;
}

async function openReadyPopup(ext) {
  const popup = await ext.openPopup();
  await waitFor(() => popup.getByRole('button', { name: 'Opt out of everything', exact: true }).isEnabled(),
    { what: 'the popup to load the rules', timeoutMs: 10000 });
  return popup;
}

/** Reads outcomes from a finished report for the variant's settings. */
function reportOutcomes(variant, report) {
  return Object.fromEntries(Object.keys(variant.expect).map((id) => {
    const entry = entryOf(report, id);
    return [id, { outcome: entry?.outcome ?? null, note: entry?.note ? JSON.stringify(entry.note) : null }];
  }));
}

const drivers = {
  /**
   * "Opt out of everything" for a member who is signed out: the run meets the sign-in page before anything, so
   * no report is stored and the selection waits for Continue. Outcome "sign_in_first" for each id waiting.
   */
  async signed_out(ext, replica, variant) {
    const popup = await openReadyPopup(ext);
    await startOptOutFromPopup(popup, { select: variant.select });
    const status = await waitFor(async () => {
      const s = await ext.sendMessage({ type: 'status' });
      return s?.sign_in_needed ? s : null;
    }, { what: 'the run to wait for sign-in', timeoutMs: variant.timeoutMs ?? DEFAULT_TIMEOUT });
    if (await ext.storageGet('report')) throw new Error('a report was stored for a run that did nothing');
    const outcomes = Object.fromEntries(status.sign_in_needed.settings.map((id) => [id, { outcome: 'sign_in_first' }]));
    return { outcomes };
  },

  /** "Opt out of everything" with the variant's settings selected. */
  async popup(ext, replica, variant) {
    const popup = await openReadyPopup(ext);
    const { since } = await startOptOutFromPopup(popup, { select: variant.select });
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: variant.timeoutMs ?? DEFAULT_TIMEOUT });
    return { outcomes: reportOutcomes(variant, report), report };
  },

  /** The member opens the setting's page and answers "Turn off" in the guided overlay. */
  async overlay_turn_off(ext, replica, variant) {
    const id = variant.select[0];
    const page = ext.page;
    await page.goto(replica.url(RULE_BY_ID.get(id).paths[0]));
    const card = cardOf(page, id);
    await card.waitFor({ timeout: 20000 });
    const since = nowIso();
    await turnOffButton(card).click();
    const report = await waitForReport(ext, { since, mode: 'guided', timeoutMs: variant.timeoutMs ?? DEFAULT_TIMEOUT });
    return { outcomes: reportOutcomes(variant, report), report };
  },

  /**
   * The member opens the setting's page: a candidate recognised below the threshold is highlighted as manual, the
   * card explains what to do by hand, and offers no "Turn off". Outcome "manual" when all of that holds.
   */
  async overlay_manual(ext, replica, variant) {
    const id = variant.select[0];
    const page = ext.page;
    await page.goto(replica.url(RULE_BY_ID.get(id).paths[0]));
    const card = cardOf(page, id);
    await card.waitFor({ timeout: 20000 });
    const problems = [];
    const text = (await card.textContent()).replace(/\s+/g, ' ');
    if (!/will not touch it/.test(text) || !/switch it off yourself/.test(text)) problems.push(`card does not explain the manual change: "${text}"`);
    if (await turnOffButton(card).count()) problems.push('the card offers "Turn off"');
    const highlighted = await waitFor(async () => (await overlayOf(page).locator('.hl.manual').count()) === 1,
      { timeoutMs: 5000, what: 'the manual highlight' }).catch(() => false);
    if (!highlighted) problems.push('no manual highlight');
    else {
      // The highlight sits on the candidate switch (the one with the rule's label text).
      const onSwitch = await page.evaluate(() => {
        const { document } = globalThis; // runs in the page
        const host = document.querySelector('linkedout-overlay');
        const hl = host?.shadowRoot?.querySelector('.hl.manual')?.getBoundingClientRect();
        const sw = Array.from(document.querySelectorAll('input[role="switch"]')).find((el) => !el.hasAttribute('aria-labelledby') && !el.id);
        const r = sw?.getBoundingClientRect();
        return Boolean(hl && r && hl.left <= r.left && hl.right >= r.right && hl.top <= r.top && hl.bottom >= r.bottom);
      });
      if (!onSwitch) problems.push('the manual highlight is not on the candidate switch');
    }
    return { outcomes: { [id]: { outcome: problems.length ? 'wrong_overlay' : 'manual', note: problems.join('; ') || null } } };
  },

  /**
   * Every recommended setting was last read as off (the member visited the pages earlier; here the extension's
   * stored states say so): the popup's confirmation button must start a run that reads them again.
   */
  async recheck(ext, replica, variant) {
    const at = nowIso();
    await ext.storageSet({ states: Object.fromEntries(variant.select.map((id) => [id, { state: 'off', checked_at: at, url: null }])) });
    const popup = await openReadyPopup(ext);
    await popup.getByRole('button', { name: 'Opt out of everything', exact: true }).click();
    await popup.locator('#confirm-list li').first().waitFor();
    const items = await confirmationItems(popup);
    const notes = [];
    for (const id of variant.select) {
      if (!items.find((i) => i.id === id)?.alreadyOff) notes.push(`${id} not listed as already off`);
    }
    const button = popup.locator('#confirm-go');
    const name = (await button.textContent()).trim();
    if (name !== `Check ${variant.select.length} settings again`) notes.push(`button named "${name}"`);
    if (await button.isDisabled()) {
      return { outcomes: Object.fromEntries(variant.select.map((id) => [id, { outcome: 'button_disabled', note: name }])) };
    }
    const since = nowIso();
    await button.click();
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: variant.timeoutMs ?? 90000 });
    const outcomes = reportOutcomes(variant, report);
    if (notes.length) for (const id of variant.select) outcomes[id].note = notes.join('; ');
    if (notes.length) for (const id of variant.select) outcomes[id].outcome = 'popup_wrong';
    return { outcomes, report };
  },

  /** The member opens a category page; the popup then tells of the setting LinkedOut does not know, with a link. */
  async category(ext, replica, variant) {
    const page = ext.page;
    await page.goto(replica.url('/mypreferences/d/categories/privacy'));
    await overlayOf(page).getByText(/does not know yet/).waitFor({ timeout: 20000 });
    const popup = await openReadyPopup(ext);
    const outcomes = {};
    for (const path of variant.unknown) {
      const ok = await waitFor(async () => {
        const link = popup.locator('#notices').getByRole('link', { name: path, exact: true });
        if (!(await link.count())) return false;
        const href = await link.getAttribute('href');
        const text = await link.locator('xpath=..').textContent();
        return href === replica.url(path) && text.includes("LinkedIn has a setting LinkedOut doesn't know yet");
      }, { timeoutMs: 5000, what: `the popup to report ${path}` }).catch(() => false);
      outcomes[`unknown:${path}`] = { outcome: ok ? 'reported' : 'not_reported', note: null };
    }
    return { outcomes };
  },
};

function expectedOutcomes(variant) {
  const out = Object.fromEntries(Object.entries(variant.expect).map(([id, spec]) => [id, expectationOf(spec).outcome]));
  for (const path of variant.unknown ?? []) out[`unknown:${path}`] = 'reported';
  return out;
}

/** Defines shard `shard` (1-based) of `shards`: every shards-th variant, so that the shards take about as long. */
export function defineVariantSuite(shard, shards) {
  const SELECTED = VARIANTS.filter((v, i) => i % shards === shard - 1 && (!ONLY || v.name.includes(ONLY)));
  describe(`never a wrong click: LinkedIn variants, shard ${shard}/${shards}`, () => {
    const replica = createReplica({ seed: 'variants', latency: FAST_LATENCY });
    const ext = extensionFor(replica);
    const results = [];

    for (const variant of SELECTED) {
      test(variant.name, async () => {
        applySetup(replica, variant.setup);
        const started = Date.now();
        const expected = expectedOutcomes(variant);
        let got = {};
        let error = null;
        try {
          ({ outcomes: got } = await drivers[variant.drive ?? 'popup'](ext, replica, variant));
        } catch (e) {
          error = e;
        }
        // The report is stored only when the run has ended (after its verify phase), so every save the
        // product made is in the log by now.
        const saves = replica.saves.map((s) => ({ ...s }));
        const wrong = wrongClicks(variant, saves);
        const mismatches = [];
        for (const [id, outcome] of Object.entries(expected)) {
          if (got[id]?.outcome !== outcome) {
            mismatches.push(`${id}: expected ${outcome}, got ${got[id]?.outcome ?? (error ? `error: ${error.message}` : 'nothing')}${got[id]?.note ? ` (${got[id].note})` : ''}`);
          }
        }
        results.push({ name: variant.name, wrong, mismatches, correct: Object.keys(expected).length - mismatches.length, total: Object.keys(expected).length });
        console.log(`# ${((Date.now() - started) / 1000).toFixed(1)} s  ${variant.name}: ${wrong.length} wrong, ${mismatches.length} mismatched`);
        for (const line of [...wrong, ...mismatches]) console.log(`#   ${line}`);
      });
    }

    test('summary', () => {
      const w = results.filter((r) => r.wrong.length > 0).length;
      const c = results.reduce((a, r) => a + r.correct, 0);
      const t = results.reduce((a, r) => a + r.total, 0);
      console.log(`variants shard ${shard}/${shards}: wrong clicks: ${w} of ${results.length} variants; correct outcomes: ${c} of ${t}`);
      const dir = join(REPO_ROOT, 'test-results');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `variants-shard-${shard}.json`), JSON.stringify({
        shard, shards, variants: results.length, wrong: w, correct: c, total: t,
      }));
      const wrongList = results.filter((r) => r.wrong.length).map((r) => `${r.name}: ${r.wrong.join('; ')}`);
      const mismatchList = results.filter((r) => r.mismatches.length).map((r) => `${r.name}: ${r.mismatches.join('; ')}`);
      assert.equal(results.length, SELECTED.length, 'every variant ran');
      assert.equal(w, 0, `wrong clicks:\n${wrongList.join('\n')}`);
      assert.equal(c, t, `outcome mismatches:\n${mismatchList.join('\n')}`);
    });
  });
}
