"""Runs OUR side of a differential test: one provider credential exchange, in a separate process.

By default that is the real binary's command

    $QUARTERMASTER_BIN providers fetch --config FILE --instance NAME --json [--ca-file PEM]

which loads a provider-instances.yaml, runs the instance's exchange once and prints
{"instance", "method", "kind", "expires_at"} (plus "access_key_id" for AWS credentials), never
a secret, or exits 1 with a one-line error. `--ca-file` adds trust roots for the provider
endpoints (the Azure tests answer over HTTPS with a certificate they make); the exchange's
timeout is the instance's `refresh.timeout`.

QUARTERMASTER_EXCHANGE_RUNNER replaces `$QUARTERMASTER_BIN providers fetch` with another command
that takes the same arguments, such as a development probe:

    QUARTERMASTER_EXCHANGE_RUNNER=/path/to/exchange-probe

`cli` (the default) means the real binary. An exchange that reads our secret store (an IBM API
key) cannot run from a file alone; its tests start a live broker instead (provider_broker.py),
whichever runner is set.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
RUNNER_VARIABLE = "QUARTERMASTER_EXCHANGE_RUNNER"


def to_yaml(value, indent: int = 0) -> str:
    """A nested dict of strings and numbers as block YAML (scalars written as JSON strings,
    which YAML reads as double-quoted scalars)."""
    lines = []
    for key, item in value.items():
        if isinstance(item, dict):
            lines.append(" " * indent + f"{key}:")
            lines.append(to_yaml(item, indent + 2))
        else:
            lines.append(" " * indent + f"{key}: {json.dumps(item)}")
    return "\n".join(lines)


@dataclass
class FetchResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> dict:
        assert self.returncode == 0, f"the exchange failed (exit {self.returncode}):\n{self.stderr}{self.stdout}"
        return json.loads(self.stdout)

    @property
    def error_line(self) -> str:
        """The one-line error of a failed run."""
        assert self.returncode == 1, f"expected exit status 1, got {self.returncode}:\n{self.stdout}{self.stderr}"
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, f"expected one error line, got:\n{self.stderr}"
        assert self.stdout.strip() == "", f"nothing should be printed on stdout on failure:\n{self.stdout}"
        return lines[0]


class ExchangeRunner:
    def __init__(self, scratch: Path):
        self.scratch = scratch
        spec = os.environ.get(RUNNER_VARIABLE, "cli")
        self.is_cli = spec == "cli"
        if self.is_cli:
            configured = Path(os.environ.get("QUARTERMASTER_BIN", ".build/debug/quartermaster"))
            binary = configured if configured.is_absolute() else REPO_ROOT / configured
            if not (binary.is_file() and os.access(binary, os.X_OK)):
                pytest.fail(f"no quartermaster binary at {binary} (set QUARTERMASTER_BIN, or {RUNNER_VARIABLE} to a probe)", pytrace=False)
            self.command = [str(binary), "providers", "fetch"]
        else:
            self.command = shlex.split(spec)

    def fetch(self, instance: dict, *, name: str = "under-test", ca_file: str | None = None) -> FetchResult:
        """Writes provider-instances.yaml with the one instance `name` and runs the exchange."""
        config = self.scratch / f"provider-instances-{name}.yaml"
        config.write_text(to_yaml({"instances": {name: instance}}) + "\n", encoding="utf-8")
        command = self.command + ["--config", str(config), "--instance", name, "--json"]
        if ca_file:
            command += ["--ca-file", ca_file]
        completed = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, cwd=self.scratch)
        if completed.returncode not in (0, 1):
            # Not an exchange outcome: a usage error (no such command yet), a crash.
            pytest.fail(f"{shlex.join(command)} exited with {completed.returncode}:\n{completed.stderr}{completed.stdout}", pytrace=False)
        return FetchResult(completed.returncode, completed.stdout, completed.stderr)
