"""Runtimes other than the built-in Python one: the Node.js bootstrap (``node/``) and the host's
helpers that prepare a function for them (``npm_install``)."""
