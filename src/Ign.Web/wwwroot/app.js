"use strict";
// The Make It Real page: a drawing pad (white on black, like MNIST), upload, corruption, and the API calls.
const $ = (id) => document.getElementById(id);
const pad = $("pad");
const ctx = pad.getContext("2d");
const maskPad = $("mask-pad"); // red strokes over the picture: the region f repaints, the rest is kept
const maskCtx = maskPad.getContext("2d");
let uploaded = null; // a File chosen by the user, sent instead of the drawing until the pad is touched again

function clearPad() {
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, pad.width, pad.height);
  maskCtx.clearRect(0, 0, maskPad.width, maskPad.height);
  uploaded = null;
}
const repainting = () => $("repaint").checked;
const brush = () => (repainting() ? maskCtx : ctx);
clearPad();

let drawing = false;
function point(event) {
  const r = pad.getBoundingClientRect();
  return [(event.clientX - r.left) * pad.width / r.width, (event.clientY - r.top) * pad.height / r.height];
}
pad.addEventListener("pointerdown", (e) => {
  if (uploaded && !repainting()) clearPad();
  drawing = true;
  pad.setPointerCapture(e.pointerId);
  const [x, y] = point(e);
  brush().beginPath();
  brush().moveTo(x, y);
  brush().lineTo(x + 0.1, y + 0.1);
  stroke();
});
pad.addEventListener("pointermove", (e) => {
  if (!drawing) return;
  const [x, y] = point(e);
  brush().lineTo(x, y);
  stroke();
});
["pointerup", "pointercancel"].forEach((name) => pad.addEventListener(name, () => { drawing = false; }));
function stroke() {
  const c = brush();
  c.strokeStyle = repainting() ? "rgba(255, 60, 60, 0.6)" : "#fff";
  c.lineWidth = 22;
  c.lineCap = "round";
  c.lineJoin = "round";
  c.stroke();
}

// The marked region as the server wants it: white where f repaints, black elsewhere; null when nothing is marked.
function maskBlob() {
  const marks = maskCtx.getImageData(0, 0, maskPad.width, maskPad.height).data;
  const out = document.createElement("canvas");
  out.width = maskPad.width;
  out.height = maskPad.height;
  const outCtx = out.getContext("2d");
  const image = outCtx.createImageData(out.width, out.height);
  let any = false;
  for (let i = 0; i < marks.length; i += 4) {
    const on = marks[i + 3] > 0;
    any = any || on;
    image.data[i] = image.data[i + 1] = image.data[i + 2] = on ? 255 : 0;
    image.data[i + 3] = 255;
  }
  if (!any) return Promise.resolve(null);
  outCtx.putImageData(image, 0, 0);
  return new Promise((resolve) => out.toBlob(resolve, "image/png"));
}

$("clear").addEventListener("click", clearPad);
$("upload").addEventListener("change", async () => {
  const file = $("upload").files[0];
  if (!file) return;
  const bitmap = await createImageBitmap(file).catch(() => null);
  clearPad();
  uploaded = file;
  if (bitmap) {
    const s = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
    ctx.drawImage(bitmap, (pad.width - bitmap.width * s) / 2, (pad.height - bitmap.height * s) / 2, bitmap.width * s, bitmap.height * s);
  }
});

function corruptionSpec() {
  const kind = $("corruption").value;
  const s = parseFloat($("strength").value);
  switch (kind) {
    case "noise": return `noise:${(s * 1.0).toFixed(2)}`;
    case "occlude": return `occlude:size=${Math.max(2, Math.round(s * 16))}`;
    case "sketch": return `sketch:${Math.min(0.9, Math.max(0.05, s)).toFixed(2)}`;
    case "lowres": return `lowres:${Math.max(2, Math.round(28 - s * 24))}`;
    default: return "none";
  }
}

async function problem(response) {
  try { const p = await response.json(); return p.detail || p.title || response.statusText; } catch { return response.statusText; }
}

