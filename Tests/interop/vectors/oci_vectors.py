"""OCI HTTP request signature test vectors computed by the `oci` SDK.

For each fixed request below (method, URL, headers, body, instant and key id), the `oci`
SDK's own signer signs it as its clients do: a request prepared by the SDK's vendored
`requests`, passed to `oci.signer.Signer` (an API key: "tenancy/user/fingerprint") or to
`oci.auth.signers.SecurityTokenSigner` (a session token: "ST$<token>", the key id of resource
and instance principals), both subclasses of `oci.signer.AbstractBaseSigner`. The SDK writes
the `date` header itself (`email.utils.formatdate`), so its clock (`time.time`) is fixed to the
vector's instant. Recorded: the headers the signature covers, in the signature's order (not
`(request-target)`), their values as the SDK sends them, the `authorization` header, and the
signing string the SDK signed, which makes a mismatch easy to locate.

    python oci_vectors.py                 # print the JSON
    python oci_vectors.py --output FILE   # write it (Tests/QuartermasterCryptoTests/Fixtures/oci-vectors.json)

The Swift suite (OCIRequestSignerTests) signs the same inputs with the same key and expects the
same headers: RSA PKCS#1 v1.5 signatures are deterministic, so they must match exactly.
test_oci_vectors.py checks that the committed JSON is what the SDK computes today.

The RSA key below was generated once for these vectors and authorizes nothing. The JSON holds it
twice: as written here (PKCS#8) and converted to PKCS#1 (`BEGIN RSA PRIVATE KEY`), the two forms
OCI key files come in.

Inputs: `url` is the URL exactly as sent, its path and query percent-encoded; `body` is UTF-8
text sent as bytes (the SDK's JSON bodies are `json.dumps` output, so ASCII).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import sys
from unittest import mock

from cryptography.hazmat.primitives import serialization
from oci._vendor import requests
from oci._vendor.httpsig_cffi import sign as httpsig_sign
from oci.auth.signers import SecurityTokenSigner
from oci.signer import Signer, load_private_key

TEST_PRIVATE_KEY_PEM = """-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDGoavg1gJpDPqi
88nPdFvAkASnkjqAN8MJwSZO+Fde0r7m8OcVabqzpY/gnmenaqxTCm/PYrcLumFX
XNInfs1wDnKVSi9jGzlKrRoCEVswQDPvkOKcwM9aGT2dDck9xxrfHlEGculZ82/9
SVBYJ9uuJOSi+FOKMa06zkQF0fih7RfplGOo8fTEQr2+zgcJhxdAywcfG0rFrTfQ
sm6wdw31GtX8eV4TJ0irPBDnGVGC8ScvObEUXdQJDTx/IfcAbTv0Z8Q2RX4SzkXI
I68A0u3trPWiUHEtkUL+jUMJD3Tzwfg5mBkS42/Mtd6Wa3DxQOt/CIliGu3PrC/M
Mgg5vYBpAgMBAAECggEACIe/6Gd4cgd/KglbNOAT4qissn+aqI/8fcpAOWr74ZQe
Y6+b1PUV8godrDFRVUTFAsnzdE4Se1v1Ozm+wrh03SeZrySg9Vohcz4M3GLfbiqL
sHGh8cZsATwNQ9XoOxF2a3eTVjoQIG9Oc2u3GhoYGpn2AbO1br1kaZ6bGD7ktRt0
qXb8QVhdwCcp6uk3gKDWgzPODqXAfW6cdJ6u9GWfngrt+yAQF5fxgplnKwlDqdB9
rCvmatQRxH7ar/k8R7JPoXyjhyI14QBHQPqQ8YqUqKW5g/tfIpusIslX0VrLGuj+
/ABX8uVWLJIbEZcFt7CJIC9Y3mjproqpxCtEsJbFiQKBgQDjPZsYRTGX/g0gjs/L
aUd4ULZlTu6N4Ncqg+ozMD1BhPTx0XVGEL9aUgPjUWinJMsOUkWtpNwP4g61b3W6
Mjzg3pUs2TMK8OKjnr6+gZr4psqSJR1V3b4AlLdho769mFwxrgyfXJ4qXNa/ITlf
HQYKIRd6q7Cgj59AtcWlkGyqVQKBgQDfxSfYQLjCPFNZx/iOUgogAL4P95Ok0aKI
4+U9uNb4z2v4z3aW7SoGZyTTRPivi5FtnundE4EqkIoV1bHDStaBZZFflPGc6IMN
9+4E/4MSIppV30MaxJY0aOHgmsnIzWdU2TFXTuq3dfC14j7SOv0utM79LgtVcMW7
TXMVZ+u5xQKBgQCXLHHUiJvAoNt80GU+znAkg5WD+inLq0uZVh7lJO9rehc2FIFv
Nk8GuE8r2AnGQDzx7xu5tFZOHrZoT5lDYI6NjqYxKuHBIpW0AjSlKjW9u8BBz30f
laAEZOtGgpevLAARcNem4Qe76P1YM7MmKnnNHUywaC3d8w4gD41IYrdX7QKBgQCR
6w7AhfP1NUFlGnGK3RSdKd7Gqrssj0dd3L5wMUh9l0ThSugaIy10X240FpXUYz7C
LQ5zi3R/PSHOezsgDn0yg/j4SzgDCdvsD/C2cagW+1mJBb3MhsUsB/jDbiyHNOpc
+gSi2mNUnyQIdzBgBvdyrZUMpCnf3VoTeb3CB7I/wQKBgAXvQ3R0qXfLKWqRmBVx
gO6LSeAtidLlnA2vXOgq4HxI0KcKpi6Zq+IsHuVvdYt/JIrK3GgxaOIwb3y66ozz
zq/rtoHrce4+FLjFSmuX0TiQ0StXq2lXKb+mC1UOOk6lzfELGZ+OaHii9ppDdZmr
LmEVtlzjz68a0/17FqJZAlVN
-----END PRIVATE KEY-----
"""


def _base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _session_token() -> str:
    """A resource principal session token's shape (a JWT; the SDK does not verify it)."""
    header = {"alg": "RS256", "kid": "asw", "typ": "JWT"}
    claims = {
        "sub": "ocid1.datasciencenotebooksession.oc1.us-chicago-1.amaaaaaaquartermaster",
        "res_type": "datasciencenotebooksession",
        "res_tenant": "ocid1.tenancy.oc1..aaaaaaaaquartermastertenancy",
        "res_compartment": "ocid1.compartment.oc1..aaaaaaaaquartermastercompartment",
        "iss": "authService.oracle.com",
        "iat": 1773480000,
        "exp": 1773483600,
    }
    parts = [json.dumps(part, separators=(",", ":")).encode("utf-8") for part in (header, claims)]
    return ".".join([_base64url(parts[0]), _base64url(parts[1]), _base64url(b"not-a-real-signature")])


