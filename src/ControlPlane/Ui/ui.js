// The status page: asks GET /api/v1/overview every 2 seconds and redraws nodes, services and events.
// Every value from the API reaches the DOM as text (textContent / text nodes), never as markup.
"use strict";

const REFRESH_MS = 2000;
const TIMEOUT_MS = 5000;
const EVENTS_SHOWN = 30;
const WARNINGS_PINNED = 10;
const USAGE_REFRESH_MS = 10000;

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

// One resource: "cpu reserved  300m / 2000m" over a bar filled to the share; "in use" (the engine's stats) likewise,
// or "in use: unknown" while the node's agent has not answered.
function usageBar(label, kind, amount, capacity, format) {
  const known = amount !== undefined && amount !== null;
  const share = known && capacity > 0 ? Math.min(1, amount / capacity) : 0;
  const pct = Math.round(share * 100);
  const fill = el("div", { class: "fill " + kind + (share >= 0.9 ? " high" : share >= 0.7 ? " mid" : "") });
  fill.style.width = pct + "%";
  return el("div", { class: "usage" },
    el("div", { class: "usage-label" },
      el("span", {}, label + " " + (kind === "reserved" ? "reserved" : "in use")),
      el("span", { class: "usage-value", "data-usage": label + "-" + kind },
        known ? format(amount) + " / " + format(capacity) + " (" + pct + "%)" : "unknown")),
    el("div", { class: "bar" }, fill));
}

// Replicas are named as the CLI and the events name them: service.slot.id (web.1.px9r2x).
function replicaName(r) {
  return r.service + "." + r.slot + "." + r.id;
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
    el("td", { class: "mono replica-name" }, replicaName(r)),
    el("td", { class: "replica-service" }, r.namespace + "/" + r.service),
    el("td", { class: "replica-state" }, replicaState(s)),
    el("td", { class: "replica-ready" }, ready ? badge("ready", "ok") : badge("not ready", "muted-badge")),
    el("td", { class: "num" }, s ? s.restartCount : 0),
    el("td", { class: "mono" }, ports(s)),
    el("td", { class: "mono muted" }, s && s.containerId ? s.containerId.slice(0, 12) : "—"));
}

function nodeCard(entry, usage) {
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
  const used = usage && usage[n.name];
  const bars = el("div", { class: "bars" },
    usageBar("cpu", "reserved", entry.allocated.milliCpu, n.capacity.milliCpu, formatCpu),
    usageBar("memory", "reserved", entry.allocated.memoryBytes, n.capacity.memoryBytes, formatBytes),
    usageBar("cpu", "used", used ? used.milliCpu : null, n.capacity.milliCpu, formatCpu),
    usageBar("memory", "used", used ? used.memoryBytes : null, n.capacity.memoryBytes, formatBytes));
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

// A replica that cannot run: its create or start failed (a reason), it crash-loops, or it gave up.
function isFailed(view) {
  const s = view.status;
  return !!s && (!!s.reason || s.state === "failed" || s.state === "crashLoopBackOff");
}

// The header counts what the user asked for: ready of desired; pending and failed in warning colours when any.
function summary(nodes, services) {
  const ready = nodes.filter(n => n.node.state === "ready").length;
  const desired = services.reduce((sum, v) => sum + v.status.desired, 0);
  const readyReplicas = services.reduce((sum, v) => sum + v.status.ready, 0);
  const pending = services.reduce((sum, v) => sum + v.status.pending, 0);
  const failed = nodes.reduce((sum, n) => sum + n.replicas.filter(isFailed).length, 0);
  return [
    el("span", { class: "chip" + (ready < nodes.length ? " chip-warn" : "") }, el("b", {}, ready + "/" + nodes.length), " nodes ready"),
    el("span", { class: "chip" }, el("b", {}, services.length), services.length === 1 ? " service" : " services"),
    el("span", { class: "chip" + (readyReplicas < desired ? " chip-warn" : " chip-ok"), id: "replicas-ready" },
      el("b", {}, readyReplicas + "/" + desired), " replicas ready"),
    pending > 0 ? el("span", { class: "chip chip-warn", id: "replicas-pending" }, el("b", {}, pending), " pending") : null,
    failed > 0 ? el("span", { class: "chip chip-bad", id: "replicas-failed" }, el("b", {}, failed), " failed") : null,
  ];
}

// Warnings of the last hour first (the newest WARNINGS_PINNED), then the newest normal events, up to EVENTS_SHOWN:
// one FailedScheduling is never pushed out by a stream of Ready lines.
function shownEvents(events) {
  const warnings = events.filter(e => e.type === "Warning").slice(-WARNINGS_PINNED).reverse();
  const normal = events.filter(e => e.type !== "Warning").slice(-Math.max(0, EVENTS_SHOWN - warnings.length)).reverse();
  return warnings.concat(normal);
}

let lastUsage = null;

function render(overview) {
  const nodes = overview.nodes || [], services = overview.services || [], events = overview.events || [];
  document.getElementById("summary").replaceChildren(...summary(nodes, services));

  document.getElementById("node-count").textContent = nodes.length;
  document.getElementById("nodes").replaceChildren(
    ...(nodes.length === 0 ? [el("p", { class: "empty" }, "no node has registered yet")] : nodes.map(n => nodeCard(n, lastUsage))));

  document.getElementById("service-count").textContent = services.length;
  document.querySelector("#services tbody").replaceChildren(
    ...(services.length === 0 ? [emptyRow(7, "no services: orc apply -f manifests/")] : services.map(serviceRow)));

  const newest = shownEvents(events);
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

// In use comes from the agents' stats (GET /api/v1/top/nodes asks every agent), so it is asked less often than the
// overview; a failure leaves the bars at "unknown" and never marks the page disconnected.
async function refreshUsage() {
  try {
    const response = await fetch("/api/v1/top/nodes", { cache: "no-store" });
    if (response.ok) {
      const top = await response.json();
      const unreachable = new Set((top.unreachable || []).map(u => u.node));
      lastUsage = Object.fromEntries((top.nodes || []).filter(n => !unreachable.has(n.name)).map(n => [n.name, n]));
    }
  } catch { /* the next round asks again */ }
  setTimeout(refreshUsage, USAGE_REFRESH_MS);
}

refreshUsage();
refresh();
