// One test per rule, generated from rules/linkedin.json (autoconsent-style: a new rule brings its test).
// For each setting: visit its first path, the overlay offers it, "Turn off" turns exactly that key off on the
// replica's server and nothing else, and the report says turned_off (on → off).
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createReplica } from '../replica/server.js';

import {
  FAST_LATENCY, SETTINGS, cardOf, entryOf, extensionFor, keyOf, notNowButton, nowIso, reportProblems, serverStates,
  turnOffButton, waitForReport,
} from '../support/linkedout.js';

describe('guided overlay, one test per rule in rules/linkedin.json', () => {
  const replica = createReplica({ latency: FAST_LATENCY });
  const ext = extensionFor(replica);
  let page;

  beforeEach(async () => {
    page = await ext.context.newPage();
  });

  test('the rules file has settings to test', () => {
    assert.ok(SETTINGS.length > 0);
    for (const rule of SETTINGS) assert.ok(keyOf(rule), `${rule.id} has a structural key`);
  });

  for (const rule of SETTINGS) {
    const key = keyOf(rule);
    const path = rule.paths[0];
    test(`${rule.id}: ${path} offers it, and "Turn off" turns off ${key} and nothing else`, async () => {
      const initial = serverStates(replica);
      await page.goto(replica.url(path));
      const card = cardOf(page, rule.id);
      const turnOff = turnOffButton(card);
      await turnOff.waitFor({ timeout: 15000 });
      assert.equal(await notNowButton(card).isVisible(), true, '"Not now" is offered too');
      assert.ok((await card.textContent()).includes(rule.name.en), 'the card names the setting');
      assert.deepEqual(replica.saves, [], 'nothing saved before the yes');

      const since = nowIso();
      await turnOff.click();
      await card.getByText(/LinkedIn confirms it after a fresh page load/).waitFor({ timeout: 20000 });
      const report = await waitForReport(ext, { since, mode: 'guided' });

      assert.deepEqual(reportProblems(report), []);
      const entry = entryOf(report, rule.id);
      assert.equal(entry.outcome, 'turned_off', `outcome ${entry.outcome} (${JSON.stringify(entry.note)})`);
      assert.equal(entry.before, 'on');
      assert.equal(entry.after, 'off');

      const final = serverStates(replica);
      assert.equal(final[rule.id], false, `${key} is off on the server`);
      const changed = Object.keys(final).filter((id) => final[id] !== initial[id]);
      assert.deepEqual(changed, [rule.id], 'exactly this setting changed on the server');
      assert.deepEqual(replica.saves.map((s) => [s.key, s.value, s.result]), [[key, false, 'applied']],
        'exactly one save, of this key, to off');
    });
  }
});
