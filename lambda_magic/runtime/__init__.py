"""The built-in Python runtime that runs inside every execution environment.

Standard library only, and quick to start: it never imports the rest of lambda_magic. It speaks
Lambda's Runtime API (``AWS_LAMBDA_RUNTIME_API``) exactly as AWS's own runtime interface client
does, and reproduces its context object, error shapes and log formats.
"""
