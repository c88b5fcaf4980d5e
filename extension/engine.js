// The engine's JS face. The Wasm (crates/wasm) takes and returns JSON text, read and written by the engine's own
// small JSON crate (much smaller than converting JS values in Rust; crates/wasm/README.md has the sizes); this
// module turns plain JS values into that text and back, so callers see the exports, argument order and JSON shapes of ARCHITECTURE.md ("Wasm exports").
// Every failure is thrown as an Error with the engine's readable message, as before.
import init, * as wasm from './engine/linkedout_wasm.js';

export default init;
export const initSync = wasm.initSync;

// Lone surrogates (possible in page text) would make the JSON invalid for the engine; as when a JS string is
// passed to Wasm directly, they become U+FFFD.
const wellFormed = (_key, value) => (typeof value === 'string' ? value.toWellFormed() : value);
const text = (value) => JSON.stringify(value, wellFormed) ?? 'null';

export const rules_view = () => JSON.parse(wasm.rules_view());
export const parse_message = (value) => JSON.parse(wasm.parse_message(text(value)));
export const wait_spec = (url) => JSON.parse(wasm.wait_spec(url));
export const plan_page = (snapshot, consentIds) => JSON.parse(wasm.plan_page(text(snapshot), text(consentIds)));
export const run_start = (mode, settingIds, nowIso) => JSON.parse(wasm.run_start(mode, text(settingIds), nowIso));
export const run_advance = (run, event, nowIso) => JSON.parse(wasm.run_advance(text(run), text(event), nowIso));
export const run_report = (run) => JSON.parse(wasm.run_report(text(run)));
export const act_threshold = () => wasm.act_threshold();
