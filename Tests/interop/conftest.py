"""Harness: one live `quartermaster dev` for the whole session.

Before the server starts, two fake Kubernetes OIDC issuers come up on 127.0.0.1:
`test-k8s` (listed in the policy) and `unlisted-k8s` (not listed anywhere). The harness then
writes a policy naming the first, checks it with `quartermaster policy validate`, starts
`QUARTERMASTER_BIN dev --port P --data-dir D --policy POLICY` in a scratch directory, waits
for `GET /healthz`, reads the admin token from the server's output and, at the end, stops the
server with SIGTERM (SIGKILL after 10 s).

The policy uses identity fields of the issuer work (`token`, `kubernetes`, `may_act_for`).
If the binary under test does not know them yet, the harness starts the server with the same
policy minus those fields, so that everything else can still be exercised, and
`test_policy.py::test_policy_with_issuer_fields_validates` fails with the validator's
messages. Nothing is skipped.
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
from support import FakeKubernetesIssuer, Quartermaster

REPO_ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN_PATTERN = re.compile(r"qm_admin_[A-Za-z0-9_-]+")


def quartermaster_binary() -> Path:
    configured = os.environ.get("QUARTERMASTER_BIN", ".build/debug/quartermaster")
    path = Path(configured)
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
def qm(fake_clusters) -> Quartermaster:
    binary = quartermaster_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"no quartermaster binary at {binary} (set QUARTERMASTER_BIN or build first)", pytrace=False)

    listed, unlisted = fake_clusters
    scratch = Path(tempfile.mkdtemp(prefix="qm-interop-"))
    data_dir = scratch / "data"
    policy_path = scratch / "policy.yaml"

    full_policy = policy_yaml(listed.url)
    policy_path.write_text(full_policy, encoding="utf-8")
    valid, output = validate_policy(binary, policy_path, scratch)
    full_policy_problem = None
    policy_text = full_policy
    if not valid:
        full_policy_problem = output or "policy validate failed without output"
        policy_text = policy_yaml(listed.url, issuer_fields=False)
        policy_path.write_text(policy_text, encoding="utf-8")
        valid, output = validate_policy(binary, policy_path, scratch)
        if not valid:
            pytest.fail(f"even the base interop policy is invalid:\n{output}", pytrace=False)

    port = free_port()
    log_path = scratch / "server.log"
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [str(binary), "dev", "--port", str(port), "--data-dir", str(data_dir), "--policy", str(policy_path)],
        cwd=scratch,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"

    def output_so_far() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"quartermaster dev exited with {process.returncode}:\n{output_so_far()}", pytrace=False)
            try:
                if requests.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"/healthz did not answer within 60 s:\n{output_so_far()}", pytrace=False)
            time.sleep(0.1)

        admin_token = None
        deadline = time.monotonic() + 10
        while admin_token is None and time.monotonic() < deadline:
            match = ADMIN_TOKEN_PATTERN.search(output_so_far())
            if match:
                admin_token = match.group(0)
            else:
                time.sleep(0.05)
        if admin_token is None:
            pytest.fail(f"no admin token in the server output:\n{output_so_far()}", pytrace=False)

        yield Quartermaster(
            base_url=base_url,
            admin_token=admin_token,
            log_path=str(log_path),
            policy_text=policy_text,
            policy_path=str(policy_path),
            k8s=listed,
            unlisted_k8s=unlisted,
            full_policy_problem=full_policy_problem,
        )
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="session")
def issuer(qm) -> str:
    """The issuer the dev server uses: its own address."""
    return qm.issuer


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
