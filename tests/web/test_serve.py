"""`minime serve`: its options, what it hands uvicorn, and its hint when the web extra is missing."""

from __future__ import annotations

import builtins

from typer.testing import CliRunner

from minime.cli import app

runner = CliRunner()


def test_serve_runs_the_app_on_loopback(monkeypatch):
    import uvicorn

    seen = {}

    def fake_run(asgi, *, host, port, **options):
        seen.update(app=asgi, host=host, port=port)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = runner.invoke(app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert "http://127.0.0.1:8123" in result.output
    seen["app"].state.jobs.close()
    # On loopback the app answers only to loopback names (no DNS rebinding).
    middleware = [m for m in seen["app"].user_middleware if m.cls.__name__ == "ClientMiddleware"][0]
    assert middleware.kwargs["allowed_hosts"] == ("127.0.0.1", "localhost", "::1")


def test_serve_without_the_web_extra_says_how_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_uvicorn(name, *args, **kwargs):
        if name == "uvicorn":
            raise ImportError("No module named 'uvicorn'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert "pip install 'minime[web]'" in result.output
    assert "Traceback" not in result.output


def test_serve_help_lists_host_and_port():
    result = runner.invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output
