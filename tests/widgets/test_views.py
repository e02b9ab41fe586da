"""The views as pure functions of snapshots, and the repaint throttle."""

from __future__ import annotations

import itertools
import re
import threading
import time

from lambda_magic import EnvState
from lambda_magic.views.html import COLORS, clock
from lambda_magic.views.state import diagram_html
from lambda_magic.views.timeline import MIN_ACTIVE_W, SUPPRESSED, _tick_label, _tick_step
from lambda_magic.widgets import EnvSnapshot, spans_of, state_html, timeline_svg
from lambda_magic.widgets.util import Throttle

S = EnvState
T0 = 1_800_000_000.0


def env(ident: str, *steps: tuple[float, EnvState], path: str | None = None) -> EnvSnapshot:
    history = tuple((T0 + offset, state) for offset, state in steps)
    return EnvSnapshot(ident, history[-1][1], history, shutdown_path=path)


WARM = env("env-1", (0, S.NEW), (0.0, S.INITIALIZING), (0.2, S.IDLE), (0.2, S.FROZEN),
           (1.0, S.INVOKING), (1.5, S.IDLE), (1.5, S.FROZEN))  # fmt: skip
ENDED = env("env-2", (0, S.NEW), (0.1, S.INITIALIZING), (0.3, S.IDLE), (0.3, S.INVOKING),
            (0.4, S.IDLE), (0.4, S.FROZEN), (2.0, S.SHUTTING_DOWN), (2.1, S.SHUT_DOWN),
            path="graceful")  # fmt: skip


def test_spans_follow_the_history() -> None:
    spans = spans_of(WARM, now=T0 + 4.0)
    assert [(s.kind, round(s.start - T0, 3), round(s.end - T0, 3)) for s in spans] == [
        ("Init", 0.0, 0.2), ("Idle", 0.2, 0.2), ("Frozen", 0.2, 1.0), ("Invoke", 1.0, 1.5),
        ("Idle", 1.5, 1.5), ("Frozen", 1.5, 4.0),
    ]  # fmt: skip
    assert [s.ongoing for s in spans] == [False] * 5 + [True]
    assert "now (ongoing)" in spans[-1].title() and "500.0 ms" in spans[3].title()
    ended = spans_of(ENDED, now=T0 + 9)
    assert ended[-1].kind == "Shutdown" and not ended[-1].ongoing
    assert round(ended[-1].seconds, 3) == 0.1


def test_svg_rows_spans_markers_and_legend() -> None:
    svg = timeline_svg([WARM, ENDED], now=T0 + 4.0)
    rects = re.findall(r'<rect class="lm-span" data-env="([\w-]+)" data-kind="(\w[\w ]*)" '
                       r'x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', svg)  # fmt: skip
    rows = {(e, y) for e, _k, _x, y, _w in rects}
    assert rows == {("env-1", "8.0"), ("env-2", "32.0")}  # one row per environment
    kinds = {(e, k) for e, k, *_ in rects}
    assert {
        ("env-1", "Init"),
        ("env-1", "Invoke"),
        ("env-1", "Frozen"),
        ("env-2", "Shutdown"),
    } <= kinds
    assert ("env-1", "Idle") not in kinds  # zero-length Idle before a freeze is not drawn
    assert all(float(w) >= MIN_ACTIVE_W for _e, k, _x, _y, w in rects if k in ("Init", "Invoke"))
    assert "env-2 shut down at" in svg and "(graceful)" in svg
    legend = re.findall(r'class="lm-legend"><title>([\w ]+):', svg)
    assert legend == ["Init", "Invoke", "Frozen", "Shutdown"]  # only the kinds drawn, in order
    colours = dict(re.findall(r'data-kind="(\w[\w ]*)" [^>]* fill="(#[0-9a-f]{6})"', svg))
    assert len(set(colours.values())) == len(colours)  # distinct colours per kind