API_KEY_ID = (
    "ocid1.tenancy.oc1..aaaaaaaaquartermastertenancy"
    "/ocid1.user.oc1..aaaaaaaaquartermasteruser"
    "/20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34"
)
SESSION_KEY_ID = "ST$" + _session_token()

CHAT_URL = "https://inference.generativeai.us-chicago-1.oci.oraclecloud.com/20231130/actions/chat"
CHAT_BODY = json.dumps(
    {
        "compartmentId": "ocid1.compartment.oc1..aaaaaaaaquartermastercompartment",
        "servingMode": {"servingType": "ON_DEMAND", "modelId": "cohere.command-r-plus-08-2024"},
        "chatRequest": {"apiFormat": "COHERE", "message": "Grüße, Quartermaster ✓", "maxTokens": 64},
    }
)  # as the SDK's BaseClient serializes a body: json.dumps with its defaults (ASCII)
CHAT_HEADERS = [
    ["accept", "application/json"],
    ["content-type", "application/json"],
    ["opc-request-id", "5F0A1E2D3C4B4A59B8C7D6E5F4A3B2C1"],
]

VECTORS = [
    {
        "name": "get-list-models-with-query",
        "method": "GET",
        "url": (
            "https://generativeai.us-chicago-1.oci.oraclecloud.com/20231130/models"
            "?compartmentId=ocid1.compartment.oc1..aaaaaaaaquartermastercompartment"
            "&capability=CHAT&displayName=command%20r%2B&limit=10"
        ),
        "headers": [["accept", "application/json"]],
        "body": "",
        "date": "2026-03-14T09:26:53Z",
        "keyId": API_KEY_ID,
    },
    {
        "name": "post-generative-ai-chat",
        "method": "POST",
        "url": CHAT_URL,
        "headers": CHAT_HEADERS,
        "body": CHAT_BODY,
        "date": "2026-03-14T09:26:53Z",
        "keyId": API_KEY_ID,
    },
    {
        "name": "post-generative-ai-chat-resource-principal",
        "method": "POST",
        "url": CHAT_URL,
        "headers": CHAT_HEADERS,
        "body": CHAT_BODY,
        "date": "2026-03-14T09:40:00Z",
        "keyId": SESSION_KEY_ID,
    },
    {
        "name": "post-empty-body-default-content-type",
        "method": "POST",
        "url": (
            "https://generativeai.us-chicago-1.oci.oraclecloud.com/20231130/endpoints"
            "/ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaaquartermaster/actions/changeCompartment"
        ),
        "headers": [],
        "body": "",
        "date": "2026-01-02T03:04:05Z",
        "keyId": SESSION_KEY_ID,
    },
    {
        "name": "put-object-utf8-body-encoded-path",
        "method": "PUT",
        "url": "https://objectstorage.us-ashburn-1.oraclecloud.com/n/axaxnpcrorw5/b/quartermaster/o/notes%2F2026%20plan%20%C3%BCber.txt",
        "headers": [["content-type", "text/plain; charset=utf-8"]],
        "body": "Grüße aus dem Quartier ✓\nline two\n",
        "date": "2026-12-31T23:59:59Z",
        "keyId": SESSION_KEY_ID,
    },
    {
        "name": "patch-local-endpoint-with-port",
        "method": "PATCH",
        "url": "http://127.0.0.1:8080/20231130/endpoints/ocid1.generativeaiendpoint.oc1..aaaa",
        "headers": [["Content-Type", "application/json"]],
        "body": '{"displayName": "quartermaster"}',
        "date": "2024-02-29T00:00:00Z",
        "keyId": API_KEY_ID,
    },
    {
        "name": "delete-uppercase-host-explicit-default-port",
        "method": "DELETE",
        "url": "https://GenerativeAI.US-Chicago-1.oci.oraclecloud.com:443/20231130/endpoints/ocid1.generativeaiendpoint.oc1..aaaa",
        "headers": [["if-match", "\"etag-1\""]],
        "body": "",
        "date": "2026-07-04T05:06:07Z",
        "keyId": API_KEY_ID,
    },
    {
        "name": "head-object-no-path-query",
        "method": "HEAD",
        "url": "https://objectstorage.us-ashburn-1.oraclecloud.com?fields=name%2Csize&prefix=a%20b",
        "headers": [],
        "body": "",
        "date": "2026-05-09T10:11:12Z",
        "keyId": SESSION_KEY_ID,
    },
]


