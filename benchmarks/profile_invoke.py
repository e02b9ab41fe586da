"""Where a warm invoke's time goes, on both sides: ``python benchmarks/profile_invoke.py``.

Keeps a no-op function warm (1 KB event, 128 MB, freeze on unless ``--no-freeze``) and
profiles it two ways (``--how``):

* ``cprofile`` (the default for ``--mode warm``): ``--invokes`` invokes one after another
  under cProfile with each thread's own CPU clock, on the caller's thread, lambda_magic's I/O
  thread and the runtime's thread (see ``profile_cpu.py``): exact CPU per function and calls
  per invoke, no extra package needed;
* ``py-spy`` (the default for ``--mode many``): invokes for ``--seconds``, one after another
  (``--mode warm``) or through ``invoke_many`` at concurrency 10 (``--mode many``), while
  py-spy samples this process (every thread: the caller's, the I/O thread, a batch's workers)
  and the runtime's process (the first environment's) without stopping them
  (``--nonblocking``). It keeps the samples where a thread is running or runnable (idle
  threads are left out), so on a busy machine a thread that waits for a CPU after a wake-up
  counts too: the shares show where hand-offs wait, and the samples' times exceed the CPU
  measured meanwhile (printed beside them). The raw stacks (``<side>.txt``, py-spy's
  collapsed ``raw`` format) go to ``--out-dir``. Needs py-spy (``pip install -e
  '.[bench]'``) and the right to read another process's memory (root, or
  ``kernel.yama.ptrace_scope`` 0).

Both print, per thread, its CPU per invoke and the functions that dominate it, by self time
(the innermost frame) and by inclusive time (anywhere on the stack, without the thread's
entry path), and write that to ``--out-dir``/summary.md. Profiling slows the invokes down:
read the shares, not the absolute times (``run.py`` measures those).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_invoke import noop_function, runtime_pids  # noqa: E402
from proc import CpuMeter  # noqa: E402
from profile_cpu import profile_threads, short_path  # noqa: E402
from profile_cpu import summarize as summarize_cpu  # noqa: E402
from workers import make_event  # noqa: E402

THREAD = re.compile(r"^thread \((?:0x)?[0-9a-fA-F]+\): ?(.*)$")
FRAME = re.compile(r"^(.*) \((.*?)(?::\d+)?\)$")


def parse(path: str) -> dict[str, list[tuple[list[str], int]]]:
    """py-spy's raw output as ``{thread name: [(frames outermost first, count)]}``. Frames
    are ``function (file)`` without line numbers; a thread's trailing number (a pool's
    worker) is dropped so that the workers of one pool add up."""
    threads: dict[str, list[tuple[list[str], int]]] = defaultdict(list)
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            head, *frames = stack.split(";")
            match = THREAD.match(head)
            name = re.sub(r"_\d+$", "_N", match.group(1) or "?") if match else head
            threads[name].append(([_frame(f) for f in frames], int(count)))
    return threads


def _frame(text: str) -> str:
    match = FRAME.match(text)
    if not match:
        return text
    function, where = match.groups()
    return f"{function} ({short_path(where)})"


def summarize(
    side: str, threads: dict[str, list[tuple[list[str], int]]], rate: int, invokes: int, top: int
) -> list[str]:
    """Markdown lines: each thread's samples and its dominant functions."""
    lines = [f"### {side}", ""]
    ordered = sorted(threads.items(), key=lambda kv: -sum(c for _, c in kv[1]))
    for name, stacks in ordered:
        total = sum(c for _, c in stacks)
        per_invoke = total / rate / max(invokes, 1) * 1e6
        lines += [f"**{name}**: {total} samples, about {per_invoke:.0f} us on a CPU per invoke", ""]
        own: Counter[str] = Counter()
        inclusive: Counter[str] = Counter()
        for frames, count in stacks:
            if frames:
                own[frames[-1]] += count
            for frame in set(frames):
                inclusive[frame] += count
        lines += ["| self | function | | inclusive | function |", "|---:|---|---|---:|---|"]
        selfs, incs = own.most_common(top), _interesting(stacks, inclusive, total, top)
        for i in range(max(len(selfs), len(incs))):
            a = f"{selfs[i][1] / total:.0%} | `{selfs[i][0]}`" if i < len(selfs) else " | "
            b = f"{incs[i][1] / total:.0%} | `{incs[i][0]}`" if i < len(incs) else " | "
            lines.append(f"| {a} | | {b} |")
        lines.append("")
    return lines


def _interesting(
    stacks: list[tuple[list[str], int]], inclusive: Counter[str], total: int, top: int
) -> list[tuple[str, int]]:
    """The inclusive leaders, without the thread's entry path (the outer frames that at least
    95% of its samples share: its bootstrap, the benchmark's loop)."""
    entry: set[str] = set()
    for depth in range(max((len(f) for f, _ in stacks), default=0)):
        at: Counter[str] = Counter()
        for frames, count in stacks:
            if len(frames) > depth:
                at[frames[depth]] += count
        frame, count = at.most_common(1)[0] if at else ("", 0)
        if count < total * 0.95:
            break
        entry.add(frame)
    return [(f, c) for f, c in inclusive.most_common() if f not in entry][:top]


