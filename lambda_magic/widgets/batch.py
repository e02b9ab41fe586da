"""The **Invoke ×N** field's bounds (the batch's figures are
:class:`~lambda_magic.views.batch.BatchSummary`, drawn by :func:`~lambda_magic.views.batch.batch_html`)."""

from __future__ import annotations

from lambda_magic.views.batch import BatchSummary as BatchSummary
from lambda_magic.views.batch import batch_html as batch_html

#: The **Invoke ×N** field accepts 1 to 100.
N_MIN, N_MAX, N_DEFAULT = 1, 100, 5


def clamp_n(value: int) -> tuple[int, str]:
    """``value`` brought into 1..100, and the message saying so (empty when it was in range)."""
    if value < N_MIN:
        return N_MIN, f"N must be at least {N_MIN}: set to {N_MIN}"
    if value > N_MAX:
        return N_MAX, f"N can be at most {N_MAX}: set to {N_MAX}"
    return value, ""
