"""Fixtures of the provider differential tests (test_differential_*.py).

Each test runs a provider's official SDK and then our exchange (see provider_runner.py) against
the same capture server (provider_capture.py) with the same inputs, and compares the requests.
No test here needs the live `quartermaster dev` server of the parent conftest.
"""

from __future__ import annotations

import socket

import pytest

from provider_capture import CaptureCertificate, CaptureServer
from provider_runner import ExchangeRunner


@pytest.fixture
def runner(tmp_path) -> ExchangeRunner:
    return ExchangeRunner(tmp_path)


@pytest.fixture
def capture():
    server = CaptureServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def capture_certificate(tmp_path_factory) -> CaptureCertificate:
    return CaptureCertificate.create(tmp_path_factory.mktemp("capture-tls"))


@pytest.fixture
def tls_capture(capture_certificate):
    server = CaptureServer(tls=capture_certificate)
    yield server
    server.close()


@pytest.fixture
def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
