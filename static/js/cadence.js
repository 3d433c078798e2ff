// Cadence's small amount of JavaScript. No inline scripts anywhere (the CSP forbids them):
// behaviour hangs off data- attributes.
document.addEventListener("DOMContentLoaded", () => {
  // htmx sends the CSRF token with every request it makes.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) event.detail.headers["X-CSRFToken"] = token.value;
  });
  // A table too wide for the screen scrolls inside its .table-wrap: the keyboard must reach
  // it too, so it becomes a focusable, named region (WCAG 2.1.1; axe scrollable-region-focusable).
  const labelScrollingTables = () => {
    document.querySelectorAll(".table-wrap:not([tabindex])").forEach((wrap) => {
      if (wrap.scrollWidth <= wrap.clientWidth) return;
      const caption = wrap.querySelector("caption");
      let heading = wrap.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", (caption || heading || {}).textContent?.trim() || "Table");
    });
  };
  labelScrollingTables();
  window.addEventListener("resize", labelScrollingTables);
  document.body.addEventListener("htmx:afterSettle", labelScrollingTables);
  // <button data-confirm="Sure?"> asks before submitting.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
});
