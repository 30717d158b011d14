// @ts-check
// The comparison panel's only script. The extension renders and escapes the markup; this
// script just swaps it in and turns button presses into protocol messages.
(function () {
  /** @typedef {import('../src/extension/protocol').FromWebview} FromWebview */
  /** @typedef {import('../src/extension/protocol').ToWebview} ToWebview */

  // @ts-ignore acquireVsCodeApi is injected by the webview host
  const vscode = acquireVsCodeApi();
  const root = /** @type {HTMLElement} */ (document.getElementById('root'));

  /** @param {FromWebview} msg */
  function post(msg) {
    vscode.postMessage(msg);
  }

  root.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const el = /** @type {HTMLButtonElement | null} */ (target.closest('button'));
    if (!el || el.disabled) return;
    if (el.dataset.rerun) return post({ type: 'rerun' });
    if (el.dataset.stop) return post({ type: 'stop' });
    const action = el.dataset.action;
    const model = el.dataset.model;
    const file = el.dataset.file;
    if (action && model) post({ type: 'action', action: /** @type {any} */ (action), model, ...(file ? { file } : {}) });
  });

  window.addEventListener('message', (event) => {
    /** @type {ToWebview} */
    const msg = event.data;
    if (!msg || msg.type !== 'update') return;
    // Updates arrive while someone may be tabbing through buttons: put focus back on the
    // same button (same action, same model) after the swap.
    const active = /** @type {HTMLElement | null} */ (document.activeElement);
    const key = active && active.dataset ? (active.dataset.action || active.dataset.rerun || active.dataset.stop || '') + '\u0000' + (active.dataset.model || '') + '\u0000' + (active.dataset.file || '') : null;
    root.innerHTML = msg.html;
    if (key) {
      for (const b of root.querySelectorAll('button')) {
        const k = (b.dataset.action || b.dataset.rerun || b.dataset.stop || '') + '\u0000' + (b.dataset.model || '') + '\u0000' + (b.dataset.file || '');
        if (k === key) {
          (b.disabled ? root : b).focus();
          break;
        }
      }
    }
  });

  post({ type: 'ready' });
})();
