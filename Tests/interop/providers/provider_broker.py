"""A live broker for the provider differential tests whose exchange needs our secret store.

`quartermaster providers fetch` runs offline from a provider-instances.yaml alone, so an exchange
that reads its input from our secret store (an IBM `ibm_api_key` takes the key from
`api_key_secret`) cannot run through it. Such a test starts its own server instead:

    $QUARTERMASTER_BIN dev --port P --data-dir D --policy examples/policy.yaml --providers FILE

with FILE holding the test's instances (checked first with `quartermaster providers validate`),
reads the admin token the server prints, writes the secret the exchange needs over HTTP
(`PUT /v1/secrets/...`; the example policy's admin may write secrets) and watches the
refresher's state in `GET /v1/providers`. Until the secret exists the refresher fails and
retries with the instance's backoff; the next attempt after the write runs the exchange
against the capture server. The server is stopped with SIGTERM (SIGKILL after 10 s).

This is the real binary whatever QUARTERMASTER_EXCHANGE_RUNNER says: a probe replaces
`providers fetch` only, not the server.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from provider_runner import REPO_ROOT, to_yaml

ADMIN_TOKEN = re.compile(r"qm_admin_[A-Za-z0-9_-]+")
POLICY = REPO_ROOT / "examples" / "policy.yaml"
HTTP_TIMEOUT = 10


def quartermaster_binary() -> Path:
    """$QUARTERMASTER_BIN (default .build/debug/quartermaster), relative to the repository root."""
    configured = Path(os.environ.get("QUARTERMASTER_BIN", ".build/debug/quartermaster"))
    return configured if configured.is_absolute() else REPO_ROOT / configured


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveBroker:
    """One `quartermaster dev` of the test's own, brokering the instances it was given."""

    def __init__(self, scratch: Path, instances: dict):
        binary = quartermaster_binary()
        if not (binary.is_file() and os.access(binary, os.X_OK)):
            pytest.fail(f"no quartermaster binary at {binary} (set QUARTERMASTER_BIN)", pytrace=False)
        scratch.mkdir(parents=True, exist_ok=True)
        self.providers_path = scratch / "provider-instances.yaml"
        self.providers_path.write_text(to_yaml({"instances": instances}) + "\n", encoding="utf-8")
        checked = subprocess.run([str(binary), "providers", "validate", str(self.providers_path)], cwd=scratch,
                                 stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        if checked.returncode != 0:
            pytest.fail(f"`quartermaster providers validate` refused the test's file:\n{checked.stdout}{checked.stderr}\n"
                        f"{self.providers_path.read_text()}", pytrace=False)

        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = scratch / "server.log"
        self.log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(binary), "dev", "--port", str(self.port), "--data-dir", str(scratch / "data"),
             "--policy", str(POLICY), "--providers", str(self.providers_path)],
            cwd=scratch, stdin=subprocess.DEVNULL, stdout=self.log_file, stderr=subprocess.STDOUT,
        )
        try:
            self.wait_until_healthy()
            self.admin_token = self.read_admin_token()
        except BaseException:
            self.close()
            raise

    # ----------------------------------------------------------------------------------
    # Start and stop

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"quartermaster dev exited with {self.process.returncode}:\n{self.log_tail()}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"/healthz did not answer within 60 s:\n{self.log_tail()}", pytrace=False)
            try:
                if requests.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.05)

    def read_admin_token(self) -> str:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            match = ADMIN_TOKEN.search(self.log())
            if match:
                return match.group(0)
            time.sleep(0.05)
        pytest.fail(f"no admin token in the server output:\n{self.log_tail()}", pytrace=False)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log_file.close()

    # ----------------------------------------------------------------------------------
    # HTTP

    @property
    def admin_headers(self) -> dict:
        return {"Authorization": f"Bearer {self.admin_token}"}

    def put_secret(self, path: str, data: dict) -> None:
        response = requests.put(f"{self.base_url}/v1/secrets/{path}", json={"data": data}, headers=self.admin_headers, timeout=HTTP_TIMEOUT)
        assert response.status_code == 200, f"PUT /v1/secrets/{path}: {response.status_code} {response.text[:500]}\n{self.log_tail()}"

    def providers(self) -> dict[str, dict]:
        """`GET /v1/providers` (admin token): each instance's refresh state, by name."""
        response = requests.get(f"{self.base_url}/v1/providers", headers=self.admin_headers, timeout=HTTP_TIMEOUT)
        assert response.status_code == 200, f"GET /v1/providers: {response.status_code} {response.text[:500]}"
        return {entry["instance"]: entry for entry in response.json()["providers"]}

    def wait_for_status(self, instance: str, done, what: str, timeout: float = 10.0) -> dict:
        """Polls `GET /v1/providers` until `done(entry)` holds for `instance`; returns the entry."""
        deadline = time.monotonic() + timeout
        while True:
            entry = self.providers().get(instance)
            if entry is not None and done(entry):
                return entry
            if time.monotonic() > deadline:
                pytest.fail(f"{what}: not within {timeout:.0f} s; GET /v1/providers shows {instance} as {entry}\n{self.log_tail()}", pytrace=False)
            time.sleep(0.1)

    # ----------------------------------------------------------------------------------
    # Output

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, limit: int = 3000) -> str:
        return "server log (tail):\n" + self.log()[-limit:]
