"""What an InvocationResult tells a reader without parsing log text."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.timeout(60)


def test_log_lines_pick_the_platform_lines_of_a_failed_init(make_function) -> None:
    fn = make_function("import not_installed_anywhere\ndef lambda_handler(e, c):\n    return 1\n")
    r = fn.invoke()
    init_reports = r.log_lines("INIT_REPORT")
    assert [line.split("\t")[1:] for line in init_reports] == [
        ["Phase: init", "Status: error", "Error Type: Runtime.ImportModuleError"],
        ["Phase: invoke", "Status: error", "Error Type: Runtime.ImportModuleError"],
    ]
    assert len(r.log_lines("REPORT")) == 1 and r.log_lines("REPORT")[0].startswith("REPORT ")
    assert r.log_lines() == r.logs.splitlines()
    assert r.suppressed_init  # the retry inside the invoke


def test_suppressed_init_is_the_init_inside_an_invoke_after_a_reset(make_function) -> None:
    fn = make_function(
        "import time\ndef lambda_handler(e, c):\n    time.sleep(e.get('sleep', 0))\n", timeout=1
    )
    cold = fn.invoke()
    warm = fn.invoke()
    late = fn.invoke({"sleep": 3})
    after = fn.invoke()
    assert cold.cold_start and not cold.suppressed_init  # a normal Init: Init Duration
    assert not warm.suppressed_init and not late.suppressed_init
    assert after.suppressed_init and after.report.init_duration_ms is None
    # the text timeline names that Init too
    assert repr(fn.timeline()) == (
        "env-1: Initializing → Invoking → Frozen → Invoking → Frozen → Invoking → Reset → "
        "Initializing (suppressed) → Invoking → Frozen"
    )
