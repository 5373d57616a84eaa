// Registers Лесенка's service worker (the app opens offline after the first visit).
// `cargo xtask dist` names it register-sw-<hash>.js; index.html loads it.
"use strict";
if ("serviceWorker" in navigator) {
  addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch((e) => console.warn("service worker:", e));
  });
}
