// Page timing as LinkedIn's pages may have it (issue 11, items 1–3): a page that paints from its own cache and
// corrects itself from the server a moment later, a revert that comes seconds after the save, a save slower than
// the read-back, switches disabled while the page hydrates, a section that renders seconds after its neighbours,
// and pages missing in every form (404, a server redirect, a script redirect, a redirect to another settings page
// or to the feed). Every outcome is held to the replica's SERVER state: nothing may be called off that LinkedIn has
// on, and nothing the page will still show may be missed.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { AFFILIATES_PATHS } from '../replica/catalog.js';
import { createReplica } from '../replica/server.js';
import { waitFor } from '../support/harness.js';
import {
  FAST_LATENCY, RULE_BY_ID, documentLoads, entryOf, extensionFor, keyOf, reportProblems, savesById,
  startOptOutFromPopup, waitForReport,
} from '../support/linkedout.js';

const RUN_TIMEOUT = 90000;
const AI = 'ai_training';
const AFF = 'share_with_affiliates';
const RESEARCH = 'research';
const PROMO = 'marketing_promotions';
const EMAILS = 'marketing_emails';
const AGE = 'age_range';

/** The outcome a report may give a setting that LinkedIn's server has in `serverOn` state, after a click. */
function assertHonest(replica, report, id) {
  const entry = entryOf(report, id);
  const on = replica.stateOf(keyOf(id));
  assert.ok(entry, `${id} is in the report`);
  if (on) {
    assert.notEqual(entry.outcome, 'turned_off', `${id}: reported turned_off while LinkedIn has it ON (${JSON.stringify(entry.note)})`);
    assert.notEqual(entry.outcome, 'already_off', `${id}: reported already_off while LinkedIn has it ON`);
  }
  return entry;
}

describe('page timing: the verify decides on a settled page', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);
  let popup;

  beforeEach(async () => {
    popup = await ext.openPopup();
    await waitFor(() => popup.getByRole('button', { name: 'Opt out of everything', exact: true }).isEnabled(),
      { what: 'the popup to load the rules', timeoutMs: 10000 });
  });

  async function optOut(select) {
    const { since } = await startOptOutFromPopup(popup, { select });
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    assert.deepEqual(reportProblems(report), []);
    return report;
  }

  test('a cache-first page paints the cached "off", then corrects itself to LinkedIn\'s "on": refused, never turned_off', async () => {
    replica.latency.state = 300;
    Object.assign(replica.variant, { cacheFirst: {}, revertAfter: { [keyOf(AI)]: 300 } });
    const report = await optOut([AI]);
    assert.equal(replica.stateOf(keyOf(AI)), true, 'the server reverted the save');
    await waitFor(() => replica.stateReads.some((r) => r.key === keyOf(AI) && r.value === true),
      { what: 'the verify load to have asked the server', timeoutMs: 5000 });
    const entry = assertHonest(replica, report, AI);
    assert.equal(entry.outcome, 'refused', JSON.stringify(entry));
    assert.equal(entry.after, 'on');
  });

  test('a cache-first page that marks its row busy while it asks LinkedIn (a slow answer, 1.5 s): refused', async () => {
    replica.latency.state = 1500;
    Object.assign(replica.variant, { cacheFirst: { busy: true }, revertAfter: { [keyOf(RESEARCH)]: 300 } });
    const report = await optOut([RESEARCH]);
    assert.equal(replica.stateOf(keyOf(RESEARCH)), true);
    const entry = assertHonest(replica, report, RESEARCH);
    assert.equal(entry.outcome, 'refused', JSON.stringify(entry));
  });

  test('LinkedIn reverts 3.5 s after the save, behind a cached paint: refused', async () => {
    replica.latency.state = 150;
    Object.assign(replica.variant, { cacheFirst: {}, revertAfter: { [keyOf(AGE)]: 3500 } });
    const report = await optOut([AGE]);
    await waitFor(() => replica.stateOf(keyOf(AGE)) === true, { what: 'LinkedIn to revert the save', timeoutMs: 6000 });
    assertHonest(replica, report, AGE);
    const save = savesById(replica).find((s) => s.id === AGE);
    const loads = RULE_BY_ID.get(AGE).paths.flatMap((p) => documentLoads(replica, p)).filter((r) => r.at > save.at);
    assert.ok(loads.length >= 1, 'the verify loaded the page again');
    assert.ok(loads.at(-1).at - save.at >= 3500, `the deciding load came ${loads.at(-1).at - save.at} ms after the save, before the revert could show`);
    const entry = assertHonest(replica, report, AGE);
    assert.equal(entry.outcome, 'refused', JSON.stringify(entry));
  });

  test('a save slower than the read-back (3 s, never marked busy): the outcome is what LinkedIn ends with', async () => {
    replica.latency.save = 3000;
    Object.assign(replica.variant, { noBusy: [keyOf(AI)] });
    const report = await optOut([AI]);
    await waitFor(() => savesById(replica).some((s) => s.id === AI && s.result === 'applied'),
      { what: 'the save to be applied', timeoutMs: 10000 });
    assert.equal(replica.stateOf(keyOf(AI)), false, 'LinkedIn applied the save');
    const entry = entryOf(report, AI);
    assert.equal(entry.outcome, 'turned_off', `LinkedIn has it off; the report says ${entry.outcome} (${JSON.stringify(entry.note)})`);
  });
});

