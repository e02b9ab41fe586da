"""The magics of the server and of versions: %lambda_serve, %lambda_publish, %lambda_alias,
%lambda_invoke --qualifier; %lambda_status shows the server, versions, aliases, and the
functions created through the API."""

from __future__ import annotations

import json

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from lambda_magic import server as servers
from tests.server.conftest import client_for
from tests.server.test_control_plane import APP, package


@pytest.fixture
def shell(tmp_path, monkeypatch):
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    InteractiveShell.clear_instance()
    sh = InteractiveShell.instance()
    sh.run_line_magic("load_ext", "lambda_magic")
    yield sh
    sh.run_line_magic("unload_ext", "lambda_magic")
    InteractiveShell.clear_instance()


def test_serve_publish_alias_and_status(shell) -> None:
    shell.run_line_magic("config", "LambdaMagics.show_panel = False")
    with capture_output():
        shell.run_cell_magic(
            "lambda_handler", "greet", "def lambda_handler(e, c):\n    return 'v1'\n"
        )
    with capture_output() as out:
        handle = shell.run_line_magic("lambda_serve", "--port 0")
    assert handle is servers.current() and handle.url in out.stdout
    try:
        with capture_output() as out:
            shell.run_line_magic("lambda_publish", "greet --description first")
        assert "greet: version 1 (first release)" not in out.stdout
        assert "greet: version 1 (first): lambda_function.lambda_handler, 128 MB" in out.stdout
        with capture_output():
            shell.run_cell_magic(
                "lambda_handler", "greet", "def lambda_handler(e, c):\n    return 'v2'\n"
            )
            shell.run_line_magic("lambda_publish", "greet")
        with capture_output() as out:
            shell.run_line_magic("lambda_alias", "greet live 1 --weight 2=0.25")
        assert "greet:live -> 1 (75%), 2 (25%)" in out.stdout
        with capture_output():
            result = shell.run_line_magic("lambda_invoke", "greet --qualifier 1 --quiet {}")
        assert result.payload == "v1" and result.executed_version == "1"
        client = client_for(handle.url)
        client.create_function(FunctionName="zipped", Runtime="python3.11", Handler="app.handler",
                               Role="arn:aws:iam::123456789012:role/r",
                               Code={"ZipFile": package(APP)})  # fmt: skip
        answer = client.invoke(FunctionName="greet", Qualifier="live")
        assert json.loads(answer["Payload"].read()) in ("v1", "v2")
        client.close()
        status = repr(shell.run_line_magic("lambda_status", ""))
        assert "versions 1, 2; aliases live -> 1 (75%), 2 (25%)" in status
        assert "zipped: revision 1, python3.11, app.handler" in status  # created through the API
        assert f"Lambda API at {handle.url}: " in status
        assert shell.run_line_magic("lambda_function", "zipped").name == "zipped"
        with capture_output() as out:
            shell.run_line_magic("lambda_serve", "--calls 3")
        assert "Invoke greet:live" in out.stdout
        with pytest.raises(UsageError, match="must point|not only digits|invalid"):
            shell.run_line_magic("lambda_alias", "greet 12 1")
    finally:
        with capture_output() as out:
            shell.run_line_magic("lambda_serve", "--stop")
        from lambda_magic.api import live

        made = live.find("zipped")
        if made is not None:
            made.shutdown()
            live.forget(made)
    assert servers.current() is None and "stopped" in out.stdout
