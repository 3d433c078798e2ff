// Cadence's small amount of JavaScript. No inline scripts anywhere (the CSP forbids them):
// behaviour hangs off data- attributes.
document.addEventListener("DOMContentLoaded", () => {
  // htmx sends the CSRF token with every request it makes.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) event.detail.headers["X-CSRFToken"] = token.value;
  });
  // <button data-confirm="Sure?"> asks before submitting.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
});
