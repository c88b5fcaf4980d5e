// LinkedOut content script, part 4 (classic script; the order is in wait.js): what "ready" and "settled" mean,
// for a page as it loads and for a switch after a click. wait.js decides when to ask (the benchmark swaps it);
// this file decides what the answer is. Every duration comes from the page's wait spec, as the worker gave it in
// its answer to `hello`:
//
//   settle.forPage(page, spec, ignore)     -> Promise<"expected" | "quiet" | "deadline">
//   settle.afterClick(page, el, spec, ignore) -> Promise, once the page has taken the click (el may be null)
//   settle.waitedNow(page, spec)           -> "expected" | "quiet", for a snapshot taken now
//
// `page` is a snapshot reader (snapshot.js), which also says whether the page marks a save under way;
// `ignore(record)` is true for a mutation of LinkedOut's own overlay.
(() => {
  'use strict';

  const ns = (globalThis.__linkedout ??= {});
  if (ns.settle) return;

  const expectsNothing = (spec) => spec.expect_labelledby.length === 0 && spec.expect_ids.length === 0;

  /** The switches that carry what the spec expects, or null while one expected is missing. */
  function expectedSwitches(page, spec) {
    if (expectsNothing(spec)) return null;
    const switches = page.listSwitches();
    const found = new Set();
    for (const value of spec.expect_labelledby) {
      const el = switches.find((x) => (x.getAttribute('aria-labelledby') || '').split(/\s+/).includes(value));
      if (!el) return null;
      found.add(el);
    }
    for (const value of spec.expect_ids) {
      const el = switches.find((x) => x.id === value);
      if (!el) return null;
      found.add(el);
    }
    return Array.from(found);
  }

  /** An error page or a sign-in form is the page's whole answer: it will not grow switches. */
  function isAnswer(page) {
    const status = page.navigationStatus();
    return (status !== null && status >= 400) || page.loginFormShows();
  }

  // Whether the page is ready (wait spec, "Ready"), and if it is only a switch's stability that is missing, in how
  // many ms to look again (a page may set `checked` without a mutation, so the look is repeated meanwhile).
  let recheckMs = null;
  function ready(page, spec) {
    recheckMs = null;
    // Every look counts towards each switch's stability, whatever the page still lacks.
    const all = page.listSwitches();
    if (all.length) page.stableFor(all[0]);
    if (isAnswer(page)) return true;
    const els = expectedSwitches(page, spec);
    if (!els) return false;
    if (els.some((el) => page.isDisabled(el) || page.isBusy(el))) return false;
    let wait = 0;
    for (const el of els) {
      if (page.checkedOf(el) === false) wait = Math.max(wait, spec.stable_ms - page.stableFor(el));
    }
    if (wait > 0) {
      recheckMs = Math.min(wait, LOOK_MS);
      return false;
    }
    return true;
  }
  const LOOK_MS = 100;

  /**
   * Settled on quiet: a page that expects nothing, an answer, or one where every expected switch is present and
   * none is marked busy (a switch still disabled then is disabled for good; a busy one is waited for up to the
   * deadline: its save or state request is still out).
   */
  function quietEnough(page, spec) {
    if (isAnswer(page)) return true;
    // A page that expects nothing may still be where a setting moved: a switch it shows off must stand still too.
    if (expectsNothing(spec)) {
      return page.listSwitches().every((el) => page.checkedOf(el) !== false || page.stableFor(el) >= spec.stable_ms);
    }
    const els = expectedSwitches(page, spec);
    return els !== null && !els.some((el) => page.isBusy(el));
  }

  function forPage(page, spec, ignore) {
    return globalThis.__linkedoutWait.forPage({
      ready: () => ready(page, spec),
      settled: () => quietEnough(page, spec),
      recheckIn: () => recheckMs,
      ownMutations: (records) => records.every(ignore),
      watch: page.watch,
      quietMs: spec.quiet_ms,
      deadlineMs: spec.deadline_ms,
    });
  }

  /**
   * After a click: settled when the page no longer marks the switch busy and then neither the switch nor the
   * page changed for a while, bounded by the deadline. How long depends on what the page showed: once it has
   * marked the save busy and un-marked it, the save's answer is in (a refusal is drawn in the same task), so
   * busy_settle_ms suffices; a page that never marked it gets the longer settle_ms. A revert that comes later is
   * caught by the fresh-load verify, which waits until the change has held for a while.
   */
  function afterClick(page, el, spec, ignore) {
    const isBusy = page.isBusy;
    return new Promise((resolve) => {
      let done = false;
      let quietTimer = 0;
      let frame = 0;
      let sawBusy = isBusy(el);
      const finish = () => {
        if (done) return;
        done = true;
        observer.disconnect();
        watching.stop();
        clearTimeout(quietTimer);
        cancelAnimationFrame(frame);
        clearTimeout(deadlineTimer);
        el?.removeEventListener('change', onChange, true);
        el?.removeEventListener('input', onChange, true);
        resolve();
      };
      // A busy switch is settled only when the page clears its busy mark, which is itself a mutation.
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
        quietTimer = setTimeout(settled, sawBusy ? spec.busy_settle_ms : spec.settle_ms);
      };
      const onChange = () => armQuiet();
      const observer = new MutationObserver((records) => {
        if (records.every(ignore)) return;
        watching.again();
        armQuiet();
      });
      // The switch's own shadow root or frame too: what the page marks there is no mutation of the document.
      const watching = page.watch(observer, {
        subtree: true, childList: true, attributes: true, characterData: true,
      }, () => {
        if (!done) armQuiet();
      });
      el?.addEventListener('change', onChange, true);
      el?.addEventListener('input', onChange, true);
      const deadlineTimer = setTimeout(finish, spec.deadline_ms);
      armQuiet();
    });
  }

  function waitedNow(page, spec) {
    return expectedSwitches(page, spec) ? 'expected' : 'quiet';
  }

  ns.settle = Object.freeze({ forPage, afterClick, waitedNow });
})();
