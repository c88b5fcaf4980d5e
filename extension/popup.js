// The popup is drawn by Rust (crates/pages): load its Wasm, then hand it the page.
import init, { popup } from './engine/linkedout_pages.js';

await init({ module_or_path: chrome.runtime.getURL('engine/linkedout_pages_bg.wasm') });
popup();
