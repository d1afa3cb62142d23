"""Acknowledged secret writes and their audit records survive SIGKILL (issue 4, reliability).

A server with its own data directory takes a stream of secret writes, each read back once,
from several threads; it is killed with SIGKILL in the middle of the stream, restarted on the
same storage, and every version it acknowledged (HTTP 200) must read back with exactly the
value written. Every acknowledged write and read must have its audit record, in an intact
chain: on SQLite these records were in the audit journal, not yet in the table, when the
process died. Runs on SQLite and, when QUARTERMASTER_TEST_POSTGRES_URL is set (scripts/test
arranges it), on PostgreSQL.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from support import free_port, quartermaster_binary

ADMIN_TOKEN = re.compile(r"qm_admin_[A-Za-z0-9_-]+")

POLICY = """\
version: 1
identities:
  - name: admin
    kind: human
    roles: [admin]
roles:
  - name: admin
    grants:
      - actions: ["*"]
        resources: ["sys/**", "secret/**"]
"""

BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("QUARTERMASTER_TEST_POSTGRES_URL") else [])


def start(config: Path, cwd: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(quartermaster_binary()), "serve", "--config", str(config)],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            time.sleep(0.05)
    else:
        process.kill()
        raise AssertionError("the server did not answer /healthz")
    return process


def read_token(process: subprocess.Popen) -> str:
    deadline = time.time() + 10
    while time.time() < deadline:
        line = process.stdout.readline()
        match = ADMIN_TOKEN.search(line)
        if match:
            return match.group(0)
    raise AssertionError("no admin token in the server output")


def audit_reasons(session: requests.Session, port: int, headers: dict[str, str]) -> dict[tuple[str, str], list[str]]:
    """Every audit record's reason, by (action, resource), read page by page. A short page
    ends the walk: each page request is itself audited, so the log never stops growing."""
    reasons: dict[tuple[str, str], list[str]] = {}
    after = 0
    while True:
        page = session.get(f"http://127.0.0.1:{port}/v1/audit", params={"after": after, "limit": 1000}, headers=headers, timeout=30).json()["records"]
        for record in page:
            reasons.setdefault((record["action"], record["resource"]), []).append(record["reason"])
        if len(page) < 1000:
            return reasons
        after = page[-1]["sequence"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_acknowledged_writes_survive_sigkill(tmp_path: Path, backend: str) -> None:
    port = free_port()
    (tmp_path / "policy.yaml").write_text(POLICY)
    storage = f"sqlite:{tmp_path / 'qm.db'}"
    if backend == "postgres":
        storage = os.environ["QUARTERMASTER_TEST_POSTGRES_URL"]
    (tmp_path / "config.yaml").write_text(
        f"listen: 127.0.0.1:{port}\nstorage: {storage}\ndata_dir: {tmp_path / 'data'}\n"
        f"initial_policy: {tmp_path / 'policy.yaml'}\n"
    )
    server = start(tmp_path / "config.yaml", tmp_path, port)
    token = read_token(server)
    headers = {"Authorization": f"Bearer {token}"}
    run = uuid.uuid4().hex[:8]
    acknowledged: list[tuple[str, int, str]] = []
    reads: list[tuple[str, int]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(index: int) -> None:
        session = requests.Session()
        n = 0
        while not stop.is_set():
            # One path per write, so that version pruning (10 per path) plays no part.
            path = f"crash/{run}/writer-{index}/{n}"
            value = f"{index}-{n}"
            try:
                response = session.put(f"http://127.0.0.1:{port}/v1/secrets/{path}", json={"data": {"n": value}}, headers=headers, timeout=5)
            except requests.RequestException:
                return
            if response.status_code == 200:
                version = response.json()["data"]["version"]
                with lock:
                    acknowledged.append((path, version, value))
                try:
                    read = session.get(f"http://127.0.0.1:{port}/v1/secrets/{path}", headers=headers, timeout=5)
                except requests.RequestException:
                    return
                if read.status_code == 200:
                    with lock:
                        reads.append((path, version))
            n += 1

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    server.send_signal(signal.SIGKILL)
    server.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    assert len(acknowledged) > 20, f"too few writes were acknowledged before the kill: {len(acknowledged)}"

    restarted = start(tmp_path / "config.yaml", tmp_path, port)
    try:
        session = requests.Session()
        lost = []
        for path, version, value in acknowledged:
            response = session.get(f"http://127.0.0.1:{port}/v1/secrets/{path}?version={version}", headers=headers, timeout=5)
            if response.status_code != 200 or response.json()["data"]["data"] != {"n": value}:
                lost.append((path, version, response.status_code))
        assert not lost, f"{len(lost)} of {len(acknowledged)} acknowledged versions were lost or changed: {lost[:5]}"
        verify = session.get(f"http://127.0.0.1:{port}/v1/audit/verify", headers=headers, timeout=30).json()
        assert verify.get("firstProblem") is None, f"the audit chain broke across the crash: {verify}"
        audited = audit_reasons(session, port, headers)
        unaudited_writes = [(path, version) for path, version, _ in acknowledged if f"wrote version {version}" not in audited.get(("write", f"secret/{path}"), [])]
        assert not unaudited_writes, f"{len(unaudited_writes)} of {len(acknowledged)} acknowledged writes have no audit record: {unaudited_writes[:5]}"
        unaudited_reads = [(path, version) for path, version in reads if not any(f"read version {version}" in reason for reason in audited.get(("read", f"secret/{path}"), []))]
        assert not unaudited_reads, f"{len(unaudited_reads)} of {len(reads)} acknowledged reads have no audit record: {unaudited_reads[:5]}"
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=15)
