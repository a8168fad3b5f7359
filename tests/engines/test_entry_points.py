"""Third-party engines: a package names its engine in the `minime.engines` entry point group.

`make test` installs the tiny package in tests/fixtures/engine_plugin into the test environment, as a user
would install one with pip; these tests find it through the real entry point machinery.
"""

import json
import logging
import subprocess
import sys
from importlib.metadata import EntryPoint, PackageNotFoundError, version

import pytest

from minime.engines import ENGINES, get_engine
from minime.engines.base import load_entry_points

from ..conftest import FIXTURES


def test_the_installed_package_is_there():
    try:
        version("minime-sketch")
    except PackageNotFoundError:  # not a skip: without it the tests below would prove nothing
        pytest.fail("the test engine package is not installed; run the tests with `make test`")


def test_an_installed_engine_is_registered_with_what_it_says_of_itself():
    info = ENGINES["sketch"]
    assert info.runs_locally and not info.mesh
    assert info.label == "Sketch" and "silhouette" in info.summary
    assert list(ENGINES)[:5] == ["sculpt", "studio", "openai", "gemini", "diffusers"]  # built-ins first
    assert get_engine("sketch").name == "sketch"


def test_the_cli_lists_the_engine_and_makes_a_box_with_it(tmp_path):
    listed = subprocess.run([sys.executable, "-m", "minime", "engines"], capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0 and "sketch" in listed.stdout
    out = tmp_path / "ink.png"
    run = subprocess.run([sys.executable, "-m", "minime", "make", str(FIXTURES / "obama.jpg"), "--name", "Ink",
                          "--engine", "sketch", "-o", str(out), "--json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["engine"] == "sketch" and out.stat().st_size > 10_000


def _points(*pairs):
    return [EntryPoint(name=name, value=value, group="minime.engines") for name, value in pairs]


def test_a_plugin_cannot_take_a_built_in_name_and_a_broken_one_is_left_out(monkeypatch, caplog):
    monkeypatch.setattr("importlib.metadata.entry_points",
                        lambda group: _points(("sculpt", "minime_sketch:SketchEngine"), ("broken", "no_such_module:Engine"),
                                              ("cloudy", "minime_sketch:SketchEngine")))
    sculpt = ENGINES["sculpt"]
    monkeypatch.setattr("minime.engines.base.ENGINES", dict(ENGINES))
    from minime.engines import base

    with caplog.at_level(logging.WARNING, logger="minime.engines"):
        assert load_entry_points() == ["cloudy"]
    assert base.ENGINES["sculpt"] is sculpt and "broken" not in base.ENGINES
    assert "already has an engine" in caplog.text and "no_such_module" in caplog.text


def test_an_engine_that_does_not_say_it_runs_locally_needs_consent(monkeypatch):
    built = []

    class Remote:
        summary = "somewhere else"

        def __init__(self, **options):
            built.append(options)  # a plugin's own code: it must not run before consent

    class Sly:
        @property
        def runs_locally(self):  # not a plain True on the class: not taken as local
            return True

    monkeypatch.setattr("importlib.metadata.entry_points", lambda group: _points(("remote", "x:Remote"), ("sly", "x:Sly")))
    monkeypatch.setattr(EntryPoint, "load", lambda self: {"remote": Remote, "sly": Sly}[self.name])
    monkeypatch.setattr("minime.engines.base.ENGINES", dict(ENGINES))
    import minime
    from minime.engines import base
    from minime.engines.base import ConsentError, check_consent

    load_entry_points()
    assert not base.ENGINES["remote"].runs_locally and not base.ENGINES["sly"].runs_locally
    with pytest.raises(ConsentError, match="remote"):
        check_consent("remote", allow_cloud=False)
    for name in ("remote", "sly"):
        with pytest.raises(ConsentError, match=name):
            minime.make(FIXTURES / "obama.jpg", {"name": "Ada"}, engine=name, allow_cloud=False)
    assert built == []


def test_plugins_load_on_the_first_look_not_at_import():
    code = ("import sys, minime\n"
            "before = 'minime_sketch' in sys.modules\n"
            "info = minime.engines.ENGINES['sketch']\n"
            "print(before, 'minime_sketch' in sys.modules, info.label)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "True", "Sketch"]
    assert "circular" not in run.stderr and "could not be loaded" not in run.stderr
