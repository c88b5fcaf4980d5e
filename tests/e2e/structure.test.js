// Page structure as a LinkedIn redesign may have it (issue 11, item 5): the settings card inside a web component's
// open shadow root, or in an embedded page in a same-origin iframe, is read and switched like one in the document
// (same rules, same confidence), and the change is confirmed on the replica's SERVER. A card in a closed shadow root
// or in a frame LinkedOut cannot read (sandboxed: an opaque origin, cross-origin to the page) is reported as such:
// the setting ends not_found with the note `unreadable_parts`, and nothing is clicked or saved.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { EMBED_PREFIX, createReplica } from '../replica/server.js';
import { waitFor } from '../support/harness.js';
import {
  FAST_LATENCY, RULE_BY_ID, cardOf, entryOf, extensionFor, keyOf, overlayOf, reportProblems, savesById,
  startOptOutFromPopup, turnOffButton, waitForReport,
} from '../support/linkedout.js';

const RUN_TIMEOUT = 90000;
const AI = 'ai_training';
const RESEARCH = 'research';

describe('page structure: switches in shadow roots and frames', () => {
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

  for (const [where, container] of [['an open shadow root', 'open-shadow'], ['a same-origin iframe', 'frame']]) {
    test(`switches in ${where}: turned off, confirmed from a fresh load, off on the server`, async () => {
      replica.variant.container = container;
      const report = await optOut([AI, RESEARCH]);
      for (const id of [AI, RESEARCH]) {
        const entry = entryOf(report, id);
        assert.equal(entry.outcome, 'turned_off', `${id}: ${entry.outcome} (${JSON.stringify(entry.note)})`);
        assert.equal(replica.stateOf(keyOf(id)), false, `${id} off on the server`);
        assert.equal(savesById(replica).filter((s) => s.id === id && s.result === 'applied').length, 1,
          `${id} saved once`);
      }
      if (container === 'frame') {
        const path = RULE_BY_ID.get(AI).paths[0];
        assert.ok(replica.saves.some((s) => s.page === EMBED_PREFIX + path), 'the save came from the embedded page');
      }
    });
  }

  for (const [where, container] of [['a closed shadow root', 'closed-shadow'], ['a cross-origin (sandboxed) frame', 'sandboxed-frame']]) {
    test(`switches in ${where}: not_found with the note unreadable_parts, nothing clicked`, async () => {
      replica.variant.container = container;
      const report = await optOut([AI]);
      const entry = entryOf(report, AI);
      assert.equal(entry.outcome, 'not_found', JSON.stringify(entry));
      assert.deepEqual(entry.note, { code: 'unreadable_parts' }, JSON.stringify(entry));
      assert.equal(replica.saves.length, 0, 'nothing saved');
      assert.equal(replica.stateOf(keyOf(AI)), true, 'still on on the server');
      if (container === 'sandboxed-frame') {
        // The page does render the switch, in the frame, and it is still on there: it was not missed for lack of it.
        const page = await ext.context.newPage();
        await page.goto(replica.url(RULE_BY_ID.get(AI).paths[0]));
        const frame = () => page.frames().find((f) => f.url().includes(EMBED_PREFIX));
        const input = () => frame().locator('input[aria-labelledby="allowDataForGenerativeAI"]');
        await waitFor(async () => Boolean(frame()) && (await input().count()) === 1,
          { what: 'the switch in the frame', timeoutMs: 5000 });
        assert.equal(await input().isChecked(), true);
        await page.close();
      }
    });
  }

  for (const [where, container] of [['an open shadow root', 'open-shadow'], ['a same-origin iframe', 'frame']]) {
    test(`the overlay on a page with its switch in ${where}: the highlight frames the switch, "Turn off" turns it off`, async () => {
      replica.variant.container = container;
      const page = await ext.context.newPage();
      await page.goto(replica.url(RULE_BY_ID.get(AI).paths[0]));
      const card = cardOf(page, AI);
      await turnOffButton(card).waitFor({ timeout: 15000 });
      const scope = container === 'frame' ? page.frameLocator('iframe') : page;
      const sw = await scope.locator('input[aria-labelledby="allowDataForGenerativeAI"]').boundingBox();
      const highlight = overlayOf(page).locator('.hl').first();
      await highlight.waitFor({ state: 'visible' });
      const hl = await highlight.boundingBox();
      assert.ok(hl && sw, 'both the highlight and the switch are on screen');
      assert.ok(hl.x <= sw.x && hl.y <= sw.y && hl.x + hl.width >= sw.x + sw.width && hl.y + hl.height >= sw.y + sw.height,
        `the highlight ${JSON.stringify(hl)} surrounds the switch ${JSON.stringify(sw)}`);
      await turnOffButton(card).click();
      await waitFor(() => replica.stateOf(keyOf(AI)) === false, { what: 'the save to reach the server', timeoutMs: 15000 });
      assert.deepEqual(replica.saves.map((s) => [s.key, s.value, s.result]), [[keyOf(AI), false, 'applied']]);
      await page.close();
    });
  }
});
