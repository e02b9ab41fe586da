"""The host side of Lambda's Runtime API (``/2018-06-01/runtime/...``) over loopback HTTP/1.1."""
