#!/usr/bin/env python3
"""Renders a Grafana dashboard JSON as a static HTML page from real Prometheus data (stdlib only).

Every panel's targets are run through Prometheus' /api/v1/query_range over the chosen time range, and drawn as
inline SVG (time series: lines, axes, legend, unit, thresholds; stat: the last value) at the panel's gridPos,
in a dark theme close to Grafana's. This is not Grafana: it is a picture of what the dashboard's queries return.

    render.py [--dashboard orchestrator.json] [--prometheus http://127.0.0.1:9090] [--range 15m] [--end UNIX]
              [--out dashboard.html] [--width 1600]

Template variables are given their "All" value (".*"), $__rate_interval is --rate-interval (default 1m),
$__interval the query step. Prints the page height in pixels on stdout (for the screenshot's window size).
"""
import argparse
import datetime as dt
import html
import json
import math
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PALETTE = ["#73bf69", "#f2cc0c", "#8ab8ff", "#ff780a", "#f2495c", "#5794f2", "#b877d9", "#705da0",
           "#37872d", "#fade2a", "#447ebc", "#c15c17", "#890f02", "#0a437c", "#6d1f62", "#584477"]
COLORS = {"green": "#73bf69", "red": "#f2495c", "orange": "#ff9830", "yellow": "#fade2a", "blue": "#5794f2"}
BG, PANEL, BORDER, TEXT, MUTED, GRID = "#111217", "#181b1f", "#2c3235", "#ccccdc", "#8e8e9a", "#2a2d33"
CELL, MARGIN, PAD = 30, 8, 16   # Grafana's grid: 30 px rows, 8 px gutters


def parse_duration(s):
    m = re.fullmatch(r"(\d+)([smhd])", s)
    if not m:
        raise SystemExit(f"render: bad duration '{s}' (e.g. 90s, 15m, 1h)")
    return int(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def substitute(expr, rate_interval, step):
    expr = expr.replace("$__rate_interval", rate_interval).replace("$__interval", f"{step}s")
    return re.sub(r"\$\{?(\w+)\}?", ".*", expr)   # every other variable: its "All" value


def query_range(prom, expr, start, end, step):
    qs = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": step})
    try:
        with urllib.request.urlopen(f"{prom}/api/v1/query_range?{qs}", timeout=30) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        raise SystemExit(f"render: Prometheus rejected {expr!r}: {e.read().decode(errors='replace')}")
    if body.get("status") != "success":
        raise SystemExit(f"render: query failed: {expr!r}: {body}")
    return body["data"]["result"]


def legend_name(fmt, metric):
    if not fmt:
        return "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(metric.items())) + "}" if metric else "value"
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: metric.get(m.group(1), ""), fmt)


def fetch(panel, prom, start, end, step, rate_interval):
    series = []
    for t in panel.get("targets", []):
        if t.get("hide") or not t.get("expr"):
            continue
        for r in query_range(prom, substitute(t["expr"], rate_interval, step), start, end, step):
            pts = [(float(ts), float(v)) for ts, v in r["values"]]
            pts = [(ts, v) for ts, v in pts if math.isfinite(v)]
            if pts:
                series.append({"name": legend_name(t.get("legendFormat", ""), r["metric"]), "points": pts})
    return series


# ---------------------------------------------------------------- units
def decimals(step):
    """Decimals that show a value to the precision of step (an axis' tick step, or a tenth of a single value)."""
    if step <= 0 or not math.isfinite(step):
        return 0
    d = max(0, -math.floor(math.log10(step)))
    if abs(step * 10 ** d - round(step * 10 ** d)) > 1e-9:
        d += 1
    return min(d, 4)


def fmt_value(v, unit, step=None):
    """A value in the panel's unit; step: the axis' tick step (else the precision follows the value)."""
    if not step:
        step = 1 if float(v).is_integer() else abs(v) / 10
    if unit == "bytes":
        for i, suffix in enumerate(["B", "KiB", "MiB", "GiB", "TiB"]):
            if abs(v) < 1024 ** (i + 1) or suffix == "TiB":
                return f"{v / 1024 ** i:.{0 if i == 0 else 1}f} {suffix}"
    if unit == "s" and step < 0.5:
        return f"{v * 1000:.{decimals(step * 1000)}f} ms"
    if unit == "ms" and step >= 500:
        return f"{v / 1000:.{decimals(step / 1000)}f} s"
    suffix = {"s": " s", "ms": " ms", "ops": " ops/s", "reqps": " req/s"}.get(unit, "")
    if not suffix and abs(v) >= 1e6:
        return f"{v / 1e6:.1f} M"
    return f"{v:.{decimals(step)}f}{suffix}"


