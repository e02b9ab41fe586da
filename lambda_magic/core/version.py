"""The version of lambda_magic (one place; the package and the runtime version ARN read it)."""

__version__ = "0.1.0"
