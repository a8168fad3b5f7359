"""What the cloud engines share: faults told apart by the SDKs' exception types, keys read through Settings."""

from __future__ import annotations

import httpx
import openai
import pytest

from minime.engines.cloud import CredentialsError, api_key, is_timeout, is_unreachable

REQUEST = httpx.Request("POST", "https://api.example.test/v1/images/edits")


def test_timeouts_are_known_by_their_types():
    assert is_timeout(httpx.ReadTimeout("slow", request=REQUEST))
    assert is_timeout(openai.APITimeoutError(request=REQUEST))
    assert is_timeout(TimeoutError())
    assert not is_timeout(httpx.ConnectError("refused", request=REQUEST))
    assert not is_timeout(ValueError("timeout in the text is not a timeout"))


def test_a_broken_connection_is_known_by_its_type():
    assert is_unreachable(httpx.ConnectError("refused", request=REQUEST))
    assert is_unreachable(httpx.RemoteProtocolError("cut off", request=REQUEST))
    assert is_unreachable(openai.APIConnectionError(request=REQUEST))
    assert is_unreachable(ConnectionResetError())
    assert not is_unreachable(openai.RateLimitError("slow down", response=httpx.Response(429, request=REQUEST), body=None))


def test_a_class_that_only_shares_a_name_is_not_taken_for_a_fault():
    class TimeoutException(Exception):
        pass

    class APIConnectionError(Exception):
        pass

    assert not is_timeout(TimeoutException()) and not is_unreachable(APIConnectionError())


def test_keys_come_through_settings_in_order(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in ("OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(CredentialsError, match="set GEMINI_API_KEY or GOOGLE_API_KEY"):
        api_key(("GEMINI_API_KEY", "GOOGLE_API_KEY"), "gemini")
    monkeypatch.setenv("GEMINI_API_KEY", "  ")  # blank counts as unset
    monkeypatch.setenv("GOOGLE_API_KEY", "google-key")
    assert api_key(("GEMINI_API_KEY", "GOOGLE_API_KEY"), "gemini") == "google-key"
    monkeypatch.setenv("GEMINI_API_KEY", "gemini-key")
    assert api_key(("GEMINI_API_KEY", "GOOGLE_API_KEY"), "gemini") == "gemini-key"
    # Settings also read a .env file in the working folder, as for every MINIME_ setting.
    (tmp_path / ".env").write_text("OPENAI_API_KEY=from-dotenv\n")
    assert api_key(("OPENAI_API_KEY",), "openai") == "from-dotenv"


def test_a_key_is_never_in_the_settings_repr(monkeypatch):
    from minime.settings import Settings

    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value-123456")
    assert "sk-secret-value-123456" not in repr(Settings()) and "sk-secret-value-123456" not in str(Settings())
