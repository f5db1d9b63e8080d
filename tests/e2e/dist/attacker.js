// Isolation attacks need what an attacker who stole the outer IPC key has:
// the key and the envelopes the page posted (a test-only runtime hook).

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The isolation envelopes this page posted, oldest first. */
export function envelopes() {
  const { key, sent } = window.__PORTCULLIS_TEST__;
  return sent.map((text) => text.slice(key.length + 1)).filter((rest) => rest.split("\n").length === 4);
}

/** Posts a raw message with the real key, as an attacker who stole it would. */
export function postWithKey(rest) {
  window.ipc.postMessage(window.__PORTCULLIS_TEST__.key + "\n" + rest);
}

/**
 * Posts a request straight to this page's isolation frame, as any page
 * script can, and takes the frame's answer for it before the page's own
 * listener sees it (the page withholds it).
 */
export function frameAnswer(request) {
  const frame = document.querySelector("iframe[sandbox]");
  const answer = new Promise((resolve) => {
    const take = (event) => {
      if (event.source !== frame.contentWindow || event.data === null || event.data.id !== request.id) return;
      event.stopImmediatePropagation();
      window.removeEventListener("message", take, true);
      resolve(event.data);
    };
    window.addEventListener("message", take, true);
  });
  frame.contentWindow.postMessage({ batch: [request] }, "*");
  return answer;
}
