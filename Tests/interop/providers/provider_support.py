"""Helpers of the provider differential tests: tokens, secret files, times, error checks."""

from __future__ import annotations

import datetime
import time
import uuid
from pathlib import Path

import jwt


def workload_token(audience: str, subject: str = "system:serviceaccount:ai:gateway") -> str:
    """A JWT shaped like a projected service-account token (signed with a throwaway key; the
    capture server does not verify it)."""
    now = int(time.time())
    claims = {"iss": "https://kubernetes.default.svc", "sub": subject, "aud": audience, "iat": now, "exp": now + 3600, "jti": str(uuid.uuid4())}
    return jwt.encode(claims, "the capture server never verifies this signature", algorithm="HS256")


def write_secret_file(directory: Path, name: str, content: str) -> str:
    path = directory / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def parse_time(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_clean_error(line: str, *, contains: list[str], secrets: list[str]):
    """A one-line error that says what the provider said and leaks none of the secrets."""
    for expected in contains:
        assert expected in line, f"{expected!r} not in the error: {line}"
    for secret in secrets:
        assert secret not in line, f"the error leaks a secret: {line}"
