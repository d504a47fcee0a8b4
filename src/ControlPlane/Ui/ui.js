// The status page: asks GET /api/v1/overview every 2 seconds and redraws nodes, services and events.
// Every value from the API reaches the DOM as text (textContent / text nodes), never as markup.
"use strict";

const REFRESH_MS = 2000;
const TIMEOUT_MS = 5000;
const EVENTS_SHOWN = 30;

// el("td", {class: "num"}, "3", otherNode): an element whose children are text or elements.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function badge(text, kind) {
  return el("span", { class: "badge " + kind }, text);
}

function formatCpu(milli) {
  return milli + "m";
}

function formatBytes(bytes) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes, unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  const digits = value >= 100 || unit === 0 || Number.isInteger(value) ? 0 : 1;
  return value.toFixed(digits) + " " + units[unit];
}

function formatAge(seconds) {
  if (seconds < 60) return seconds.toFixed(1) + " s ago";
  if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
  return Math.floor(seconds / 3600) + " h ago";
}

function formatTime(iso) {
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleTimeString([], { hour12: false });
}

// One resource: "cpu  300m / 2000m" over a bar filled to the allocated share.
function usageBar(label, allocated, capacity, format) {
  const share = capacity > 0 ? Math.min(1, allocated / capacity) : 0;
  const pct = Math.round(share * 100);
  const fill = el("div", { class: "fill" + (share >= 0.9 ? " high" : share >= 0.7 ? " mid" : "") });
  fill.style.width = pct + "%";
  return el("div", { class: "usage" },
    el("div", { class: "usage-label" },
      el("span", {}, label),
      el("span", { class: "usage-value", "data-usage": label }, format(allocated) + " / " + format(capacity) + " (" + pct + "%)")),
    el("div", { class: "bar" }, fill));
}

const stateKinds = { ready: "ok", notReady: "warn", down: "bad" };
const stateNames = { ready: "Ready", notReady: "NotReady", down: "Down" };

function replicaState(status) {
  if (!status) return badge("Pending", "muted-badge");
  const kind = status.state === "running" ? "ok"
    : status.state === "crashLoopBackOff" || status.state === "failed" ? "bad"
    : status.state === "exited" ? "warn" : "muted-badge";
  // A create or start that failed names its reason (ImageNotFound, PortInUse); the message is in the tooltip.
  const name = status.reason || status.state.charAt(0).toUpperCase() + status.state.slice(1);
  const b = badge(name, kind);
  if (status.message) b.title = status.message;
  return b;
}

function ports(status) {
  if (!status || !status.ports || status.ports.length === 0) return "";
  return status.ports.map(p => (p.hostPort ? p.hostPort + "→" : "") + p.containerPort + "/" + p.protocol).join(", ");
}

function replicaRow(view) {
  const r = view.replica, s = view.status;
  const ready = s && s.ready;
  return el("tr", { "data-replica": r.id },
    el("td", { class: "mono replica-name" }, r.service + "." + r.slot),
    el("td", { class: "replica-service" }, r.namespace + "/" + r.service),
    el("td", { class: "replica-state" }, replicaState(s)),
    el("td", { class: "replica-ready" }, ready ? badge("ready", "ok") : badge("not ready", "muted-badge")),
    el("td", { class: "num" }, s ? s.restartCount : 0),
    el("td", { class: "mono" }, ports(s)),
    el("td", { class: "mono muted" }, s && s.containerId ? s.containerId.slice(0, 12) : "—"));
}

function nodeCard(entry) {
  const n = entry.node;
  const heading = el("div", { class: "node-head" },
    el("h3", { class: "node-name" }, n.name),
    badge(stateNames[n.state] || n.state, stateKinds[n.state] || "muted-badge"),
    n.cordoned ? badge("cordoned", "warn") : null,
    n.draining ? badge("draining", "warn") : null);
  const meta = el("div", { class: "node-meta muted" },
    el("span", {}, n.address || "no address"),
    el("span", { class: "heartbeat" }, "heartbeat " + formatAge(entry.heartbeatAgeSeconds)),
    el("span", { class: "replica-count" }, entry.replicas.length + (entry.replicas.length === 1 ? " replica" : " replicas")),
    Object.keys(n.labels || {}).length > 0
      ? el("span", {}, Object.entries(n.labels).map(([k, v]) => k + "=" + v).join(" "))
      : null);
  const bars = el("div", { class: "bars" },
    usageBar("cpu", entry.allocated.milliCpu, n.capacity.milliCpu, formatCpu),
    usageBar("memory", entry.allocated.memoryBytes, n.capacity.memoryBytes, formatBytes));
  const table = entry.replicas.length === 0
    ? el("p", { class: "empty" }, "no replicas on this node")
    : el("table", { class: "replicas" },
        el("thead", {}, el("tr", {},
          el("th", {}, "replica"), el("th", {}, "service"), el("th", {}, "state"), el("th", {}, "ready"),
          el("th", { class: "num" }, "restarts"), el("th", {}, "ports"), el("th", {}, "container"))),
        el("tbody", {}, entry.replicas.map(replicaRow)));
  return el("article", { class: "node state-" + n.state, "data-node": n.name }, heading, meta, bars, table);
}

