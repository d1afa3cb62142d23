"""Harness: one live `quartermaster dev` for the whole session.

Before the server starts, two fake Kubernetes OIDC issuers come up on 127.0.0.1:
`test-k8s` (listed in the policy) and `unlisted-k8s` (not listed anywhere), and three fake
attestation services: `trusted` (listed in the policy's `attestation` section), `unlisted`
(listed nowhere) and `offline` (listed, then stopped, so the server cannot reach it). The
harness then writes a policy naming the listed ones, checks it with `quartermaster policy
validate`, starts `QUARTERMASTER_BIN dev --port P --data-dir D --policy POLICY` in a scratch
directory, waits for `GET /healthz`, reads the admin token from the server's output and, at
the end, stops the server with SIGTERM (SIGKILL after 10 s).

The policy uses identity fields of the issuer work (`token`, `kubernetes`, `may_act_for`) and
the fields of the transit work (`attestation`, grant `lease` terms, `key_version` and
`attestation_measurement` conditions). If the binary under test does not know one group yet,
the harness starts the server with the same policy minus that group, so that everything else
can still be exercised, and `test_policy.py` fails with the validator's messages. Nothing is
skipped.

test_root_keys.py rotates the root key that seals everything the server stores; it is moved
to the end of the session so that nothing else runs after a re-seal it did not expect.

Every test must leave the server alive: if it crashed, that test errors with the crash
message and the server is restarted on the same port and data directory (same issuer, keys,
clients and admin token) so the remaining tests still say something.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from policies import policy_yaml
from support import free_port, quartermaster_binary, FakeAttestationService, FakeKubernetesIssuer, Quartermaster

REPO_ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN_PATTERN = re.compile(r"qm_admin_[A-Za-z0-9_-]+")






def validate_policy(binary: Path, path: Path, cwd: Path) -> tuple[bool, str]:
    result = subprocess.run(
        [str(binary), "policy", "validate", str(path)],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode == 0, (result.stdout + result.stderr).strip()


# --------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def fake_clusters():
    listed = FakeKubernetesIssuer("test-k8s")
    unlisted = FakeKubernetesIssuer("unlisted-k8s")
    yield listed, unlisted
    listed.close()
    unlisted.close()


@pytest.fixture(scope="session")
def attestation_services():
    """(trusted, unlisted, offline): the offline one is stopped before the server starts, so
    its URL names a listed attestation service nobody answers for."""
    trusted = FakeAttestationService("trusted-attestation")
    unlisted = FakeAttestationService("unlisted-attestation")
    offline = FakeAttestationService("offline-attestation")
    offline.close()
    yield trusted, unlisted, offline
    trusted.close()
    unlisted.close()


class ServerProcess:
    """One `quartermaster dev` process; restartable on the same port and data directory
    (so the issuer URL, keys, clients and admin token stay the same) after a crash."""

    def __init__(self, binary: Path, scratch: Path, policy_path: Path):
        self.binary = binary
        self.scratch = scratch
        self.data_dir = scratch / "data"
        self.policy_path = policy_path
        self.log_path = scratch / "server.log"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = open(self.log_path, "ab")
        self.crashes: list[str] = []

    def output(self, limit: int = 4000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-limit:]

    def start(self) -> None:
        self.log_offset = self.log_path.stat().st_size
        self.process = subprocess.Popen(
            [str(self.binary), "dev", "--port", str(self.port), "--data-dir", str(self.data_dir), "--policy", str(self.policy_path)],
            cwd=self.scratch,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while not self.healthy():
            if self.process.poll() is not None:
                pytest.fail(f"quartermaster dev exited with {self.process.returncode}:\n{self.output()}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"/healthz did not answer within 60 s:\n{self.output()}", pytrace=False)
            time.sleep(0.1)

    def healthy(self) -> bool:
        try:
            return requests.get(f"{self.base_url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def admin_token(self) -> str:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            match = ADMIN_TOKEN_PATTERN.search(self.output(100_000))
            if match:
                return match.group(0)
            time.sleep(0.05)
        pytest.fail(f"no admin token in the server output:\n{self.output()}", pytrace=False)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def recover(self) -> str | None:
        """After a test: if the server stopped answering, collect why, restart it and return
        a description of the crash; None when it is fine."""
        if self.process is None or (self.process.poll() is None and self.healthy()):
            return None
        try:
            self.process.wait(timeout=30)  # a crashing Swift binary prints its backtrace first
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        crash_log = self.log_path.read_text(encoding="utf-8", errors="replace")[self.log_offset:]
        lines = [line for line in crash_log.splitlines() if re.search(r"Fatal error|Assertion failed|crashed|Precondition failed|error:", line)]
        description = f"exit status {self.process.returncode}; " + (" | ".join(lines[:4]) or crash_log[-800:])
        self.crashes.append(description)
        self.start()
        return description


@pytest.fixture(scope="session")
def server(fake_clusters, attestation_services):
    binary = quartermaster_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"no quartermaster binary at {binary} (set QUARTERMASTER_BIN or build first)", pytrace=False)

    listed, _ = fake_clusters
    trusted, _, offline = attestation_services
    scratch = Path(tempfile.mkdtemp(prefix="qm-interop-"))
    policy_path = scratch / "policy.yaml"

    def policy(**options) -> str:
        return policy_yaml(listed.url, attestation_issuers=[trusted.url, offline.url], **options)

    def problem(**options) -> str | None:
        """None when the policy written with `options` validates, else what the validator said."""
        policy_path.write_text(policy(**options), encoding="utf-8")
        valid, output = validate_policy(binary, policy_path, scratch)
        return None if valid else (output or "policy validate failed without output")

    # Each group of new fields is checked on its own (the other group left out), so that a
    # binary that lacks one group still runs everything else.
    full_policy_problem = transit_policy_problem = None
    if problem() is not None:
        full_policy_problem = problem(transit_fields=False)
        transit_policy_problem = problem(issuer_fields=False)
    options = {"issuer_fields": full_policy_problem is None, "transit_fields": transit_policy_problem is None}
    policy_text = policy(**options)
    policy_path.write_text(policy_text, encoding="utf-8")
    valid, output = validate_policy(binary, policy_path, scratch)
    if not valid:
        pytest.fail(f"even the base interop policy ({options}) is invalid:\n{output}", pytrace=False)

    process = ServerProcess(binary, scratch, policy_path)
    try:
        process.start()
        process.policy_text = policy_text
        process.policy_options = options
        process.full_policy_problem = full_policy_problem
        process.transit_policy_problem = transit_policy_problem
        yield process
    finally:
        process.stop()
        process.log.close()
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="session")
def qm(server, fake_clusters, attestation_services) -> Quartermaster:
    listed, unlisted = fake_clusters
    trusted, unlisted_attestation, offline = attestation_services
    return Quartermaster(
        base_url=server.base_url,
        admin_token=server.admin_token(),
        log_path=str(server.log_path),
        policy_text=server.policy_text,
        policy_path=str(server.policy_path),
        k8s=listed,
        unlisted_k8s=unlisted,
        full_policy_problem=server.full_policy_problem,
        attestation=trusted,
        unlisted_attestation=unlisted_attestation,
        offline_attestation=offline,
        transit_policy_problem=server.transit_policy_problem,
        policy_options=server.policy_options,
    )


@pytest.fixture(autouse=True)
def server_survives(request):
    """Every test must leave the server running. If it crashed, this test errors with the
    crash, and the server is restarted (same port, same data) for the tests that follow."""
    yield
    if "server" not in request.fixturenames and "qm" not in request.fixturenames:
        return
    crash = request.getfixturevalue("server").recover()
    if crash:
        pytest.fail(f"quartermaster crashed during this test and was restarted: {crash}", pytrace=False)


@pytest.fixture(scope="session")
def issuer(qm) -> str:
    """The issuer the dev server uses: its own address."""
    return qm.issuer


LAST_MODULES = ("test_root_keys.py",)


def pytest_collection_modifyitems(session, config, items):
    """Root-key rotation re-seals everything the server stores: run it after every other test."""
    items.sort(key=lambda item: item.path.name in LAST_MODULES)  # stable: keeps the order otherwise


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, attach the tail of the server log to the report."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        qm = item.funcargs.get("qm") if hasattr(item, "funcargs") else None
        if isinstance(qm, Quartermaster):
            tail = qm.server_log()[-1500:]
            if tail:
                report.sections.append(("quartermaster server log (tail)", tail))
