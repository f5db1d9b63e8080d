import { checks } from "./permissions-checks.js";

await checks({ mine: "mine_main", theirs: "admin_only", mineEvent: "main-event", theirEvent: "admin-event", reply: "main's" });
