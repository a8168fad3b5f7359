// minime web app: upload, live progress (server-sent events), result, instant re-boxing, share, gallery.
// User text is only ever put in the page with textContent, never as HTML.
"use strict";

(() => {
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

  const form = $("#make-form");
  const config = JSON.parse(form.dataset.config);
  const POST_HEADERS = { [config.csrfHeader]: "1" };
  const MAX_ACCESSORIES = 6;
  const REBOX_DELAY_MS = 280;
  const TITLES = {
    bad_photo: "That file isn't a photo we can use",
    no_photo: "Add a photo first",
    no_face: "We couldn't find a face",
    too_large: "That photo is too big",
    too_many_jobs: "The workshop is busy",
    rate_limited: "Slow down a little",
    bad_spec: "Check the form",
    unknown_name: "Check the form",
    bad_request: "Check the form",
    consent: "Your consent is needed",
    engine_failed: "The engine didn't answer",
    missing_extra: "That engine isn't installed",
    refused: "The provider refused this photo",
    cross_site: "Request refused",
    not_found: "That figure is gone",
    not_ready: "That figure isn't finished",
    network: "No connection to minime",
    internal: "Something went wrong",
  };

  const state = {
    file: null,
    current: null,       // the status of the figure on show
    accessories: [],
    filling: false,      // true while the form is filled from a gallery figure (no re-box)
    events: null,
    pollTimer: 0,
    busyTimer: 0,
    rebox: { timer: 0, running: false, again: false },
  };

  // ------------------------------------------------------------ small helpers

  const el = (tag, props = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.startsWith("data-") || key.startsWith("aria-")) node.setAttribute(key, value);
      else node[key] = value;
    }
    node.append(...children);
    return node;
  };
  const announce = (text) => { $("#announce").textContent = text; };
  const isPhone = () => matchMedia("(max-width: 900px)").matches;

  async function api(method, url, body) {
    const init = { method, headers: { ...POST_HEADERS }, credentials: "same-origin" };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers["content-type"] = "application/json";
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (err) {
      throw { code: "network", message: "minime did not answer. Is the server still running?" };
    }
    if (response.status === 204) return null;
    let data = null;
    try { data = await response.json(); } catch (err) { /* not JSON */ }
    if (!response.ok) {
      const error = (data && data.error) || { code: "internal", message: `the server answered ${response.status}` };
      throw { ...error, retryAfter: Number(response.headers.get("retry-after")) || 0 };
    }
    return data;
  }

  // ------------------------------------------------------------ messages

  function showError(error) {
    const code = error.code || "internal";
    $("#alert-title").textContent = TITLES[code] || TITLES.internal;
    $("#alert-text").textContent = sentence(error.message || "");
    const alert = $("#alert");
    alert.hidden = false;
    if (error.retryAfter) holdMakeButton(error.retryAfter);
    const box = alert.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) alert.scrollIntoView({ behavior: "smooth", block: "center" });
  }
  function clearError() { $("#alert").hidden = true; }
  $("#alert-close").addEventListener("click", clearError);

  function sentence(text) {
    if (!text) return "";
    const first = text.charAt(0).toUpperCase() + text.slice(1);
    return /[.!?]$/.test(first) ? first : first + ".";
  }

  function holdMakeButton(seconds) {
    const button = $("#make-btn");
    const hint = $("#make-hint");
    clearInterval(state.busyTimer);
    let left = Math.ceil(seconds);
    button.disabled = true;
    const tick = () => {
      if (left <= 0) {
        clearInterval(state.busyTimer);
        button.disabled = false;
        hint.textContent = "";
        return;
      }
      hint.textContent = `You can try again in ${left} s.`;
      left -= 1;
    };
    tick();
    state.busyTimer = setInterval(tick, 1000);
  }

  // ------------------------------------------------------------ photo

  const dropzone = $("#dropzone");
  if (matchMedia("(pointer: coarse)").matches) document.body.classList.add("has-camera");

  function pickFile(file) {
    const error = $("#photo-error");
    error.hidden = true;
    if (!file) return;
    const heic = /\.(heic|heif)$/i.test(file.name);
    if (file.type && !file.type.startsWith("image/") && !heic) {
      error.textContent = `"${file.name}" is not a photo. Choose a JPEG, PNG, WebP or HEIC image.`;
      error.hidden = false;
      return;
    }
    if (file.size > config.uploadBytes) {
      const mb = (file.size / 1e6).toFixed(1);
      error.textContent = `That photo is ${mb} MB; the limit is ${Math.round(config.uploadBytes / 1e6)} MB.`;
      error.hidden = false;
      return;
    }
    state.file = file;
    const preview = $("#photo-preview");
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.src = URL.createObjectURL(file);
    preview.hidden = false;
    $("#dz-empty").hidden = true;
    dropzone.classList.add("has-photo");
    $("#choose-photo").textContent = "Choose another photo";
    if (state.current) setRestyleNote("A new photo makes a new figure: press Make my figure when you're ready.", true);
  }

  $("#choose-photo").addEventListener("click", () => $("#photo-input").click());
  $("#take-photo").addEventListener("click", () => $("#camera-input").click());
  for (const input of [$("#photo-input"), $("#camera-input")]) {
    input.addEventListener("change", () => pickFile(input.files[0]));
  }
  ["dragenter", "dragover"].forEach((type) => dropzone.addEventListener(type, (event) => {
    event.preventDefault();
    dropzone.classList.add("is-over");
  }));
  ["dragleave", "dragend"].forEach((type) => dropzone.addEventListener(type, () => dropzone.classList.remove("is-over")));
  dropzone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropzone.classList.remove("is-over");
    pickFile(event.dataTransfer.files[0]);
  });
  // A photo dropped beside the drop zone should not navigate away from the page.
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) pickFile(event.dataTransfer.files[0]);
  });

  // ------------------------------------------------------------ accessories

  const chips = $("#chips");
  const accessoryInput = $("#accessory-input");
  const key = (text) => text.trim().replace(/\s+/g, " ").toLowerCase();

  function renderChips() {
    chips.replaceChildren(...state.accessories.map((name, index) => el("li", { class: "chip" },
      el("span", { text: name }),
      el("button", { type: "button", "aria-label": `Remove ${name}`, text: "×", "data-index": String(index) }),
    )));
    const chosen = new Set(state.accessories.map(key));
    for (const button of $$(".suggestion")) {
      button.setAttribute("aria-pressed", String(chosen.has(key(button.dataset.accessory))));
    }
    const full = state.accessories.length >= MAX_ACCESSORIES;
    accessoryInput.disabled = full;
    accessoryInput.placeholder = full ? "That's six: remove one to add another" : "Type one, e.g. espresso, guitar, pup";
  }

  function addAccessory(text) {
    const name = text.trim().replace(/\s+/g, " ").slice(0, 30);
    if (!name || state.accessories.length >= MAX_ACCESSORIES) return false;
    if (state.accessories.some((item) => key(item) === key(name))) return false;
    state.accessories.push(name);
    renderChips();
    changed("accessories");
    return true;
  }

  function removeAccessory(index) {
    state.accessories.splice(index, 1);
    renderChips();
    changed("accessories");
  }

  chips.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-index]");
    if (!button) return;
    const index = Number(button.dataset.index);
    removeAccessory(index);
    const next = chips.querySelectorAll("button")[Math.min(index, state.accessories.length - 1)];
    (next || accessoryInput).focus();
  });
  accessoryInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      if (addAccessory(accessoryInput.value)) accessoryInput.value = "";
    } else if (event.key === "Backspace" && !accessoryInput.value && state.accessories.length) {
      removeAccessory(state.accessories.length - 1);
    }
  });
  $("#accessory-add").addEventListener("click", () => {
    if (addAccessory(accessoryInput.value)) accessoryInput.value = "";
    accessoryInput.focus();
  });
  $("#suggestions").addEventListener("click", (event) => {
    const button = event.target.closest(".suggestion");
    if (!button) return;
    const name = button.dataset.accessory;
    const index = state.accessories.findIndex((item) => key(item) === key(name));
    if (index >= 0) removeAccessory(index);
    else addAccessory(name);
  });

  // ------------------------------------------------------------ box style

  for (const dot of $$(".swatch-dot[data-color]")) dot.style.backgroundColor = dot.dataset.color;
  const customColor = $("#color-custom");
  const colorRadios = () => $$('input[name="color"]', form);
  function useCustomColor(on) {
    customColor.classList.toggle("is-selected", on);
    if (on) colorRadios().forEach((radio) => { radio.checked = false; });
  }
  customColor.addEventListener("input", () => { useCustomColor(true); changed("color"); });
  customColor.addEventListener("change", () => { useCustomColor(true); changed("color"); });

  const checked = (name) => { const input = form.querySelector(`input[name="${name}"]:checked`); return input ? input.value : ""; };
  const colorValue = () => checked("color") || customColor.value;
  const engineInput = () => form.querySelector('input[name="engine"]:checked');

  function currentSpec() {
    return {
      name: $("#name").value.trim(),
      tagline: $("#tagline").value.trim(),
      outfit: $("#outfit").value.trim(),
      accessories: [...state.accessories],
      template: checked("template"),
      color: colorValue(),
      body: checked("body"),
    };
  }

  function checkBody(body) {
    const input = form.querySelector(`input[name="body"][value="${CSS.escape(typeof body === "string" ? body : "")}"]`);
    if (input) input.checked = true;
  }

  function showTemplateSample() {
    const card = form.querySelector('input[name="template"]:checked');
    if (!card) return;
    const img = card.closest(".template-card").querySelector("img");
    $("#empty-img").src = img.src;
  }

  // ------------------------------------------------------------ engine and consent

  function updateEngine() {
    const input = engineInput();
    const provider = input ? input.dataset.provider : "";
    for (const consent of $$(".consent")) consent.hidden = consent.dataset.consentFor !== (input && input.value);
    const label = $("#engine-current");
    const name = input ? input.dataset.label : "Studio";
    label.textContent = provider ? `${name} · sends your photo to ${provider}` : `${name} · on this computer`;
    $("#engine-error").hidden = true;
    label.classList.toggle("is-cloud", Boolean(provider));
  }

  // ------------------------------------------------------------ changes: re-box at once, or say a new figure is needed

  const REBOX_INPUTS = new Set(["name", "tagline", "template", "color", "size", "accessories"]);

  function changed(field) {
    if (field === "template" && !state.current) showTemplateSample();
    if (state.filling || !state.current) return;
    if (REBOX_INPUTS.has(field)) {
      scheduleRebox();
    } else if (field === "outfit" || field === "body" || field === "engine") {
      setRestyleNote(`The ${field} is part of the figure itself: press Make my figure to sculpt a new one.`, true);
    }
  }

  function setRestyleNote(text, warning) {
    const note = $("#restyle-note");
    note.textContent = text;
    note.classList.toggle("is-warning", Boolean(warning));
  }

  form.addEventListener("input", (event) => {
    const name = event.target.name || event.target.id;
    if (name === "name" || name === "tagline" || name === "outfit") changed(name);
  });
  form.addEventListener("change", (event) => {
    const name = event.target.name;
    if (name === "color") useCustomColor(false);
    if (name === "template" || name === "size" || name === "color" || name === "body") changed(name);
    if (name === "engine") { updateEngine(); changed("engine"); }
    if (name.startsWith("consent-")) $("#engine-error").hidden = true;
  });

  function scheduleRebox() {
    clearTimeout(state.rebox.timer);
    state.rebox.timer = setTimeout(runRebox, REBOX_DELAY_MS);
  }

  async function runRebox() {
    const rebox = state.rebox;
    if (rebox.running) { rebox.again = true; return; }
    const current = state.current;
    if (!current || !current.links.rebox) return;
    const spec = currentSpec();
    if (!spec.name) { nameProblem("Give your figure a name."); return; }
    nameProblem("");
    rebox.running = true;
    $("#updating").hidden = false;
    $("#stage").setAttribute("aria-busy", "true");
    try {
      const { outfit, body, ...fields } = spec;
      const status = await api("POST", current.links.rebox, { ...fields, size: checked("size") });
      await preload(status.links.image);
      if (state.current && state.current.id === status.id) showResult(status, { quiet: true });
      clearError();
    } catch (error) {
      showError(error);
    } finally {
      rebox.running = false;
      $("#updating").hidden = true;
      $("#stage").setAttribute("aria-busy", "false");
      if (rebox.again) { rebox.again = false; runRebox(); }
    }
  }

  const preload = (src) => new Promise((resolve) => {
    const img = new Image();
    img.onload = img.onerror = () => resolve();
    img.src = src;
  });

  // ------------------------------------------------------------ making a figure

  function nameProblem(text) {
    const error = $("#name-error");
    error.textContent = text;
    error.hidden = !text;
    $("#name").setAttribute("aria-invalid", text ? "true" : "false");
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError();
    const spec = currentSpec();
    const photoError = $("#photo-error");
    if (!state.file) {
      photoError.textContent = "Add a photo: drop a selfie above, or choose one.";
      photoError.hidden = false;
      $("#choose-photo").focus();
      return;
    }
    if (!spec.name) {
      nameProblem("Give your figure a name: it goes on the box.");
      $("#name").focus();
      return;
    }
    nameProblem("");
    const engine = engineInput();
    const consent = engine && engine.dataset.provider ? form.querySelector(`input[name="consent-${engine.value}"]`) : null;
    if (consent && !consent.checked) {
      $("#engine-details").open = true;
      const error = $("#engine-error");
      error.textContent = `${engine.dataset.label} gets your photo only if you agree: tick the box above, or pick Studio.`;
      error.hidden = false;
      consent.focus();
      return;
    }
    const body = new FormData();
    body.append("photo", state.file, state.file.name || "photo.jpg");
    body.append("spec", JSON.stringify(spec));
    body.append("engine", engine ? engine.value : "studio");
    body.append("size", checked("size") || "feed");
    body.append("allow_cloud", consent && consent.checked ? "true" : "false");

    const button = $("#make-btn");
    button.disabled = true;
    button.textContent = "Uploading…";
    showPanel("progress");
    updateProgress({ status: "queued", stage: "", ahead: 0 });
    if (isPhone()) $("#stage").scrollIntoView({ behavior: "smooth", block: "start" });
    try {
      const created = await api("POST", "/api/figures", body);
      button.textContent = "Making your figure…";
      follow(created.id);
    } catch (error) {
      resetMakeButton();
      showPanel(state.current ? "result" : "empty");
      showError(error);
    }
  });

  function resetMakeButton() {
    const button = $("#make-btn");
    button.disabled = false;
    button.textContent = state.current ? "Make a new figure" : "Make my figure";
  }

  function showPanel(which) {
    $("#empty").hidden = which !== "empty";
    $("#progress").hidden = which !== "progress";
    $("#result").hidden = which !== "result";
    $("#stage").setAttribute("aria-busy", String(which === "progress"));
  }

  function follow(id) {
    stopFollowing();
    const url = `/api/figures/${encodeURIComponent(id)}/events`;
    if (!window.EventSource) { poll(id); return; }
    const source = new EventSource(url);
    state.events = source;
    const handle = (event) => {
      const status = JSON.parse(event.data);
      if (status.status === "done") { stopFollowing(); finished(status); }
      else if (status.status === "failed") { stopFollowing(); failed(status.error || {}); }
      else updateProgress(status);
    };
    ["queued", "stage", "done"].forEach((type) => source.addEventListener(type, handle));
    source.addEventListener("failed", (event) => {
      const data = JSON.parse(event.data);
      stopFollowing();
      failed(data.error || {});
    });
    source.onerror = () => { stopFollowing(); poll(id); };  // a proxy that drops streams: poll instead
  }

  function stopFollowing() {
    if (state.events) { state.events.close(); state.events = null; }
    clearTimeout(state.pollTimer);
  }

  async function poll(id) {
    try {
      const status = await api("GET", `/api/figures/${encodeURIComponent(id)}`);
      if (status.status === "done") return finished(status);
      if (status.status === "failed") return failed(status.error || {});
      updateProgress(status);
      state.pollTimer = setTimeout(() => poll(id), 700);
    } catch (error) {
      failed(error);
    }
  }

  function updateProgress(status) {
    const stages = config.stages;
    const index = status.status === "queued" ? -1 : stages.indexOf(status.stage);
    let title;
    if (status.status === "queued") {
      title = status.ahead > 0 ? `Waiting in line: ${status.ahead} ahead of you` : config.stageLabels.queued;
    } else {
      title = (config.stageLabels[status.stage] || "Working") + "…";
    }
    $("#progress-title").textContent = title;
    announce(title);
    for (const item of $$("#stages li")) {
      const at = stages.indexOf(item.dataset.stage);
      item.classList.toggle("is-done", at < index);
      item.classList.toggle("is-active", at === index);
    }
    const percent = index < 0 ? 3 : Math.round(((index + 0.6) / stages.length) * 100);
    $("#bar-fill").style.width = `${percent}%`;
    $("#bar").setAttribute("aria-valuenow", String(percent));
  }

  function finished(status) {
    $("#bar-fill").style.width = "100%";
    showResult(status);
    resetMakeButton();
    announce(`Your figure ${status.spec.name} is ready.`);
  }

  function failed(error) {
    resetMakeButton();
    showPanel(state.current ? "result" : "empty");
    showError(error);
  }

  // ------------------------------------------------------------ the result

  function showResult(status, { quiet = false } = {}) {
    state.current = status;
    showPanel("result");
    const img = $("#result-img");
    img.src = status.links.image;
    img.alt = `The action figure box for ${status.spec.name}`;
    const png = $("#download-png");
    png.href = status.links.download;
    png.setAttribute("download", status.filename || "minime.png");
    $("#download-kit").href = status.links.print_kit;
    $("#download-figure").href = status.links.figure;
    showModel(status);

    const likeness = status.likeness;
    $("#likeness-value").textContent = likeness == null ? "–" : Math.round(likeness);
    $("#likeness-meter").style.width = `${likeness == null ? 0 : Math.max(2, Math.min(100, likeness))}%`;
    $("#likeness-fact").hidden = likeness == null;

    const receipt = status.receipt;
    $("#energy-value").textContent = receipt ? formatNumber(receipt.wh) : "–";
    $("#co2-note").textContent = receipt ? co2Note(receipt) : "";
    $("#receipt-summary").textContent = status.receipt_summary || "";
    $("#receipt-rows").replaceChildren(...(receipt ? receipt.readings : []).map((r) => el("tr", {},
      el("td", { text: r.stage }), el("td", { text: r.seconds.toFixed(2) }), el("td", { text: formatNumber(r.wh) }),
      el("td", { text: r.method + (r.estimate ? " (estimate)" : "") }))));
    $("#warnings").replaceChildren(...(status.warnings || []).map((w) => el("li", { text: sentence(w) })));
    if (!quiet) {
      setRestyleNote("Change the name, tagline, style, colour, format or accessories: the box updates at once, without making the figure again.");
      if (isPhone()) $("#stage").scrollIntoView({ behavior: "smooth", block: "start" });
    }
    upsertGallery(status);
  }

  // A sculpted figure is a 3D model too. The viewer (1 MB) is fetched only when there is one to show, and the
  // GLB only when the figure changes: a new box around the same figure keeps the loaded model.
  const MODEL_FILES = { "#download-glb": "model_glb", "#download-stl": "model_stl", "#download-3mf": "model_3mf",
                        "#download-mp4": "clip_mp4" };
  let viewerLoading = null;

  function showModel(status) {
    const links = status.links;
    $("#model").hidden = !links.model_glb;
    if (!links.model_glb) return;
    for (const [id, key] of Object.entries(MODEL_FILES)) $(id).href = links[key];
    viewerLoading = viewerLoading || import("/static/model-viewer.min.js");
    const viewer = $("#viewer");
    if (viewer.getAttribute("src") !== links.model_glb) viewer.setAttribute("src", links.model_glb);
  }

  function formatNumber(value) {
    if (value === 0) return "0";
    if (value < 0.01) return value.toPrecision(2);
    return value < 10 ? value.toFixed(2) : value.toFixed(0);
  }

  function co2Note(receipt) {
    const grid = receipt.country === "WORLD" ? "a world-average grid" : `the ${receipt.country} grid`;
    let note = `${formatNumber(receipt.g_co2e)} g CO₂e on ${grid}`;
    if (receipt.providers && receipt.providers.length) note += `; photo sent to ${receipt.providers.join(", ")}`;
    else if (receipt.times_less && receipt.times_less >= 1) note += `, about ${Math.round(receipt.times_less).toLocaleString("en")}× less than a cloud image`;
    return note + ".";
  }

  $("#share-btn").addEventListener("click", async () => {
    const status = state.current;
    if (!status) return;
    try {
      const response = await fetch(status.links.image, { credentials: "same-origin" });
      const blob = await response.blob();
      const file = new File([blob], status.filename || "minime.png", { type: "image/png" });
      if (navigator.canShare && navigator.canShare({ files: [file] })) {
        await navigator.share({ files: [file], title: `${status.spec.name}, boxed`, text: "My action figure, made with minime" });
        return;
      }
    } catch (error) {
      if (error && error.name === "AbortError") return;  // the person closed the share sheet
    }
    $("#download-png").click();  // no Web Share here: download instead
  });

  $("#delete-btn").addEventListener("click", async () => {
    const status = state.current;
    if (!status) return;
    try {
      await api("DELETE", status.links.self);
    } catch (error) {
      if (error.code !== "not_found") { showError(error); return; }
    }
    removeFromGallery(status.id);
    state.current = null;
    showTemplateSample();
    showPanel("empty");
    resetMakeButton();
    announce("The figure was deleted.");
    $("#make-btn").focus();
  });

  // ------------------------------------------------------------ gallery

  const gallery = $("#gallery");

  function upsertGallery(status) {
    let item = gallery.querySelector(`li[data-id="${CSS.escape(status.id)}"]`);
    if (!item) {
      item = el("li", { "data-id": status.id },
        el("button", { type: "button", class: "gallery-item", "data-id": status.id },
          el("img", { alt: "", loading: "lazy" }), el("span", { class: "gallery-name" })));
      gallery.prepend(item);
    }
    item.querySelector("img").src = status.links.thumbnail;
    item.querySelector(".gallery-name").textContent = status.spec.name;
    markCurrent();
    $("#gallery-empty").hidden = true;
  }

  function removeFromGallery(id) {
    const item = gallery.querySelector(`li[data-id="${CSS.escape(id)}"]`);
    if (item) item.remove();
    $("#gallery-empty").hidden = gallery.children.length > 0;
  }

  function markCurrent() {
    for (const button of $$(".gallery-item", gallery)) {
      const on = Boolean(state.current) && button.dataset.id === state.current.id;
      button.classList.toggle("is-current", on);
      if (on) button.setAttribute("aria-current", "true"); else button.removeAttribute("aria-current");
    }
  }

  gallery.addEventListener("click", async (event) => {
    const button = event.target.closest(".gallery-item");
    if (!button) return;
    clearError();
    try {
      const status = await api("GET", `/api/figures/${encodeURIComponent(button.dataset.id)}`);
      if (status.status !== "done") return;
      fillForm(status);
      showResult(status);
    } catch (error) {
      if (error.code === "not_found") removeFromGallery(button.dataset.id);
      showError(error);
    }
  });

  function fillForm(status) {
    state.filling = true;
    const spec = status.spec;
    $("#name").value = spec.name || "";
    $("#tagline").value = spec.tagline || "";
    $("#outfit").value = spec.outfit || "";
    state.accessories = [...(spec.accessories || [])];
    renderChips();
    const template = form.querySelector(`input[name="template"][value="${CSS.escape(spec.template)}"]`);
    if (template) template.checked = true;
    const swatch = form.querySelector(`input[name="color"][value="${CSS.escape(spec.color)}"]`);
    if (swatch) {
      swatch.checked = true;
      useCustomColor(false);
    } else {
      customColor.value = spec.color;
      useCustomColor(true);
    }
    const size = form.querySelector(`input[name="size"][value="${CSS.escape(status.size)}"]`);
    if (size) size.checked = true;
    checkBody(spec.body);
    state.filling = false;
  }

  // ------------------------------------------------------------ start

  const preset = config.preset || {};  // event mode: the campaign's defaults
  if (Array.isArray(preset.accessories)) state.accessories = preset.accessories.slice(0, MAX_ACCESSORIES);
  for (const field of ["tagline", "outfit"]) if (typeof preset[field] === "string") $(`#${field}`).value = preset[field];
  checkBody(preset.body);
  renderChips();
  updateEngine();
})();
