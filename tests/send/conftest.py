from __future__ import annotations

import pytest

from send.helpers import start_server


@pytest.fixture
def smtp_server():
    server = start_server()
    yield server
    server.controller.stop()


@pytest.fixture
def fast_retries(monkeypatch):
    import rolereport.send

    monkeypatch.setattr(rolereport.send, "BACKOFF", 0.01)
