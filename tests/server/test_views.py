"""The panel's text and header, and the status, show versions, aliases and the endpoint."""

from __future__ import annotations

import lambda_magic
from lambda_magic.views.cards import StatusView
from lambda_magic.views.summary import header_html, summary_text


def test_the_panel_and_status_show_versions_aliases_and_the_endpoint(function) -> None:
    fn = function("shown", "def lambda_handler(e, c):\n    return 1\n")
    assert "Versions:" not in summary_text(fn, [], [])  # nothing published: as before
    fn.publish_version()
    fn.update_code("def lambda_handler(e, c):\n    return 2\n")
    fn.publish_version()
    fn.create_alias("live", "1", routing={"2": 0.25})
    with lambda_magic.serve(port=0) as server:
        text = summary_text(fn, [], [], endpoint=server.url)
        assert "Versions: versions 1, 2; aliases live -> 1 (75%), 2 (25%)" in text
        assert f"Lambda API: {server.url}" in text
        assert f"Lambda API {server.url}" in header_html(fn, server.url)
    fn.invoke(qualifier="2")
    status = repr(StatusView([fn]))
    assert "versions 1, 2; aliases live -> 1 (75%), 2 (25%)" in status
    assert " (v2) " in status  # the environment of version 2