def test_a_suppressed_init_is_drawn_apart_and_a_short_reset_stays_visible() -> None:
    timed_out = env("env-1", (0, S.NEW), (0.0, S.INITIALIZING), (0.005, S.IDLE),
                    (0.005, S.INVOKING), (1.005, S.RESET), (1.011, S.INITIALIZING),
                    (1.016, S.IDLE), (1.016, S.INVOKING), (1.017, S.IDLE), (1.017, S.FROZEN))  # fmt: skip
    now = T0 + 5.0  # 5 s across about 680 px: the 6 ms Reset is under one pixel of time
    kinds = [s.kind for s in spans_of(timed_out, now) if s.kind != "Idle"]
    assert kinds == ["Init", "Invoke", "Reset", SUPPRESSED, "Invoke", "Frozen"]
    svg = timeline_svg([timed_out], now)
    rects = re.findall(r'data-kind="([\w ]+)" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    drawn = sorted((float(x), float(x) + float(w), k) for k, x, w in rects)
    assert [k for *_, k in drawn] == kinds  # each one drawn, in time order
    for (_, end, _k), (start, _, _k2) in itertools.pairwise(drawn):
        assert start >= end - 0.01  # none hidden under the next one
    reset = next(d for d in drawn if d[2] == "Reset")
    assert reset[1] - reset[0] >= MIN_ACTIVE_W
    first_init = next(r for r in rects if r[0] == "Init")
    suppressed = re.search(r'<rect [^>]*data-kind="Suppressed Init"[^>]*>', svg)
    assert suppressed and 'stroke-dasharray="3 1.5"' in suppressed.group(0)
    assert f'fill="{COLORS["Init"]}"' not in suppressed.group(0) and first_init
    assert "no Init Duration; its time counts in Duration" in svg  # tooltip and legend
    legend = re.findall(r'class="lm-legend"><title>([\w ]+):', svg)
    assert legend == ["Init", SUPPRESSED, "Invoke", "Frozen", "Reset"]


def test_shifting_is_bounded_in_a_dense_burst() -> None:
    steps: list[tuple[float, EnvState]] = [(0, S.NEW), (0.0, S.INITIALIZING), (0.001, S.IDLE)]
    for n in range(200):  # 200 invokes of 0.1 ms, 1 ms apart: far below a pixel each
        steps += [(0.01 + n * 0.001, S.INVOKING), (0.0101 + n * 0.001, S.IDLE)]
    burst = env("env-1", *steps)
    svg = timeline_svg([burst], T0 + 60.0)
    xs = [float(x) for x in re.findall(r'data-kind="Invoke" x="([\d.]+)"', svg)]
    assert max(xs) < 64 + 2 * MIN_ACTIVE_W + 5  # drawn where they happened, not pushed along


def test_timeline_scale_and_ticks() -> None:
    assert _tick_step(10.0) == 2.0 and _tick_step(0.35) == 0.05 and _tick_step(600) == 100
    assert _tick_label(0.25, 0.05) == "+250 ms" and _tick_label(20, 5) == "+20 s"
    assert _tick_label(300, 100) == "+5 min"
    svg = timeline_svg([WARM], now=T0 + 4.0)
    assert f'text-anchor="start" font-size="10" fill="#6e7781">{clock(T0)[:8]}</text>' in svg
    assert ">+2 s</text>" in svg and ">+4 s</text>" in svg
    assert "The timeline starts with the first environment" in timeline_svg([], T0)


def test_state_diagram_lights_one_phase() -> None:
    assert diagram_html(S.INVOKING).count("lm-lit") == 1
    assert 'lm-phase lm-lit" title="Init' in diagram_html(S.INITIALIZING)
    assert 'lm-phase lm-lit" title="Shutdown' in diagram_html(S.SHUTTING_DOWN)
    assert "lm-lit" not in diagram_html(S.RESET) and "lm-lit" not in diagram_html(S.NEW)
    solid, pale = diagram_html(S.INVOKING), diagram_html(S.FROZEN)
    assert "color:#fff;background:#2f6fde" in solid and "background:#2f6fde22" in pale
    html = state_html([WARM, ENDED])
    assert 'data-env="env-1" data-state="Frozen"' in html and "shutdown: graceful" in html


def test_throttle_coalesces_bursts() -> None:
    calls: list[float] = []
    throttle = Throttle(lambda: calls.append(time.monotonic()), interval=0.1)
    begun = time.monotonic()
    for _ in range(200):
        throttle.request()
    time.sleep(0.3)
    assert 1 <= len(calls) <= 2 and not throttle.pending  # at once, then once for the rest
    assert calls[0] - begun < 0.05
    start = time.monotonic()
    deadline = start + 0.55
    while time.monotonic() < deadline:
        throttle.request()
        time.sleep(0.005)
    time.sleep(0.2)
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    assert 4 <= len(calls) - 1 <= 8 and min(gaps) >= 0.095, gaps
    throttle.close()


def test_throttle_flush_paints_now_and_survives_errors(capsys: object) -> None:
    painted: list[str] = []

    def paint() -> None:
        painted.append(threading.current_thread().name)
        if len(painted) == 1:
            raise ValueError("a broken view")

    throttle = Throttle(paint, interval=10)
    throttle.request()
    throttle.flush()
    assert painted == ["MainThread"]  # the pending paint ran here, and raised inside
    throttle.request()
    throttle.flush()
    assert len(painted) == 2
    throttle.flush()
    assert len(painted) == 2  # nothing pending: no paint
    throttle.request(delay=5)
    throttle.close()
    time.sleep(0.05)
    throttle.flush()
    assert len(painted) == 2 and not any(
        t.name == "lambda-panel-paint" for t in threading.enumerate()
    )


def test_a_scaled_out_pool_is_drawn_compactly_and_capped() -> None:
    from lambda_magic.views.timeline import MAX_ROWS, pick_rows

    live = [env(f"env-{n}", (0, S.NEW), (0.01 * n, S.INITIALIZING), (0.1, S.IDLE), (0.1, S.FROZEN))
            for n in range(4, 26)]  # fmt: skip
    ended = [env(f"env-{n}", (0, S.NEW), (0.0, S.INITIALIZING), (0.1, S.IDLE),
                 (0.5 + n, S.SHUTTING_DOWN), (0.6 + n, S.SHUT_DOWN)) for n in (1, 2, 3)]  # fmt: skip
    snaps = ended + live
    rows = pick_rows(snaps)
    assert len(rows) == MAX_ROWS == 20 and all(s.live for s in rows)  # live ones first
    assert [s.id for s in rows] == [f"env-{n}" for n in range(4, 24)]  # in their own order
    svg = timeline_svg(snaps, T0 + 5)
    labels = re.findall(r'class="lm-row-label"[^>]*>(env-\d+)<', svg)
    assert labels == [s.id for s in rows]
    assert "+5 more environments not shown (2 live, 3 shut down)" in svg
    assert 'height="10"' in svg and 'height="14"' not in svg.split('class="lm-legend"')[0]
    few = pick_rows(ended + live[:18])  # room for the two latest shut-down ones
    assert [s.id for s in few][:2] == ["env-2", "env-3"] and len(few) == 20
    assert "not shown" not in timeline_svg(snaps[:20], T0 + 5)


def test_many_environments_become_chips_and_provisioned_ones_are_marked() -> None:
    provisioned = EnvSnapshot(
        "env-1", S.FROZEN, ((T0, S.FROZEN),), init_type="provisioned-concurrency"
    )
    others = [env(f"env-{n}", (0, S.NEW), (0.1, S.INVOKING)) for n in range(2, 6)]
    full = state_html([provisioned, *others[:3]])
    assert full.count("lm-phase lm-lit") == 4 and ">provisioned</span>" in full
    chips = state_html([provisioned, *others])
    assert chips.count('class="lm-env lm-env-chip"') == 5 and "lm-phase" not in chips
    assert 'data-env="env-1" data-state="Frozen" data-phase="Invoke" ' in chips
    assert chips.count(">P</b>") == 1 and "provisioned concurrency" in chips
    svg = timeline_svg([provisioned, *others], T0 + 1)
    assert svg.count('class="lm-provisioned"') == 2 and ">provisioned</text>" in svg  # row, legend
