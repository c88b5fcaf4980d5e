// LinkedOut content script, part 1 (classic scripts, no modules, loaded in the manifest's order into the same
// isolated world: wait.js, contract.js, snapshot.js, settle.js, overlay.js, cards.js, main.js): how the content
// script waits for a page to settle.
//
// Kept in its own file so that the waiting strategy can be swapped without touching the rest (the benchmark
// compares it with a fixed 1-second polling strategy: tests/bench/wait-poll.js takes this file's place). settle.js
// decides what "ready" and "settled" mean; this file only decides when to ask. It exposes one frozen object on
// the isolated world's global (the page cannot see it), under its own name rather than on globalThis.__linkedout
// so that the bench's drop-in needs nothing else:
//
//   globalThis.__linkedoutWait.forPage({ready, settled, recheckIn, ownMutations, watch, quietMs, deadlineMs})
//     -> Promise<"expected" | "quiet" | "deadline">
//
//   ready()               the page is ready (settle.js says what that is) -> "expected" at once
//   recheckIn()           after a ready() that was false: ms after which to ask again even without a mutation
//                         (a switch must stand still a while, and a page may change `checked` without one), or null
//   settled()             the page will not grow switches             -> "quiet", once nothing changed for quietMs
//   ownMutations(records) true when a batch of mutations is only LinkedOut's own overlay (ignored)
//   watch(observer, options, onLoad)  observes every part of the page a switch can be in (the document, open
//                         shadow roots, same-origin frames; onLoad: a frame loaded) -> {again(), stop()};
//                         by default the document only
//   deadlineMs            the upper bound                             -> "deadline"
(() => {
  'use strict';

  if (globalThis.__linkedoutWait) return;

  /** MutationObserver + quiet timer + deadline: never sleeps a fixed time, never polls. */
  const documentOnly = (observer, options) => {
    observer.observe(document.documentElement, options);
    return { again: () => {}, stop: () => {} };
  };

  function forPage({ ready, settled, recheckIn = () => null, ownMutations, watch = documentOnly, quietMs, deadlineMs }) {
    return new Promise((resolve) => {
      if (ready()) {
        resolve('expected');
        return;
      }
      let done = false;
      let quietTimer = 0;
      let recheckTimer = 0;
      const finish = (why) => {
        if (done) return;
        done = true;
        observer.disconnect();
        watching.stop();
        clearTimeout(quietTimer);
        clearTimeout(recheckTimer);
        clearTimeout(deadlineTimer);
        resolve(why);
      };
      // Asks again when settle.js says a look is due (a switch standing still for a while); a mutation asks anyway.
      const armRecheck = () => {
        clearTimeout(recheckTimer);
        const ms = recheckIn();
        if (typeof ms === 'number') {
          recheckTimer = setTimeout(() => {
            if (ready()) finish('expected');
            else armRecheck();
          }, ms);
        }
      };
      const armQuiet = () => {
        clearTimeout(quietTimer);
        quietTimer = setTimeout(() => {
          // Not settled yet (a switch still to stand still, an expected one missing): another quiet period.
          if (settled()) finish('quiet');
          else armQuiet();
        }, quietMs);
      };
      const changed = () => {
        if (done) return;
        // A new shadow root or frame may have come with the change: it is watched from now on.
        watching.again();
        if (ready()) {
          finish('expected');
          return;
        }
        armRecheck();
        armQuiet();
      };
      const observer = new MutationObserver((records) => {
        if (ownMutations(records)) return;
        changed();
      });
      const watching = watch(observer, {
        subtree: true, childList: true, attributes: true, characterData: true,
      }, changed);
      const deadlineTimer = setTimeout(() => finish('deadline'), deadlineMs);
      armRecheck();
      armQuiet();
    });
  }

  globalThis.__linkedoutWait = Object.freeze({ strategy: 'observer', forPage });
})();