def pkcs1_pem(pkcs8_pem: str) -> str:
    """The same key as a PKCS#1 `RSA PRIVATE KEY` PEM."""
    key = serialization.load_pem_private_key(pkcs8_pem.encode("ascii"), password=None)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode("ascii")


def sdk_signer(key_id: str, private_key_pem: str):
    """The SDK signer for `key_id`: a session token signer for "ST$...", else an API key signer."""
    if key_id.startswith("ST$"):
        return SecurityTokenSigner(key_id[len("ST$"):], load_private_key(private_key_pem, None))
    tenancy, user, fingerprint = key_id.split("/")
    return Signer(tenancy, user, fingerprint, None, private_key_content=private_key_pem)


def signed_header_names(authorization: str) -> list[str]:
    """The names in the authorization header's `headers="..."`, in order."""
    listed = authorization.split('headers="', 1)[1].split('"', 1)[0]
    return listed.split(" ")


def sign(vector: dict, private_key_pem: str = TEST_PRIVATE_KEY_PEM) -> dict:
    """What the SDK's signer sends for the vector's request."""
    request = requests.Request(
        vector["method"],
        vector["url"],
        headers=requests.structures.CaseInsensitiveDict(vector["headers"]),
        data=vector["body"].encode("utf-8"),
    ).prepare()
    signer = sdk_signer(vector["keyId"], private_key_pem)
    instant = datetime.datetime.strptime(vector["date"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    signed: list[bytes] = []
    unpatched = httpsig_sign.Signer._sign

    def recording_sign(self, data):
        signed.append(data)
        return unpatched(self, data)

    with mock.patch("time.time", return_value=instant.timestamp()), mock.patch.object(httpsig_sign.Signer, "_sign", recording_sign):
        signer(request)
    assert len(signed) == 1
    authorization = request.headers["authorization"]
    names = [name for name in signed_header_names(authorization) if name != "(request-target)"]
    return {
        "signedHeaders": [[name, request.headers[name]] for name in names],
        "authorization": authorization,
        "signingString": signed[0].decode("utf-8"),
    }


def compute() -> dict:
    """Every vector with the SDK's expected output."""
    return {
        "generator": "Tests/interop/vectors/oci_vectors.py (oci.signer.Signer, oci.auth.signers.SecurityTokenSigner)",
        "privateKeyPEM": TEST_PRIVATE_KEY_PEM,
        "privateKeyPKCS1PEM": pkcs1_pem(TEST_PRIVATE_KEY_PEM),
        "vectors": [dict(vector, expected=sign(vector)) for vector in VECTORS],
    }


def render() -> str:
    return json.dumps(compute(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", help="write the JSON here instead of printing it")
    arguments = parser.parse_args()
    text = render()
    if arguments.output:
        with open(arguments.output, "w", encoding="utf-8") as file:
            file.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
