// Bench only, never shipped: the waiting strategy of peer tools, as a drop-in replacement for extension/content/wait.js
// (same interface, see there). It checks for the switches once at once and then every POLL_MS (1 s), up to
// ceil(deadlineMs / POLL_MS) further tries, the way "wait for element: check every second, N tries" scripts do.
// Same stopping conditions as the MutationObserver strategy ("expected" when every expected switch is there,
// "quiet" when the page will not grow switches, "deadline" after the last try); only the timing differs.
// tests/bench/run-bench.js copies the built extension and puts this file in place of its content/wait.js.
(() => {
  'use strict';

  if (globalThis.__linkedoutWait) return;

  const POLL_MS = 1000;

  function forPage({ ready, settled, deadlineMs }) {
    const tries = Math.max(1, Math.ceil(deadlineMs / POLL_MS));
    return new Promise((resolve) => {
      let n = 0;
      const check = () => {
        if (ready()) {
          resolve('expected');
          return;
        }
        if (n > 0 && settled()) {
          resolve('quiet');
          return;
        }
        if (n >= tries) {
          resolve('deadline');
          return;
        }
        n += 1;
        setTimeout(check, POLL_MS);
      };
      check();
    });
  }

  globalThis.__linkedoutWait = Object.freeze({ strategy: 'poll-1s', forPage });
})();
