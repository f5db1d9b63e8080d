window.__PORTCULLIS_ISOLATION_HOOK__ = (message) => message;
