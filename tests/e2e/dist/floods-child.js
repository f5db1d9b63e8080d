// One of the 100 windows fl-flood opens: it closes itself at once.
import { invoke } from "/__portcullis__/api.js";

await invoke("close_me");
