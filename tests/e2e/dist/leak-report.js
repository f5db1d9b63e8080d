// Back on the app's origin: report what the page of another origin captured.
import { invoke } from "/__portcullis__/api.js";

const captured = JSON.parse(decodeURIComponent(location.hash.slice(1)));
await invoke("report", {
  window: "leak",
  results: [
    {
      name: "replies of a page that left never run in the next page (payload and key stay home)",
      ok: Array.isArray(captured) && captured.length === 0,
      detail: JSON.stringify(captured),
    },
  ],
});
