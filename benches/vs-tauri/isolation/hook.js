// Pass-through, as the Tauri side's hook.
window.__PORTCULLIS_ISOLATION_HOOK__ = (message) => message;
