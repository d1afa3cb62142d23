"""The committed OCI request signature vectors are what the `oci` SDK computes.

Tests/QuartermasterCryptoTests/Fixtures/oci-vectors.json holds fixed requests, the RSA test key,
and the headers the SDK's signer (`oci.signer.Signer` for an API key, `SecurityTokenSigner` for
a session token, both `AbstractBaseSigner`s) sends for each; the Swift suite
OCIRequestSignerTests asserts that Quartermaster's signer sends the same, signature included
(RSA PKCS#1 v1.5 is deterministic). Here the SDK (pinned in requirements.txt) recomputes every
vector, so both sides are shown to agree on the same inputs. Needs no server.

To regenerate the file after changing the inputs:

    python Tests/interop/vectors/oci_vectors.py \
        --output Tests/QuartermasterCryptoTests/Fixtures/oci-vectors.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "vectors"))

import oci_vectors  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE = REPO_ROOT / "Tests" / "QuartermasterCryptoTests" / "Fixtures" / "oci-vectors.json"
COMMITTED = json.loads(FIXTURE.read_text(encoding="utf-8"))

GENERIC = ["date", "(request-target)", "host"]
WITH_BODY = GENERIC + ["content-length", "content-type", "x-content-sha256"]


def test_fixture_is_the_generator_output_byte_for_byte():
    assert FIXTURE.read_text(encoding="utf-8") == oci_vectors.render(), (
        "oci-vectors.json is stale: regenerate it with Tests/interop/vectors/oci_vectors.py --output ..."
    )


def test_fixture_covers_the_required_cases():
    vectors = COMMITTED["vectors"]
    assert {vector["method"] for vector in vectors} == {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}
    assert any(vector["method"] == "GET" and "?" in vector["url"] for vector in vectors)
    assert any(vector["method"] == "POST" and vector["url"] == oci_vectors.CHAT_URL for vector in vectors)
    assert any(vector["keyId"].startswith("ST$") for vector in vectors)
    assert any(not vector["keyId"].startswith("ST$") for vector in vectors)


@pytest.mark.parametrize("vector", COMMITTED["vectors"], ids=[vector["name"] for vector in COMMITTED["vectors"]])
def test_sdk_signs_body_headers_only_for_post_put_patch(vector):
    """The SDK's header lists: `date (request-target) host`, and for POST, PUT and PATCH also
    `content-length content-type x-content-sha256`, in that order, version "1", rsa-sha256."""
    authorization = vector["expected"]["authorization"]
    expected = WITH_BODY if vector["method"] in ("POST", "PUT", "PATCH") else GENERIC
    assert oci_vectors.signed_header_names(authorization) == expected
    assert authorization.startswith('Signature algorithm="rsa-sha256",headers="')
    assert f',keyId="{vector["keyId"]}",signature="' in authorization
    assert authorization.endswith('",version="1"')


def test_both_key_forms_are_the_same_key():
    vector = COMMITTED["vectors"][0]
    assert oci_vectors.sign(vector, COMMITTED["privateKeyPKCS1PEM"]) == vector["expected"]
    assert "BEGIN RSA PRIVATE KEY" in COMMITTED["privateKeyPKCS1PEM"]
    assert "BEGIN PRIVATE KEY" in COMMITTED["privateKeyPEM"]


@pytest.mark.parametrize("committed", COMMITTED["vectors"], ids=[vector["name"] for vector in COMMITTED["vectors"]])
def test_sdk_computes_the_committed_headers(committed):
    inputs = {key: value for key, value in committed.items() if key != "expected"}
    assert oci_vectors.sign(inputs, COMMITTED["privateKeyPEM"]) == committed["expected"]
