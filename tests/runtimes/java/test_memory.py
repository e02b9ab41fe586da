"""Memory of a Java environment: the heap is sized from the function's memory (85%), a heap
that is full is Java's OutOfMemoryError as Lambda's Java runtime reports it (and the runtime
then ends), and a heap that cannot fit in the function's memory is the platform's
Runtime.OutOfMemory."""

from __future__ import annotations

from collections.abc import Callable

from lambda_magic import LambdaFunction
from tests.helpers import report_fields

Make = Callable[..., LambdaFunction]
MB = 1024 * 1024


def test_the_heap_is_sized_from_the_memory_setting(java_function: Make) -> None:
    for memory in (256, 1024):
        heap = java_function("mem.Hog::maxHeap", memory_size=memory).invoke({}).payload
        # maxMemory() is MaxHeapSize less one survivor space: a little under 85%.
        assert 0.80 * memory * MB < heap <= 0.85 * memory * MB, (memory, heap)


def test_a_full_heap_is_an_out_of_memory_error_and_ends_the_runtime(java_function: Make) -> None:
    fn = java_function("mem.Hog::array", memory_size=512)
    result = fn.invoke({"mb": 600})
    doc = result.payload
    assert (doc["errorType"], doc["errorMessage"]) == (
        "java.lang.OutOfMemoryError",
        "Java heap space",
    )
    assert doc["stackTrace"][0] == "mem.Hog.array(Hog.java:12)"
    assert "java.lang.OutOfMemoryError: Java heap space" in result.logs
    # A VirtualMachineError ends Lambda's Java runtime: the next invocation starts a new one.
    after = fn.invoke({"mb": 1})
    assert (after.payload, after.cold_start) == (1, True)


def test_a_heap_that_cannot_fit_is_runtime_out_of_memory(java_function: Make) -> None:
    # 85% of 128 MB for the heap, plus the JVM itself, is more than 128 MB.
    fn = java_function("mem.Hog::chunks", memory_size=128)
    result = fn.invoke({"mb": 120})
    assert result.error is not None and result.error.error_type == "Runtime.OutOfMemory"
    report = next(x for x in result.logs.splitlines() if x.startswith("REPORT"))
    fields = report_fields(report)
    assert (fields["Status"], fields["Error Type"]) == ("error", "Runtime.OutOfMemory")
    assert fn.invoke({"mb": 1}).payload == 1
