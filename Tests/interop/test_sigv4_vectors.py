"""The committed SigV4 vectors are what botocore computes.

Tests/QuartermasterCryptoTests/Fixtures/sigv4-vectors.json holds fixed requests and the
headers botocore's SigV4Auth adds to them; the Swift suite AWSSignatureV4Tests asserts that
Quartermaster's signer adds the same. Here botocore (pinned in requirements.txt) recomputes
every vector, so both sides are shown to agree on the same inputs. Needs no server.

To regenerate the file after changing the inputs:

    python Tests/interop/vectors/sigv4_vectors.py \
        --output Tests/QuartermasterCryptoTests/Fixtures/sigv4-vectors.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "vectors"))

import sigv4_vectors  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE = REPO_ROOT / "Tests" / "QuartermasterCryptoTests" / "Fixtures" / "sigv4-vectors.json"
COMMITTED = json.loads(FIXTURE.read_text(encoding="utf-8"))
RECOMPUTED = sigv4_vectors.compute()


def test_fixture_is_the_generator_output_byte_for_byte():
    assert FIXTURE.read_text(encoding="utf-8") == sigv4_vectors.render(), (
        "sigv4-vectors.json is stale: regenerate it with Tests/interop/vectors/sigv4_vectors.py --output ..."
    )


def test_fixture_covers_the_required_cases():
    names = {vector["name"] for vector in COMMITTED["vectors"]}
    assert {
        "kms-encrypt",
        "kms-encrypt-session-token",
        "sts-assume-role-with-web-identity",
        "get-unsorted-query-spaces-tilde-slash-unicode",
        "path-needing-encoding-and-normalization",
        "bedrock-invoke-model-session-token",
    } <= names
    assert any(vector["expected"]["X-Amz-Security-Token"] for vector in COMMITTED["vectors"])
    assert any(vector["expected"]["X-Amz-Security-Token"] is None for vector in COMMITTED["vectors"])


def test_documented_aws_example_signature():
    """botocore reproduces the signature AWS's SigV4 documentation gives for IAM ListUsers."""
    vector = next(v for v in RECOMPUTED["vectors"] if v["name"] == "aws-docs-iam-list-users")
    assert vector["expected"]["Authorization"].endswith(
        "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
    )


@pytest.mark.parametrize(
    "committed", COMMITTED["vectors"], ids=[vector["name"] for vector in COMMITTED["vectors"]]
)
def test_botocore_computes_the_committed_headers(committed):
    inputs = {key: value for key, value in committed.items() if key != "expected"}
    assert sigv4_vectors.sign(inputs) == committed["expected"]
