// Goods pages: the "Searching…" state of the search forms, picture drop and paste, the item
// page's pictures, SKU matrix and landed cost updates. No inline script anywhere (CSP).
(function () {
  "use strict";

  const MAX_PICTURE_BYTES = 3 * 1024 * 1024;
  const PICTURE_TYPES = ["image/png", "image/jpeg", "image/webp"];

  // -- search forms: a visible "Searching…" state, and no double submit ------------------------
  function busyOnSubmit(form) {
    form.addEventListener("submit", (event) => {
      if (form.dataset.busy === "1") {
        event.preventDefault();
        return;
      }
      form.dataset.busy = "1";
      form.setAttribute("aria-busy", "true");
      const button = event.submitter || form.querySelector("button[type=submit]");
      if (button) {
        button.dataset.label = button.textContent;
        button.textContent = form.dataset.searching || gettext("Searching…");
        button.classList.add("is-busy");
      }
      const state = document.querySelector("#results .searching-state");
      if (state) state.hidden = false;
      document.getElementById("results")?.classList.add("is-searching");
    });
  }

  // A page restored from the back/forward cache must not stay "Searching…".
  window.addEventListener("pageshow", () => {
    document.querySelectorAll("form[data-busy='1']").forEach((form) => {
      form.dataset.busy = "";
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button.is-busy").forEach((button) => {
        button.textContent = button.dataset.label || button.textContent;
        button.classList.remove("is-busy");
      });
    });
    document.getElementById("results")?.classList.remove("is-searching");
    document.querySelectorAll("#results .searching-state").forEach((el) => (el.hidden = true));
  });

  // -- picture search: choose, drop or paste ----------------------------------------------------
  function setupPictureSearch(form) {
    const input = form.querySelector("input[type=file]");
    const zone = form.querySelector(".dropzone");
    const preview = form.querySelector("#picture-preview");
    const error = form.querySelector("#picture-error");
    if (!input || !zone) return;

    function problem(file) {
      if (!PICTURE_TYPES.includes(file.type)) return gettext("Upload a PNG, JPEG or WEBP picture.");
      if (file.size > MAX_PICTURE_BYTES) {
        return gettext("That picture is larger than 3 MB; the upstream takes at most 3 MB.");
      }
      return "";
    }

    function show(file) {
      const message = problem(file);
      if (error) {
        error.textContent = message;
        error.hidden = !message;
      }
      if (preview && !message) {
        preview.src = URL.createObjectURL(file);
        preview.hidden = false;
      }
      return !message;
    }

    function useFile(file, submit) {
      const transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
      if (show(file) && submit) form.requestSubmit();
    }

    input.addEventListener("change", () => {
      if (input.files.length) show(input.files[0]);
    });
    ["dragenter", "dragover"].forEach((name) =>
      zone.addEventListener(name, (event) => {
        event.preventDefault();
        zone.classList.add("dragging");
      })
    );
    ["dragleave", "drop"].forEach((name) =>
      zone.addEventListener(name, () => zone.classList.remove("dragging"))
    );
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      const file = event.dataTransfer && event.dataTransfer.files[0];
      if (file) useFile(file, true);
    });
    document.addEventListener("paste", (event) => {
      const items = (event.clipboardData && event.clipboardData.items) || [];
      for (const item of items) {
        if (item.kind === "file" && item.type.startsWith("image/")) {
          const file = item.getAsFile();
          if (file) {
            event.preventDefault();
            useFile(file, true);
          }
          return;
        }
      }
    });
  }

  // -- item page: pictures -----------------------------------------------------------------------
  function setupGallery() {
    const main = document.getElementById("item-main-picture");
    if (!main) return;
    document.querySelectorAll(".item-thumb").forEach((thumb) => {
      thumb.addEventListener("click", () => {
        main.src = thumb.dataset.picture;
        document.querySelectorAll(".item-thumb.selected").forEach((t) => t.classList.remove("selected"));
        thumb.classList.add("selected");
      });
    });
  }

  // -- item page: the SKU matrix -------------------------------------------------------------------
  function setupSkuMatrix() {
    const dataNode = document.getElementById("sku-data");
    if (!dataNode) return;
    const data = JSON.parse(dataNode.textContent);
    const skus = data.skus || [];
    const axisCount = (data.axes || []).length;
    const buttons = Array.from(document.querySelectorAll(".sku-value"));
    const skuInput = document.getElementById("add-sku-id");
    const quantity = document.getElementById("add-quantity");
    const price = document.getElementById("sku-price");
    const display = document.getElementById("sku-display");
    const stock = document.getElementById("sku-stock");
    const summary = document.getElementById("sku-summary");
    const landed = document.getElementById("landed-cost");
    const chosen = new Array(axisCount).fill(null);

    // A single SKU is chosen from the start, and so is an option with only one value.
    if (skus.length === 1) skus[0].values.forEach((value, i) => (chosen[i] = value));
    for (let i = 0; i < axisCount; i++) {
      const values = new Set(skus.filter((sku) => sku.orderable).map((sku) => sku.values[i]));
      if (values.size === 1) chosen[i] = values.values().next().value;
    }

    function matches(sku, wanted) {
      return wanted.every((value, i) => value === null || sku.values[i] === value);
    }

    function possible(axis, value) {
      const wanted = chosen.slice();
      wanted[axis] = value;
      return skus.some((sku) => sku.orderable && matches(sku, wanted));
    }

    function current() {
      if (chosen.some((value) => value === null)) return null;
      return skus.find((sku) => matches(sku, chosen)) || null;
    }

    function render() {
      buttons.forEach((button) => {
        const axis = Number(button.dataset.axis);
        const value = button.dataset.value;
        const selected = chosen[axis] === value;
        button.setAttribute("aria-pressed", selected ? "true" : "false");
        button.classList.toggle("selected", selected);
        const enabled = possible(axis, value);
        button.disabled = !enabled && !selected;
        button.classList.toggle("unavailable", !enabled);
        button.title = enabled ? "" : gettext("Not available in this combination");
      });
      const sku = current();
      if (sku) {
        price.textContent = sku.price;
        display.textContent = sku.display;
        stock.textContent = sku.orderable
          ? interpolate(gettext("%(n)s in stock"), { n: sku.stock }, true)
          : sku.available ? gettext("Out of stock") : gettext("Not available");
        stock.classList.toggle("out", !sku.orderable);
        skuInput.value = sku.orderable ? sku.id : "";
      } else {
        price.textContent = summary ? summary.dataset.range : "";
        display.textContent = summary ? summary.dataset.rangeDisplay : "";
        stock.textContent = axisCount ? gettext("Choose every option to see price and stock.") : "";
        stock.classList.remove("out");
        if (skus.length !== 1) skuInput.value = "";
      }
    }

    let lastQuery = "";
    let timer = null;
    function refreshLanded() {
      if (!landed || !window.htmx) return;
      const params = new URLSearchParams({
        sku_id: skuInput ? skuInput.value : "",
        quantity: quantity ? quantity.value : "1",
      });
      const query = params.toString();
      if (query === lastQuery) return;
      lastQuery = query;
      window.htmx.ajax("GET", `${landed.dataset.url}?${query}`, {
        target: "#landed-cost",
        swap: "innerHTML",
        indicator: "#landed-cost",
      });
    }
    function refreshLandedSoon() {
      clearTimeout(timer);
      timer = setTimeout(refreshLanded, 300);
    }
    lastQuery = new URLSearchParams({
      sku_id: skuInput ? skuInput.value : "",
      quantity: quantity ? quantity.value : "1",
    }).toString();

    buttons.forEach((button) => {
      button.addEventListener("click", () => {
        const axis = Number(button.dataset.axis);
        const value = button.dataset.value;
        // A second click clears the choice, except where there is nothing else to choose.
        const only = buttons.filter((b) => Number(b.dataset.axis) === axis).length === 1;
        chosen[axis] = chosen[axis] === value && !only ? null : value;
        // Drop other choices that no orderable SKU combines with this one.
        chosen.forEach((other, i) => {
          if (i !== axis && other !== null && !possible(i, other)) chosen[i] = null;
        });
        render();
        refreshLandedSoon();
      });
    });
    if (quantity) {
      quantity.addEventListener("input", refreshLandedSoon);
      quantity.addEventListener("change", refreshLandedSoon);
    }
    render();
    refreshLanded(); // asks only when the preselected options differ from the server's
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-searching]").forEach(busyOnSubmit);
    const pictureForm = document.getElementById("picture-search");
    if (pictureForm) setupPictureSearch(pictureForm);
    // The picture search follows the platform chosen for the keyword search.
    const pictureSelect = pictureForm && pictureForm.querySelector("select[name=platform]");
    document.querySelectorAll("#goods-search input[name=platform]").forEach((radio) => {
      radio.addEventListener("change", () => {
        if (pictureSelect && radio.checked) pictureSelect.value = radio.value;
      });
    });
    setupGallery();
    setupSkuMatrix();
  });
})();
