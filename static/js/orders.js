// Order pages: "tick every order" on the order list and the pay list, and the pay list's
// running total of the ticked orders. Loaded with defer; no inline script. Words come from the
// page (translated there): this file only fills in numbers.

// 123450 fen as "¥1,234.50", as purchasing/money.py formats it.
function yuan(fen) {
  const sign = fen < 0 ? "-" : "";
  const whole = Math.floor(Math.abs(fen) / 100).toLocaleString("en-US");
  return `${sign}¥${whole}.${String(Math.abs(fen) % 100).padStart(2, "0")}`;
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-all").forEach((all) => {
    const form = all.closest("form");
    if (!form) return;
    const name = all.dataset.boxes || "orders";
    // Boxes that cannot be ticked (an order that may not be paid now) are left alone.
    const boxes = () =>
      Array.from(form.querySelectorAll(`input[type=checkbox][name="${name}"]`)).filter(
        (box) => !box.disabled,
      );
    const count = form.querySelector("[data-ticked-count]");
    const total = form.querySelector("[data-ticked-total]");
    const update = () => {
      const ticked = boxes().filter((box) => box.checked);
      const list = boxes();
      all.checked = list.length > 0 && ticked.length === list.length;
      if (count) count.textContent = String(ticked.length);
      if (total) {
        total.textContent = yuan(ticked.reduce((sum, box) => sum + Number(box.dataset.amountFen || 0), 0));
      }
    };
    all.addEventListener("change", () => {
      boxes().forEach((box) => { box.checked = all.checked; });
      update();
    });
    form.addEventListener("change", (event) => {
      if (event.target !== all) update();
    });
    update();
  });
});