def nice_ticks(lo, hi, n=4):
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    ticks, v = [], math.floor(lo / step) * step
    while v < hi + step * 0.999:
        ticks.append(round(v, 12))
        v += step
    return ticks


def bytes_ticks(hi, n=4):
    """Ticks at powers-of-two friendly values for byte axes."""
    if hi <= 0:
        return [0, 1]
    unit = 1024 ** max(0, min(4, int(math.log(hi, 1024))))
    return [t * unit for t in nice_ticks(0, hi / unit, n)]


# ---------------------------------------------------------------- SVG
def esc(s):
    return html.escape(str(s), quote=True)


def text_width(s, size):
    return len(s) * size * 0.56


def legend_layout(names, width, size=11, max_lines=3):
    """Grafana's bottom list legend: entries flow in lines; what does not fit becomes '+N more'."""
    lines, line, x = [], [], 0
    for i, name in enumerate(names):
        w = 18 + text_width(name, size) + 14
        if line and x + w > width:
            lines.append(line)
            line, x = [], 0
            if len(lines) == max_lines:
                return lines, len(names) - i
        line.append((i, name, x))
        x += w
    if line:
        lines.append(line)
    return lines, 0


def timeseries_svg(panel, series, w, h, start, end):
    defaults = panel.get("fieldConfig", {}).get("defaults", {})
    unit = defaults.get("unit", "short")
    out = [f'<svg width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg" font-family="Inter, Helvetica, Arial, sans-serif">']
    if not series:
        out.append(f'<text x="{w / 2}" y="{h / 2}" fill="{MUTED}" font-size="14" text-anchor="middle">No data</text></svg>')
        return "".join(out)
    lines, more = legend_layout([s["name"] for s in series], w - 16)
    legend_h = 16 * len(lines) + (14 if more else 0) + 4
    vals = [v for s in series for _, v in s["points"]]
    lo, hi = min(vals), max(vals)
    if defaults.get("min") == 0:
        lo = min(lo, 0)
    if hi == lo:
        hi = lo + (abs(lo) or 1)
    ticks = bytes_ticks(hi) if unit == "bytes" and lo >= 0 else nice_ticks(lo, hi)
    lo, hi = ticks[0], ticks[-1]
    labels = [fmt_value(t, unit, ticks[1] - ticks[0]) for t in ticks]
    left = 10 + max(text_width(s, 10) for s in labels)
    top, right, bottom = 6, w - 10, h - legend_h - 18
    px = lambda ts: left + (ts - start) / (end - start) * (right - left)
    py = lambda v: bottom - (v - lo) / (hi - lo) * (bottom - top)
    for t, label in zip(ticks, labels):
        y = py(t)
        out.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{left - 5}" y="{y + 3.5:.1f}" fill="{MUTED}" font-size="10" text-anchor="end">{esc(label)}</text>')
    span = end - start
    tstep = next(s for s in (30, 60, 120, 300, 600, 900, 1800, 3600, 7200) if span / s <= (right - left) / 55)
    t = math.ceil(start / tstep) * tstep
    while t <= end:
        x = px(t)
        label = dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%H:%M" if tstep >= 60 else "%H:%M:%S")
        if x - left < 22 or x + text_width(label, 10) / 2 > w - 2:   # on the lowest y label, or cut by the edge
            t += tstep
            continue
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{x:.1f}" y="{bottom + 13}" fill="{MUTED}" font-size="10" text-anchor="middle">{label}</text>')
        t += tstep
    steps = defaults.get("thresholds", {}).get("steps", [])
    if defaults.get("custom", {}).get("thresholdsStyle", {}).get("mode", "off") != "off":
        for s in steps:
            if s.get("value") is not None and lo <= s["value"] <= hi:
                y = py(s["value"])
                c = COLORS.get(s["color"], s["color"])
                out.append(f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{c}" stroke-width="1" stroke-dasharray="6 4" opacity="0.8"/>')
    out.append(f'<clipPath id="c{panel["id"]}"><rect x="{left}" y="{top - 1}" width="{right - left}" height="{bottom - top + 2}"/></clipPath>')
    fill = defaults.get("custom", {}).get("fillOpacity", 0) / 100
    gap = 1.5 * (series[0]["points"][1][0] - series[0]["points"][0][0]) if len(series[0]["points"]) > 1 else 1e9
    for i, s in enumerate(series):
        color = PALETTE[i % len(PALETTE)]
        segments, seg, prev = [], [], None
        for ts, v in s["points"]:
            if prev is not None and ts - prev > gap:
                segments.append(seg)
                seg = []
            seg.append((px(ts), py(v)))
            prev = ts
        segments.append(seg)
        for seg in segments:
            if len(seg) == 1:
                x, y = seg[0]
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8" fill="{color}" clip-path="url(#c{panel["id"]})"/>')
                continue
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in seg)
            if fill:
                area = f"{seg[0][0]:.1f},{py(max(lo, 0)):.1f} {pts} {seg[-1][0]:.1f},{py(max(lo, 0)):.1f}"
                out.append(f'<polygon points="{area}" fill="{color}" opacity="{fill}" clip-path="url(#c{panel["id"]})"/>')
            out.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="1.5" stroke-linejoin="round" clip-path="url(#c{panel["id"]})"/>')
    y0 = bottom + 30
    for n, line in enumerate(lines):
        for i, name, x in line:
            y = y0 + 16 * n
            out.append(f'<rect x="{8 + x}" y="{y - 4}" width="14" height="4" rx="1" fill="{PALETTE[i % len(PALETTE)]}"/>')
            out.append(f'<text x="{8 + x + 18}" y="{y}" fill="{TEXT}" font-size="11">{esc(name)}</text>')
    if more:
        out.append(f'<text x="8" y="{y0 + 16 * len(lines)}" fill="{MUTED}" font-size="11">+{more} more</text>')
    out.append("</svg>")
    return "".join(out)


def stat_html(panel, series, w, h):
    defaults = panel.get("fieldConfig", {}).get("defaults", {})
    if not series:
        return f'<div class="nodata" style="height:{h}px">No data</div>'
    s = series[0]
    value = s["points"][-1][1]
    color = "#73bf69"
    for step in defaults.get("thresholds", {}).get("steps", []):
        if step.get("value") is None or value >= step["value"]:
            color = COLORS.get(step["color"], step["color"])
    vals = [v for _, v in s["points"]]
    lo, hi = min(vals), max(vals)
    hi = hi if hi > lo else lo + 1
    t0, t1 = s["points"][0][0], s["points"][-1][0] or 1
    pts = " ".join(f"{(t - t0) / ((t1 - t0) or 1) * w:.1f},{h - 4 - (v - lo) / (hi - lo) * h * 0.45:.1f}" for t, v in s["points"])
    spark = f'<svg class="spark" width="{w}" height="{h}"><polyline points="{pts}" fill="none" stroke="rgba(255,255,255,0.55)" stroke-width="1.5"/></svg>'
    return (f'<div class="stat" style="height:{h}px;background:{color}">{spark}'
            f'<div class="statname">{esc(s["name"])}</div>'
            f'<div class="statvalue">{esc(fmt_value(value, defaults.get("unit", "short")))}</div></div>')


# ---------------------------------------------------------------- page
CSS = f"""
body {{ margin:0; background:{BG}; color:{TEXT}; font-family:Inter, Helvetica, Arial, sans-serif; }}
.top {{ padding:12px {PAD}px 4px {PAD}px; display:flex; align-items:center; gap:14px; }}
.top h1 {{ font-size:18px; font-weight:500; margin:0; }}
.crumb {{ color:{MUTED}; font-size:18px; }}
.time {{ margin-left:auto; border:1px solid {BORDER}; background:{PANEL}; border-radius:2px; padding:5px 10px; font-size:12px; }}
.vars {{ padding:6px {PAD}px 8px {PAD}px; display:flex; gap:8px; font-size:12px; align-items:center; }}
.var {{ display:flex; border:1px solid {BORDER}; border-radius:2px; }}
.var b {{ font-weight:500; background:#22252b; padding:5px 8px; border-right:1px solid {BORDER}; }}
.var span {{ padding:5px 10px; background:{BG}; }}
.note {{ margin-left:auto; color:{MUTED}; font-size:11px; }}
.grid {{ position:relative; margin:0 {PAD}px; }}
.panel {{ position:absolute; background:{PANEL}; border:1px solid {BORDER}; border-radius:2px; overflow:hidden; }}
.ptitle {{ font-size:13px; font-weight:500; height:28px; line-height:28px; padding:0 8px; white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }}
.row {{ position:absolute; font-size:15px; font-weight:500; height:{CELL}px; line-height:{CELL}px; }}
.row::before {{ content:"\\25BE"; color:{MUTED}; margin-right:8px; }}
.nodata {{ display:flex; align-items:center; justify-content:center; color:{MUTED}; font-size:14px; }}
.stat {{ position:relative; margin:0 6px; border-radius:2px; color:#fff; }}
.stat .spark {{ position:absolute; left:0; top:0; }}
.statname {{ position:relative; text-align:center; padding-top:14px; font-size:13px; }}
.statvalue {{ position:relative; text-align:center; font-size:44px; font-weight:500; padding-top:6px; }}
"""


def render(dash, prom, start, end, step, rate_interval, width):
    colw = (width - 2 * PAD + MARGIN) / 24
    cells, bottom, empty = [], 0, []
    for p in dash["panels"]:
        g = p["gridPos"]
        x, y = g["x"] * colw, g["y"] * (CELL + MARGIN)
        w, h = g["w"] * colw - MARGIN, g["h"] * (CELL + MARGIN) - MARGIN
        bottom = max(bottom, y + h)
        if p["type"] == "row":
            cells.append(f'<div class="row" style="left:{x:.0f}px;top:{y:.0f}px">{esc(p["title"])}</div>')
            continue
        series = fetch(p, prom, start, end, step, rate_interval)
        if not series:
            empty.append(p["title"])
        body_h = h - 30
        body = stat_html(p, series, w - 14, body_h - 6) if p["type"] == "stat" else \
            timeseries_svg(p, series, int(w - 2), int(body_h), start, end)
        cells.append(f'<div class="panel" style="left:{x:.0f}px;top:{y:.0f}px;width:{w:.0f}px;height:{h:.0f}px">'
                     f'<div class="ptitle" title="{esc(p.get("description", ""))}">{esc(p["title"])}</div>{body}</div>')
    fmt = lambda t: dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    variables = "".join(
        f'<div class="var"><b>{esc(v.get("label") or v["name"])}</b><span>{"Prometheus" if v["type"] == "datasource" else "All"}</span></div>'
        for v in dash.get("templating", {}).get("list", []))
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{esc(dash["title"])}</title><style>{CSS}</style></head>
<body><div class="top"><span class="crumb">Dashboards /</span><h1>{esc(dash["title"])}</h1>
<div class="time">{fmt(start)} to {fmt(end)} UTC &middot; step {step}s &middot; $__rate_interval = {esc(rate_interval)}</div></div>
<div class="vars">{variables}<div class="note">Rendered by dashboards/render.py from the dashboard's queries on live Prometheus data; not a Grafana screenshot</div></div>
<div class="grid" style="height:{bottom:.0f}px">{"".join(cells)}</div></body></html>"""
    return page, int(bottom + 100), empty


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dashboard", default="orchestrator.json")
    ap.add_argument("--prometheus", default="http://127.0.0.1:9090")
    ap.add_argument("--range", default="15m", help="time range ending at --end (default: now)")
    ap.add_argument("--end", type=float, default=None, help="end of the range, unix seconds")
    ap.add_argument("--step", type=int, default=0, help="query step in seconds (default: range / 300, at least 5)")
    ap.add_argument("--rate-interval", default="1m")
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--out", default="dashboard.html")
    a = ap.parse_args()
    end = a.end or time.time()
    span = parse_duration(a.range)
    step = a.step or max(5, span // 300)
    end = math.floor(end / step) * step
    with open(a.dashboard) as f:
        dash = json.load(f)
    page, height, empty = render(dash, a.prometheus.rstrip("/"), end - span, end, step, a.rate_interval, a.width)
    with open(a.out, "w") as f:
        f.write(page)
    for title in empty:
        print(f"render: no data: {title}", file=sys.stderr)
    print(height)


if __name__ == "__main__":
    main()