def _spy(pid: int, out: str, rate: int, seconds: float) -> subprocess.Popen[bytes]:
    exe = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
    if not os.path.exists(exe):
        raise SystemExit("py-spy is not installed: pip install -e '.[bench]'")
    command = [exe, "record", "--pid", str(pid), "--rate", str(rate), "--duration",
               str(int(seconds)), "--format", "raw", "--threads", "--nonblocking", "-o", out]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def profile(
    mode: str, seconds: int, rate: int, freeze: bool, out_dir: str
) -> tuple[int, int, dict[str, float]]:
    """Run the loop under py-spy; return how many invokes were made while it sampled, how
    many of them the profiled runtime handled, and the CPU per invoke measured meanwhile
    (this process, and every environment's)."""
    fn = noop_function("profile-invoke", freeze)
    event = make_event()
    try:
        if mode == "many":
            fn.invoke_many([event] * 200, concurrency=10)
        for _ in range(300):
            fn.invoke(event)
        sampled = fn.environments[0]  # the environment whose runtime is profiled
        runtime = runtime_pids(fn)[0] if mode == "warm" else sampled.pid
        assert runtime is not None
        before = sampled.invocations
        spies = [_spy(os.getpid(), os.path.join(out_dir, "caller.txt"), rate, seconds),
                 _spy(runtime, os.path.join(out_dir, "runtime.txt"), rate, seconds)]  # fmt: skip
        time.sleep(0.3)  # py-spy attached
        cpu = CpuMeter()
        cpu.start(pid for env in fn.environments for pid in env.sandbox.pids())
        invokes, started = 0, time.monotonic()
        while time.monotonic() - started < seconds:
            if mode == "many":
                invokes += len(fn.invoke_many([event] * 500, concurrency=10))
            else:
                fn.invoke(event)
                invokes += 1
        cpu.stop(invokes)
        for spy in spies:
            _, err = spy.communicate(timeout=60)
            if spy.returncode != 0:
                raise SystemExit(f"py-spy failed: {err.decode(errors='replace')[-500:]}")
        return invokes, sampled.invocations - before, cpu.per_operation_us()
    finally:
        fn.shutdown()


def _spy_summary(args: argparse.Namespace) -> list[str]:
    invokes, handled, cpu = profile(args.mode, args.seconds, args.rate, args.freeze, args.out_dir)
    lines = [f"# py-spy: {args.mode} invokes, freeze {'on' if args.freeze else 'off'}, "
             f"{args.seconds} s at {args.rate} Hz, {invokes} invokes "
             f"({invokes / args.seconds:.0f}/s while sampled)", "",
             f"CPU per invoke measured meanwhile: caller's process {cpu['caller']:.0f} us, "
             f"environments {cpu['other']:.0f} us. A sample counts a thread that is running or "
             "runnable, so on a busy machine the samples' times exceed these.", ""]  # fmt: skip
    for side, count in (("caller", invokes), ("runtime", handled)):
        threads = parse(os.path.join(args.out_dir, f"{side}.txt"))
        lines += summarize(f"{side} ({count} invokes)", threads, args.rate, count, args.top)
    return lines


def _cprofile_summary(args: argparse.Namespace) -> list[str]:
    if args.mode != "warm":
        raise SystemExit("--how cprofile profiles --mode warm only (use --how py-spy)")
    threads = profile_threads(args.invokes, args.freeze)
    head = (f"# cProfile, thread CPU time: {args.invokes} warm invokes one after another, "
            f"freeze {'on' if args.freeze else 'off'}")  # fmt: skip
    return [head, ""] + summarize_cpu(threads, args.invokes, args.top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("warm", "many"), default="warm")
    parser.add_argument("--how", choices=("cprofile", "py-spy"), default=None,
                        help="cprofile for --mode warm, py-spy for --mode many by default")  # fmt: skip
    parser.add_argument("--invokes", type=int, default=3000, help="invokes under cProfile")
    parser.add_argument("--seconds", type=int, default=10, help="how long py-spy samples")
    parser.add_argument("--rate", type=int, default=250, help="py-spy's samples per second")
    parser.add_argument("--no-freeze", dest="freeze", action="store_false")
    parser.add_argument("--top", type=int, default=12, help="functions listed per thread")
    parser.add_argument("--out-dir", default="/tmp/lambda_magic-profile")
    args = parser.parse_args(argv)
    how = args.how or ("cprofile" if args.mode == "warm" else "py-spy")
    os.makedirs(args.out_dir, exist_ok=True)
    lines = _cprofile_summary(args) if how == "cprofile" else _spy_summary(args)
    text = "\n".join(lines)
    with open(os.path.join(args.out_dir, "summary.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