describe('page timing: waiting covers every switch the rules expect', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);
  let popup;

  beforeEach(async () => {
    popup = await ext.openPopup();
    await waitFor(() => popup.getByRole('button', { name: 'Opt out of everything', exact: true }).isEnabled(),
      { what: 'the popup to load the rules', timeoutMs: 10000 });
  });

  async function optOut(select) {
    const { since } = await startOptOutFromPopup(popup, { select });
    const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
    assert.deepEqual(reportProblems(report), []);
    return report;
  }

  test('switches disabled for 0.8 s while the page hydrates: turned off, not "not offered"', async () => {
    replica.variant.hydrateMs = 800;
    const report = await optOut([AI, RESEARCH]);
    for (const id of [AI, RESEARCH]) {
      const entry = entryOf(report, id);
      assert.equal(entry.outcome, 'turned_off', `${id}: ${entry.outcome} (${JSON.stringify(entry.note)})`);
      assert.equal(replica.stateOf(keyOf(id)), false, `${id} off on the server`);
    }
  });

  test('a switch disabled for good is still "not offered", after the page settled', async () => {
    replica.variant.disabledSwitches = [keyOf(RESEARCH)];
    const report = await optOut([RESEARCH]);
    assert.equal(entryOf(report, RESEARCH).outcome, 'not_offered');
    assert.equal(replica.saves.length, 0);
  });

  test('a section that renders 3 s after its neighbours: both switches on the page turned off', async () => {
    replica.variant.lazy = { [keyOf(EMAILS)]: 3000 };
    const report = await optOut([PROMO, EMAILS]);
    for (const id of [PROMO, EMAILS]) {
      const entry = entryOf(report, id);
      assert.equal(entry.outcome, 'turned_off', `${id}: ${entry.outcome} (${JSON.stringify(entry.note)})`);
      assert.equal(replica.stateOf(keyOf(id)), false, `${id} off on the server`);
    }
  });
});

describe('page timing: missing pages are recognised fast, whatever form the absence takes', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);
  let popup;

  beforeEach(async () => {
    popup = await ext.openPopup();
    await waitFor(() => popup.getByRole('button', { name: 'Opt out of everything', exact: true }).isEnabled(),
      { what: 'the popup to load the rules', timeoutMs: 10000 });
  });

  const FORMS = [
    ['a 404', null],
    ['a server redirect to the feed', { how: 'server', to: '/feed/' }],
    ['a script redirect (location.replace) to the feed', { how: 'script', to: '/feed/' }],
    ['a redirect to a category page', { how: 'server', to: '/mypreferences/d/categories/privacy' }],
    ['a script redirect to another settings page', { how: 'script', to: '/mypreferences/d/settings/data-for-ai-improvement' }],
  ];

  for (const [form, gone] of FORMS) {
    test(`the affiliates pages missing as ${form}: not_offered, each path loaded once, no deadline waited out`, async () => {
      replica.account.region = 'eu';
      if (gone) replica.variant.gone = Object.fromEntries(AFFILIATES_PATHS.map((p) => [p, gone]));
      const { since } = await startOptOutFromPopup(popup, { select: [AFF, RESEARCH] });
      const report = await waitForReport(ext, { since, mode: 'opt_out', timeoutMs: RUN_TIMEOUT });
      assert.deepEqual(reportProblems(report), []);
      assert.equal(entryOf(report, AFF).outcome, 'not_offered', JSON.stringify(entryOf(report, AFF)));
      assert.equal(entryOf(report, RESEARCH).outcome, 'turned_off');
      assert.equal(savesById(replica).filter((s) => s.id === AFF).length, 0, 'nothing saved for the missing page');
      for (const path of AFFILIATES_PATHS) {
        assert.equal(documentLoads(replica, path).length, 1, `${path} loaded once (${documentLoads(replica, path).length})`);
      }
      // From the first affiliates request to the research page's: both missing paths, with no deadline or quiet
      // period waited out on a page that is not the one asked for.
      const first = documentLoads(replica, AFFILIATES_PATHS[0])[0].at;
      const next = documentLoads(replica, RULE_BY_ID.get(RESEARCH).paths[0])[0].at;
      assert.ok(next - first < 2500, `the missing page took ${next - first} ms`);
    });
  }
});
