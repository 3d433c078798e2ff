// Plan builder: a click (or Enter) on a site of the head map, or on a link of the site list,
// fetches the builder with that site added or removed; htmx swaps it in place. Without
// JavaScript the same links load the page with the new selection.
document.addEventListener("DOMContentLoaded", () => {
  document.body.addEventListener("click", (event) => {
    const link = event.target.closest("[data-builder-link], a[data-site-toggle]");
    if (!link || !window.htmx) return;
    const builder = document.getElementById("plan-builder");
    if (!builder || !builder.contains(link)) return;
    event.preventDefault();
    const url = link.getAttribute("href");
    const code = link.getAttribute("data-site-toggle");
    const inMap = !!link.closest("svg");
    window.htmx.ajax("GET", url, { target: "#plan-builder", swap: "outerHTML" }).then(() => {
      // keep keyboard focus on the same site after the swap
      if (!code) return;
      const scope = inMap ? "svg a" : ".toggle-list a";
      const again = document.querySelector(`#plan-builder ${scope}[data-site-toggle="${code}"]`);
      if (again) again.focus();
    });
  });
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
});
