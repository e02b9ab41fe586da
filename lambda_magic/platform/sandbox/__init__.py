"""Execution environment sandboxes: the manager process (stdlib only) and its host-side client."""