function health(status, rollout) {
  // A rollout under way, failed or rolled back says so before anything else.
  if (rollout && rollout.phase !== "complete" && !(rollout.phase === "progressing" && rollout.old === 0 && rollout.available >= rollout.desired)) {
    const failed = rollout.phase === "failed" || rollout.phase === "rolledBack" || rollout.phase === "rollingBack";
    const text = "revision " + rollout.revision + " " + rollout.phase + ": " + rollout.available + "/" + rollout.desired + " available" +
      (rollout.failureReason ? " (revision " + rollout.failedRevision + " failed: " + rollout.failureReason + ")" : "") +
      (status.reason ? "; " + status.reason : "");
    return el("span", { class: failed || status.reason ? "warn-text" : "muted" }, text);
  }
  if (status.pending > 0) return el("span", { class: "warn-text" }, status.pendingReason || status.pending + " pending");
  if (status.reason) return el("span", { class: "warn-text" }, status.reason);
  if (status.ready < status.desired) return el("span", { class: "warn-text" }, (status.desired - status.ready) + " not ready");
  return el("span", { class: "ok-text" }, status.desired === 0 ? "scaled to zero" : "all ready");
}

function serviceRow(view) {
  const s = view.service, st = view.status;
  const key = s.metadata.namespace + "/" + s.metadata.name;
  return el("tr", { "data-service": key },
    el("td", { class: "service-name" }, key),
    el("td", { class: "mono muted" }, s.spec.image),
    el("td", { class: "num desired" }, st.desired),
    el("td", { class: "num running" }, st.running),
    el("td", { class: "num ready" }, st.ready),
    el("td", { class: "num pending" }, st.pending),
    el("td", { class: "health" }, health(st, view.rollout)));
}

function eventRow(e) {
  return el("tr", { class: e.type === "Warning" ? "warning" : "" },
    el("td", { class: "mono muted nowrap" }, formatTime(e.time)),
    el("td", {}, e.type === "Warning" ? badge("Warning", "bad") : badge("Normal", "muted-badge")),
    el("td", { class: "nowrap" }, e.reason),
    el("td", { class: "mono nowrap" }, e.object),
    el("td", {}, e.message));
}

function emptyRow(columns, text) {
  return el("tr", {}, el("td", { class: "empty", colspan: columns }, text));
}

function render(overview) {
  const nodes = overview.nodes || [], services = overview.services || [], events = overview.events || [];
  const ready = nodes.filter(n => n.node.state === "ready").length;
  const replicas = nodes.reduce((sum, n) => sum + n.replicas.length, 0);
  const running = nodes.reduce((sum, n) => sum + n.replicas.filter(r => r.status && r.status.state === "running").length, 0);
  document.getElementById("summary").replaceChildren(
    el("span", { class: "chip" }, el("b", {}, ready + "/" + nodes.length), " nodes ready"),
    el("span", { class: "chip" }, el("b", {}, services.length), services.length === 1 ? " service" : " services"),
    el("span", { class: "chip" }, el("b", {}, running + "/" + replicas), " replicas running"));

  document.getElementById("node-count").textContent = nodes.length;
  document.getElementById("nodes").replaceChildren(
    ...(nodes.length === 0 ? [el("p", { class: "empty" }, "no node has registered yet")] : nodes.map(nodeCard)));

  document.getElementById("service-count").textContent = services.length;
  document.querySelector("#services tbody").replaceChildren(
    ...(services.length === 0 ? [emptyRow(7, "no services: orc apply -f manifests/")] : services.map(serviceRow)));

  const newest = events.slice(-EVENTS_SHOWN).reverse();
  document.getElementById("event-count").textContent = newest.length + (events.length > newest.length ? " of " + events.length : "");
  document.querySelector("#events tbody").replaceChildren(
    ...(newest.length === 0 ? [emptyRow(5, "no events in the last hour")] : newest.map(eventRow)));
}

function setLive(ok, text) {
  const live = document.getElementById("live");
  live.className = "live-state " + (ok ? "ok" : "bad");
  live.textContent = text;
  document.body.classList.toggle("stale", !ok);
}

let refreshes = 0;

async function refresh() {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    const response = await fetch("/api/v1/overview", { cache: "no-store", signal: abort.signal });
    if (!response.ok) {
      let message = "HTTP " + response.status;
      try { message += ": " + (await response.json()).error; } catch { /* not an ApiError body */ }
      throw new Error(message);
    }
    const overview = await response.json();
    render(overview);
    refreshes++;
    document.body.dataset.refreshes = String(refreshes);
    setLive(true, "live");
    document.getElementById("updated").textContent = "updated " + formatTime(overview.time);
  } catch (e) {
    setLive(false, "disconnected: " + (e.name === "AbortError" ? "no answer within 5 s" : e.message));
  } finally {
    clearTimeout(timer);
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
