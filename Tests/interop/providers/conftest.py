"""Fixtures of the provider differential tests (test_differential_*.py).

Each test runs a provider's official SDK and then our exchange (see provider_runner.py) against
the same capture server (provider_capture.py) with the same inputs, and compares the requests.
No test here needs the live `quartermaster dev` server of the parent conftest; a test whose
exchange reads our secret store starts its own (`live_broker`, see provider_broker.py).
"""

from __future__ import annotations

import socket

import pytest

from provider_broker import LiveBroker
from provider_capture import CaptureCertificate, CaptureServer
from provider_runner import ExchangeRunner


@pytest.fixture
def runner(tmp_path) -> ExchangeRunner:
    return ExchangeRunner(tmp_path)


@pytest.fixture
def live_broker(tmp_path):
    """Starts a `quartermaster dev` of the test's own with the given provider instances
    (`live_broker(instances)`); every one started is stopped at the end of the test."""
    started: list[LiveBroker] = []

    def start(instances: dict) -> LiveBroker:
        broker = LiveBroker(tmp_path / f"broker-{len(started)}", instances)
        started.append(broker)
        return broker

    yield start
    for broker in started:
        broker.close()


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