$("make-real").addEventListener("click", async () => {
  const button = $("make-real");
  const status = $("project-status");
  button.disabled = true;
  status.className = "";
  status.textContent = "…";
  try {
    const blob = uploaded || await new Promise((resolve) => pad.toBlob(resolve, "image/png"));
    const form = new FormData();
    form.append("image", blob, uploaded ? uploaded.name : "drawing.png");
    const mask = await maskBlob();
    if (mask) form.append("mask", mask, "mask.png");
    form.append("corrupt", corruptionSpec());
    form.append("steps", "3");
    form.append("seed", String(Math.floor(Math.random() * 1000)));
    form.append("class", $("project-class").value);
    form.append("inputKind", $("input-kind").value);
    const response = await fetch("/api/project", { method: "POST", body: form });
    if (!response.ok) throw new Error(await problem(response));
    const result = await response.json();
    const outputs = $("outputs");
    outputs.replaceChildren(...result.images.map((src, i) => {
      const figure = document.createElement("figure");
      const img = document.createElement("img");
      img.className = "pixelated";
      img.src = src;
      img.alt = result.labels[i];
      const caption = document.createElement("figcaption");
      caption.textContent = result.labels[i];
      figure.append(img, caption);
      return figure;
    }));
    status.textContent = `${result.milliseconds.toFixed(0)} ms`;
    $("score").textContent = result.percentile == null ? "" :
      `How far from the data this was: f moved it by ${result.distance.toFixed(3)} per pixel; ` +
      `${result.percentile.toFixed(1)} % of test images move less` +
      (result.percentile > 99 ? " (out of distribution)" : "");
  } catch (error) {
    status.className = "error";
    status.textContent = error.message;
  } finally {
    button.disabled = false;
  }
});

$("generate").addEventListener("click", async () => {
  const q = new URLSearchParams({ count: $("count").value, seed: $("seed").value, steps: $("gen-steps").value,
    class: $("gen-class").value });
  const response = await fetch(`/api/generate?${q}`);
  if (!response.ok) { $("grid").alt = await problem(response); return; }
  $("grid").src = (await response.json()).image;
});

let pending = false, again = false;
async function interpolate() {
  if (pending) { again = true; return; } // one request in flight; the latest slider position follows
  pending = true;
  try {
    const q = new URLSearchParams({ from: $("from").value, to: $("to").value, t: $("t").value, steps: "1" });
    const response = await fetch(`/api/interpolate?${q}`);
    if (response.ok) $("between").src = (await response.json()).image;
  } finally {
    pending = false;
    if (again) { again = false; interpolate(); }
  }
}
["input", "change"].forEach((name) => $("t").addEventListener(name, interpolate));
["from", "to"].forEach((id) => $(id).addEventListener("change", interpolate));

// a class-conditional model gets the class pickers: "any" (the null class) and each of its classes
function showClasses(count) {
  if (!count) return;
  document.querySelectorAll("select.classes").forEach((select) => {
    for (let c = 0; c < count; c++) select.add(new Option(String(c), String(c)));
  });
  document.querySelectorAll(".class-choice").forEach((element) => { element.hidden = false; });
}
// a model with BatchNorm statistics of kinds of image (low resolution, sketch) lets the user say what a drawing or an
// upload is; "what the corruption makes" lets the corruption picker say it
const kindNames = { lowres: "low resolution", sketch: "a sketch" };
function showImageKinds(kinds) {
  if (!kinds || kinds.length === 0) return;
  kinds.forEach((kind) => $("input-kind").add(new Option(kindNames[kind] || kind, kind)));
  document.querySelectorAll(".kind-choice").forEach((element) => { element.hidden = false; });
}
fetch("/api/model").then((r) => r.json()).then((m) => {
  $("model-info").textContent = `Model: ${m.model}.`;
  showClasses(m.classes);
  showImageKinds(m.imageKinds);
}).catch(() => {});
interpolate();
$("generate").click();
