// Another origin, reached while an app page's calls were in flight: it plants
// the global a reply script calls and records whatever arrives, then reports
// through an app page.
const captured = [];
Object.defineProperty(window, "__PORTCULLIS_INTERNALS__", {
  value: { reply: (...args) => captured.push(args.map(String)) },
});
setTimeout(() => {
  location.href = "app://localhost/leak-report.html#" + encodeURIComponent(JSON.stringify(captured));
}, 2000);
