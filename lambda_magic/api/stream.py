"""``fn.invoke_stream(event)``: a streamed response read as it is written.

A handler that streams (Node.js's ``awslambda.streamifyResponse``, or any runtime that POSTs its
response with ``Lambda-Runtime-Function-Response-Mode: streaming``) sends its body in chunks;
:class:`ResponseStream` yields each as soon as the Runtime API has it, the first one before the
handler ends, as ``InvokeWithResponseStream`` delivers ``PayloadChunk`` events. Once the stream
is read, :attr:`ResponseStream.result` is the invocation's result (its REPORT, an error in the
stream's trailers). A response that is not streamed comes as one chunk at the end.
"""

from __future__ import annotations

import dataclasses
import queue
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from lambda_magic.engine.result import InvocationResult

if TYPE_CHECKING:
    from lambda_magic.api.invocation_types import Prepared

_END = object()


class ResponseStream:
    """The chunks of one invocation's response, as they arrive (iterate it once).

    ``request_id`` and ``executed_version`` are known at once; the invocation runs on a thread
    of its own. An error that stops it before it runs (a throttle) is raised by the iteration.
    """

    def __init__(self, run: Callable[[Prepared], InvocationResult], prepared: Prepared) -> None:
        self._chunks: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._streamed = False
        self.result: InvocationResult | None = None
        self._error: BaseException | None = None
        invocation = dataclasses.replace(prepared.invocation, on_chunk=self._on_chunk)
        prepared = dataclasses.replace(prepared, invocation=invocation)
        #: The invocation's request id and the version it runs (``$LATEST`` or a number).
        self.request_id, self.executed_version = invocation.request_id, prepared.target.version
        self._thread = threading.Thread(
            target=self._run, args=(run, prepared), name="lambda-magic-stream", daemon=True
        )
        self._thread.start()

    def _on_chunk(self, data: bytes) -> None:
        self._streamed = True
        self._chunks.put(data)

    def _run(self, run: Callable[[Prepared], InvocationResult], prepared: Prepared) -> None:
        try:
            self.result = run(prepared)
            if not self._streamed and self.result.error is None and self.result.raw:
                self._chunks.put(self.result.raw)  # a buffered response: one chunk
        except BaseException as e:  # handed to the reader
            self._error = e
        finally:
            self._chunks.put(_END)

    def __iter__(self) -> Iterator[bytes]:
        while True:
            item = self._chunks.get()
            if item is _END:
                break
            assert isinstance(item, bytes)
            yield item
        self._thread.join()
        if self._error is not None:
            raise self._error

    def read(self) -> bytes:
        """The whole body (waits for the end)."""
        return b"".join(self)
