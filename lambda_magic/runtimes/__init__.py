"""Runtimes other than the built-in Python one: their bootstraps and host-side helpers."""
