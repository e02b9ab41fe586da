"""The errors the public API raises, for front doors (the magics, the Lambda API server) that
translate them: a bad value, a refused request (Lambda's 4xx), a throttle."""

from __future__ import annotations

from lambda_magic.core.errors import ConfigError, InvalidRequestError, TooManyRequestsError

__all__ = ["ConfigError", "InvalidRequestError", "TooManyRequestsError"]
