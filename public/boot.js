// Лесенка's boot module: starts the wasm app, or says on the page why it could not.
// `cargo xtask dist` fills in {{SCRIPT}} and {{WASM}} and names the result boot-<hash>.js;
// index.html loads it (no inline script, so the CSP needs no hashes).
import init from "/{{SCRIPT}}";

init({ module_or_path: "/{{WASM}}" }).catch((e) => {
  console.error("Лесенка: не удалось запустить приложение", e);
  document.getElementById("boot-shell")?.remove();
  const p = document.createElement("p");
  p.className = "boot-error";
  p.setAttribute("role", "alert");
  p.textContent = "Не удалось запустить приложение. Обновите страницу; если не поможет — обновите браузер.";
  document.body.append(p);
});
