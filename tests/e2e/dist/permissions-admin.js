import { checks } from "./permissions-checks.js";

await checks({ mine: "admin_only", theirs: "mine_main", mineEvent: "admin-event", theirEvent: "main-event", reply: "admin's" });
