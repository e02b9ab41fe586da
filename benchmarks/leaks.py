"""Caller resources over the full counts: ``python benchmarks/leaks.py``.

Runs 10,000 sequential warm invokes, then 200 cold starts (alternately ``fn.reset()`` + invoke
and a brand-new ``LambdaFunction`` + invoke + ``shutdown()``), and checks at each checkpoint
that:

* the caller's open file descriptors and threads have not grown from their baseline (each
  checkpoint is taken in the baseline's state: one environment, just warm-invoked);
* the caller's RSS grew by at most ``--rss-slack-mb`` (default 4 MiB, see below);
* the caller's only child is the sandbox manager, and nothing is a zombie;
* the manager's children are exactly the live runtimes, plus at most one spare child forked
  ahead of the next cold start (no zombie, no orphan: orphans of a
  sandbox are re-parented to the manager, its child subreaper), its descriptors are flat,
  and no process sits in a lambda_magic cgroup other than a live runtime;
* the manager's sandbox cgroups and the function work directories are only those of live
  environments and functions.

Exit status 0 when everything is flat, 1 otherwise (each failure is printed).

The baseline is taken after a warm-up of ``--warmup`` invokes and cold starts that fills the
structures lambda_magic bounds by design (the last 1,000 results per function, the last
10,000 log events per function: 3 per warm invoke), so that their filling is not mistaken
for a leak. What remains is allocator noise: CPython's pymalloc arenas and glibc's heap do
not return every freed page, and fragmentation after thousands of short-lived objects moves
RSS by one or two MiB either way; 4 MiB is twice that, and still far below what a real leak
over these counts shows (one leaked result per invoke is > 10 MiB over 10,000 invokes; one
leaked environment object per cold start is several MiB over 200).
"""

from __future__ import annotations

import argparse
import gc
import glob
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import psutil

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_invoke import noop_function
from workers import make_event

from lambda_magic import LambdaFunction
from lambda_magic.platform.sandbox.client import get_manager

MIB = 1024 * 1024


@dataclass
class Snapshot:
    """What the checks compare at one checkpoint."""

    label: str
    fds: int
    threads: int
    rss_mb: float
    manager_fds: int
    caller_children: list[int]
    manager_children: dict[int, str]  # pid -> psutil status
    live_runtimes: set[int]
    spares: set[int]  # the manager's spare child, forked ahead of the next cold start
    cgroup_members: set[int]
    sandbox_cgroups: int
    work_dirs: int
    problems: list[str] = field(default_factory=list)


def _live_functions() -> list[LambdaFunction]:
    from lambda_magic.api.live import live

    return live()


def _live_runtimes() -> set[int]:
    return {env.pid for fn in _live_functions() for env in fn.environments if env.pid is not None}


def _cgroup_root() -> str | None:
    """The manager's cgroup directory (memory or v2 hierarchy), found from /proc."""
    pid = get_manager().process.pid
    for pattern in (
        f"/sys/fs/cgroup/memory/**/lambda_magic-{pid}",
        f"/sys/fs/cgroup/**/lambda_magic-{pid}",
    ):
        found = glob.glob(pattern, recursive=True)
        if found:
            return found[0]
    return None


def _cgroup_members(root: str | None) -> tuple[set[int], int, set[int]]:
    """Members of sandbox cgroups, how many sandbox cgroups, and the spare's pid(s)."""
    if root is None:
        return set(), 0, set()
    members: set[int] = set()
    spares: set[int] = set()
    groups = [d for d in glob.glob(os.path.join(root, "*")) if os.path.isdir(d)]
    for group in groups:
        with open(os.path.join(group, "cgroup.procs")) as f:
            pids = {int(x) for x in f.read().split()}
        (spares if os.path.basename(group).startswith("spare-") else members).update(pids)
    sandboxes = sum(1 for g in groups if not os.path.basename(g).startswith("spare-"))
    return members, sandboxes, spares


def _work_dirs() -> int:
    from lambda_magic.platform import package

    base = package.BASE
    return len(os.listdir(base)) if base and os.path.isdir(base) else 0


def _wait_for_spare(root: str | None, timeout: float = 2.0) -> None:
    """Let the manager fork its spare child (it does so once idle), so that every checkpoint
    counts the manager's descriptors in the same state."""
    deadline = time.monotonic() + timeout
    while root and time.monotonic() < deadline:
        if glob.glob(os.path.join(root, "spare-*")):
            return
        time.sleep(0.01)


def snapshot(label: str, cgroup_root: str | None) -> Snapshot:
    """Measure everything the checks look at (after a collection, to drop cycles)."""
    _wait_for_spare(cgroup_root)
    gc.collect()
    me = psutil.Process()
    manager = psutil.Process(get_manager().process.pid)
    members, groups, spares = _cgroup_members(cgroup_root)
    return Snapshot(
        label=label, fds=me.num_fds(), threads=me.num_threads(),
        rss_mb=me.memory_info().rss / MIB, manager_fds=manager.num_fds(),
        caller_children=[c.pid for c in me.children()],
        manager_children={c.pid: c.status() for c in manager.children()},
        live_runtimes=_live_runtimes(), spares=spares, cgroup_members=members, sandbox_cgroups=groups,
        work_dirs=_work_dirs(),
    )  # fmt: skip


