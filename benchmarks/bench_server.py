"""The Lambda API server: a warm boto3 invoke through it against a warm ``fn.invoke`` in the
same run (boto3's own cost, measured against a trivial HTTP server, subtracted), and the
invocations per second it sustains from 4 client threads.

    .venv/bin/python benchmarks/bench_server.py            # ~30 s; writes server_results.json
    .venv/bin/python benchmarks/bench_server.py --quick    # a smoke run

Latency: one boto3 client and the server in this process (as a notebook calling its own
functions), a no-op handler (``return event``), a 1 KB event, interleaved rounds of the three
round trips. Throughput: 4 threads of one boto3 client each, in another process (callers from
outside), invoking for ``--seconds`` after a warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import boto3
import psutil
from botocore.config import Config

import lambda_magic
from lambda_magic import LambdaFunction

HERE = Path(__file__).resolve().parent
EVENT = {"data": "x" * 1000}
PAYLOAD = json.dumps(EVENT).encode()
NOOP = "def lambda_handler(event, context):\n    return event\n"
CREDENTIALS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "x"}


def client(url: str, pool: int = 10) -> Any:
    config = Config(retries={"total_max_attempts": 1}, max_pool_connections=pool)
    return boto3.client("lambda", endpoint_url=url, region_name="us-east-1", config=config,
                        **CREDENTIALS)  # fmt: skip


class TrivialServer:
    """The least an HTTP server can do for boto3: read the request, send a fixed 200 answer."""

    ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              b"X-Amz-Executed-Version: $LATEST\r\nContent-Length: %d\r\n\r\n%s"
              % (len(PAYLOAD), PAYLOAD))  # fmt: skip

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.threads: list[threading.Thread] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def _serve(self, conn: socket.socket) -> None:
        data = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                head, _, rest = data.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)  # fmt: skip
                while len(rest) < length:
                    rest += conn.recv(65536)
                data = rest[length:]
                conn.sendall(self.ANSWER)

    def close(self) -> None:
        self.sock.close()


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def latency(rounds: int, per_round: int) -> dict[str, Any]:
    fn = LambdaFunction(
        "bench-noop", code="def lambda_handler(event, context):\n    return event\n"
    )
    trivial = TrivialServer()
    with lambda_magic.serve(port=0) as server:
        ours, theirs = client(server.url), client(trivial.url)
        kinds = {
            "fn.invoke": lambda: fn.invoke(EVENT),
            "boto3 -> lambda_magic": lambda: ours.invoke(FunctionName="bench-noop",
                                                         Payload=PAYLOAD)["Payload"].read(),
            "boto3 -> trivial HTTP server": lambda: theirs.invoke(FunctionName="bench-noop",
                                                                  Payload=PAYLOAD)["Payload"].read(),
        }  # fmt: skip
        for run in kinds.values():  # warm-up: environments, connections, botocore's caches
            for _ in range(200):
                run()
        samples: dict[str, list[float]] = {k: [] for k in kinds}
        for _ in range(rounds):  # interleaved, so that the machine's noise hits all alike
            for name, run in kinds.items():
                for _ in range(per_round):
                    start = time.perf_counter()
                    run()
                    samples[name].append(time.perf_counter() - start)
        ours.close()
        theirs.close()
    trivial.close()
    fn.shutdown()
    p50 = {k: _p(v, 0.5) for k, v in samples.items()}
    overhead = p50["boto3 -> lambda_magic"] - p50["boto3 -> trivial HTTP server"]
    return {
        "p50_ms": p50,
        "p99_ms": {k: _p(v, 0.99) for k, v in samples.items()},
        "boto3_own_cost_ms": p50["boto3 -> trivial HTTP server"],
        "through_server_less_boto3_ms": overhead,
        "over_fn_invoke_ms": overhead - p50["fn.invoke"],
        "samples": {k: len(v) for k, v in samples.items()},
    }


def _clients(url: str, threads: int, seconds: float) -> None:
    """Child process: ``threads`` clients invoking for ``seconds``; prints the count."""
    stop = time.monotonic() + 1.0 + seconds
    counts = [0] * threads
    errors = [0] * threads

    def work(i: int) -> None:
        c = client(url, pool=1)
        warm_until = time.monotonic() + 1.0
        while time.monotonic() < stop:
            try:
                c.invoke(FunctionName="bench-noop", Payload=PAYLOAD)["Payload"].read()
            except Exception:  # noqa: BLE001 - counted, not fatal
                errors[i] += 1
                continue
            if time.monotonic() > warm_until:
                counts[i] += 1
        c.close()

    pool = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    time.sleep(1.2)  # the warm-up (imports, clients, connections) is not counted
    cpu, counted = time.process_time(), sum(counts)
    for t in pool:
        t.join()
    cpu, counted = time.process_time() - cpu, sum(counts) - counted
    print(json.dumps({"invocations": sum(counts), "errors": sum(errors), "seconds": seconds,
                      "client_cpu_ms_per_invoke": cpu / max(1, counted) * 1000}))  # fmt: skip


def _runtime_cpu(fn: LambdaFunction) -> float:
    total = 0.0
    for env in fn.environments:
        if env.pid is not None:
            times = psutil.Process(env.pid).cpu_times()
            total += times.user + times.system
    return total


def throughput(threads: int, seconds: float) -> dict[str, Any]:
    """Invokes per second from ``threads`` clients in another process, and the CPU time one
    invocation costs: the clients (boto3), this process (the server and lambda_magic), the
    environments' runtimes (counted over the whole run, warm-up included)."""
    fn = LambdaFunction("bench-noop", code=NOOP)
    with lambda_magic.serve(port=0) as server:
        cpu = time.process_time()
        out = subprocess.run(
            [sys.executable, __file__, "--clients", server.url, "--threads", str(threads),
             "--seconds", str(seconds)],
            capture_output=True, text=True, check=True, timeout=seconds + 120,
        )  # fmt: skip
        server_cpu = time.process_time() - cpu
        calls = server.calls.count
        runtime_cpu = _runtime_cpu(fn)
    fn.shutdown()
    found = json.loads(out.stdout.splitlines()[-1])
    found.update(per_second=found["invocations"] / seconds, threads=threads, answered=calls)
    found["cpu_ms_per_invoke"] = {
        "client (boto3)": found.pop("client_cpu_ms_per_invoke"),
        "server process": server_cpu / calls * 1000,
        "runtimes": runtime_cpu / calls * 1000,
    }
    found["two_core_capacity_per_s"] = 2000 / sum(found["cpu_ms_per_invoke"].values())
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--out", default=str(HERE / "server_results.json"))
    args = parser.parse_args()
    if args.clients:
        _clients(args.clients, args.threads, args.seconds)
        return 0
    rounds, per_round = (3, 100) if args.quick else (8, 500)
    seconds = 2.0 if args.quick else args.seconds
    result = {
        "latency": latency(rounds, per_round),
        "throughput": throughput(args.threads, seconds),
    }
    lat, thr = result["latency"], result["throughput"]
    for name, value in lat["p50_ms"].items():
        print(f"{name:32} p50 {value:.3f} ms  p99 {lat['p99_ms'][name]:.3f} ms")
    print(
        f"through the server, boto3's own cost subtracted: {lat['through_server_less_boto3_ms']:.3f}"
        f" ms p50, {lat['over_fn_invoke_ms']:+.3f} ms over fn.invoke (target <= 1.5 ms)"
    )
    print(
        f"{thr['threads']} client threads in another process: {thr['per_second']:.0f} invokes/s "
        f"({thr['errors']} errors; target >= 500/s)"
    )
    costs = ", ".join(f"{k} {v:.3f} ms" for k, v in thr["cpu_ms_per_invoke"].items())
    print(f"CPU per invoke: {costs}; 2 idle cores: {thr['two_core_capacity_per_s']:.0f}/s at most")
    result["load_average"] = list(os.getloadavg())
    if not args.quick:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
