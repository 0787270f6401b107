// Order pages: "tick every order on this page" on the list. Loaded with defer; no inline script.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-all").forEach((all) => {
    const form = all.closest("form");
    if (!form) return;
    const boxes = () => form.querySelectorAll('input[type=checkbox][name="orders"]');
    all.addEventListener("change", () => {
      boxes().forEach((box) => { box.checked = all.checked; });
    });
    form.addEventListener("change", (event) => {
      if (event.target === all) return;
      const list = Array.from(boxes());
      all.checked = list.length > 0 && list.every((box) => box.checked);
    });
  });
});