def check(snap: Snapshot, base: Snapshot, rss_slack_mb: float) -> list[str]:
    """What is wrong at ``snap`` compared with the baseline ``base``."""
    found: list[str] = []
    for name in ("fds", "threads", "manager_fds", "work_dirs"):
        if getattr(snap, name) > getattr(base, name):
            found.append(f"{name}: {getattr(base, name)} -> {getattr(snap, name)}")
    if snap.rss_mb - base.rss_mb > rss_slack_mb:
        found.append(f"caller RSS grew {snap.rss_mb - base.rss_mb:.1f} MiB (> {rss_slack_mb} MiB)")
    if snap.caller_children != [get_manager().process.pid]:
        found.append(f"caller children {snap.caller_children} are not just the manager")
    zombies = [p for p, s in snap.manager_children.items() if s == psutil.STATUS_ZOMBIE]
    if zombies:
        found.append(f"zombie children of the manager: {zombies}")
    if len(snap.spares) > 1:
        found.append(f"more than one spare child: {sorted(snap.spares)}")
    if set(snap.manager_children) - snap.spares != snap.live_runtimes:
        found.append(f"manager children {sorted(snap.manager_children)} != live runtimes "
                     f"{sorted(snap.live_runtimes)} (+ spare {sorted(snap.spares)})")  # fmt: skip
    if not snap.cgroup_members <= snap.live_runtimes:
        found.append(f"processes in sandbox cgroups that are not live runtimes: "
                     f"{sorted(snap.cgroup_members - snap.live_runtimes)}")  # fmt: skip
    live_envs = sum(len(fn.environments) for fn in _live_functions())
    if snap.sandbox_cgroups != live_envs:
        found.append(f"{snap.sandbox_cgroups} sandbox cgroups for {live_envs} live environments")
    return found


def settled(label: str, base: Snapshot | None, root: str | None, slack: float) -> Snapshot:
    """A snapshot, retried for up to 2 s while it differs from the baseline: descriptors of
    exited runtimes are closed asynchronously on lambda_magic's I/O thread."""
    deadline = time.monotonic() + 2.0
    while True:
        snap = snapshot(label, root)
        snap.problems = check(snap, base, slack) if base is not None else []
        if not snap.problems or time.monotonic() > deadline:
            return snap
        time.sleep(0.05)


def warm_invokes(fn: LambdaFunction, count: int, event: dict[str, Any]) -> None:
    """``count`` sequential invokes, each checked."""
    for _ in range(count):
        result = fn.invoke(event)
        if not result.ok:
            raise RuntimeError(f"invoke failed: {result!r}")


def cold_starts(fn: LambdaFunction, count: int, event: dict[str, Any], start: int = 0) -> None:
    """``count`` cold starts: even ones ``fn.reset()`` + invoke, odd ones a new function."""
    for i in range(start, start + count):
        if i % 2 == 0:
            fn.reset()
            result = fn.invoke(event)
        else:
            other = noop_function(f"leaks-fresh-{i}", True)
            result = other.invoke(event)
            other.shutdown()
            del other
        if not (result.ok and result.cold_start):
            raise RuntimeError(f"cold start failed: {result!r}")


def _row(snap: Snapshot, base: Snapshot) -> str:
    status = "ok" if not snap.problems else "; ".join(snap.problems)
    return (f"| {snap.label} | {snap.fds} | {snap.threads} | {snap.rss_mb:.1f} "
            f"({snap.rss_mb - base.rss_mb:+.1f}) | {snap.manager_fds} | {len(snap.manager_children)} "
            f"| {len(snap.live_runtimes)} | {status} |")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the phases, print a table of checkpoints; 1 if anything grew or leaked."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--invokes", type=int, default=10_000)
    parser.add_argument("--cold", type=int, default=200)
    parser.add_argument(
        "--warmup", type=int, default=4_000, help="warm-up invokes before the baseline"
    )
    parser.add_argument("--checkpoints", type=int, default=5, help="checkpoints per phase")
    parser.add_argument("--rss-slack-mb", type=float, default=4.0)
    args = parser.parse_args(argv)
    event = make_event()
    fn = noop_function("leaks", True)
    warm_invokes(fn, args.warmup, event)
    cold_starts(fn, 20, event, start=0)  # first cold starts: imports, caches, pools
    warm_invokes(fn, 1, event)
    root = _cgroup_root()
    base = settled("baseline", None, root, args.rss_slack_mb)
    snaps = [base]
    phases = (("invokes", args.invokes, warm_invokes), ("cold starts", args.cold, None))
    for phase, count, run in phases:
        step = -(-count // args.checkpoints)
        done = 0
        while done < count:
            n = min(step, count - done)
            if run is not None:
                run(fn, n, event)
            else:
                cold_starts(fn, n, event, start=done)
                warm_invokes(fn, 1, event)  # the same state as the baseline: one warm invoke
            done += n
            snaps.append(settled(f"{done} {phase}", base, root, args.rss_slack_mb))
    print("| checkpoint | caller fds | threads | RSS MiB (vs base) | manager fds | manager children "
          "| live runtimes | problems |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for snap in snaps:
        print(_row(snap, base))
    fn.shutdown()
    failed = any(s.problems for s in snaps)
    print(f"\nRSS slack allowed: {args.rss_slack_mb} MiB. Result: {'LEAK' if failed else 'flat'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
