"""AWS Signature Version 4 test vectors computed by botocore.

For each fixed input below (a request, credentials, region, service and instant), botocore's
own signer (`botocore.auth.SigV4Auth` on a `botocore.awsrequest.AWSRequest`, with its clock
fixed by patching `botocore.auth.get_current_datetime`) computes the headers it adds:
`X-Amz-Date`, `X-Amz-Security-Token` (None without a session token) and `Authorization`,
plus its canonical request and string to sign, which make a mismatch easy to locate.

    python sigv4_vectors.py                 # print the JSON
    python sigv4_vectors.py --output FILE   # write it (Tests/QuartermasterCryptoTests/Fixtures/sigv4-vectors.json)

The Swift suite (AWSSignatureV4Tests) signs the same inputs and expects the same headers;
test_sigv4_vectors.py checks that the committed JSON is what botocore computes today.

Inputs: `url` is the URL exactly as sent, its path and query percent-encoded. botocore signs
the path as it is in the URL and the query from `params`, so the query's parameters are
percent-decoded here and handed to botocore as `params`, which it encodes itself.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from unittest import mock
from urllib.parse import unquote, urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

EXAMPLE_KEY = {"accessKeyID": "AKIDEXAMPLE", "secretAccessKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
SESSION_KEY = {
    "accessKeyID": "ASIAQUARTERMASTER01",
    "secretAccessKey": "c2VjcmV0LWFjY2Vzcy1rZXktZm9yLXRlc3RzLW9ubHk",
    "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+session/token=",
}

KMS_ENCRYPT_BODY = json.dumps(
    {
        "KeyId": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "Plaintext": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "EncryptionContext": {"quartermaster_root_key": "rk_01HZX3"},
    },
    separators=(",", ":"),
)
KMS_HEADERS = [["Content-Type", "application/x-amz-json-1.1"], ["X-Amz-Target", "TrentService.Encrypt"]]
BEDROCK_BODY = json.dumps(
    {
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 64,
        "messages": [{"role": "user", "content": "Grüße, Quartermaster ✓"}],
    },
    ensure_ascii=False,
    separators=(",", ":"),
)
BEDROCK_HEADERS = [["Content-Type", "application/json"], ["Accept", "application/json"]]

VECTORS = [
    {
        "name": "aws-docs-iam-list-users",
        "method": "GET",
        "url": "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
        "headers": [["Content-Type", "application/x-www-form-urlencoded; charset=utf-8"]],
        "body": "",
        "date": "2015-08-30T12:36:00Z",
        "region": "us-east-1",
        "service": "iam",
        "credentials": EXAMPLE_KEY,
    },
    {
        "name": "kms-encrypt",
        "method": "POST",
        "url": "https://kms.eu-west-1.amazonaws.com/",
        "headers": KMS_HEADERS,
        "body": KMS_ENCRYPT_BODY,
        "date": "2026-03-14T09:26:53Z",
        "region": "eu-west-1",
        "service": "kms",
        "credentials": EXAMPLE_KEY,
    },
    {
        "name": "kms-encrypt-session-token",
        "method": "POST",
        "url": "https://kms.eu-west-1.amazonaws.com/",
        "headers": KMS_HEADERS,
        "body": KMS_ENCRYPT_BODY,
        "date": "2026-03-14T09:26:53Z",
        "region": "eu-west-1",
        "service": "kms",
        "credentials": SESSION_KEY,
    },
    {
        "name": "kms-decrypt-local-endpoint-port",
        "method": "POST",
        "url": "http://127.0.0.1:4566",
        "headers": [["Content-Type", "application/x-amz-json-1.1"], ["X-Amz-Target", "TrentService.Decrypt"]],
        "body": '{"CiphertextBlob":"AQIDBA==","EncryptionContext":{"quartermaster_root_key":"rk_1"},"KeyId":"alias/qm"}',
        "date": "2026-12-31T23:59:59Z",
        "region": "us-east-1",
        "service": "kms",
        "credentials": {"accessKeyID": "testing", "secretAccessKey": "testing"},
    },
    {
        "name": "kms-default-port-omitted-from-host",
        "method": "POST",
        "url": "https://KMS.us-west-2.amazonaws.com:443/",
        "headers": [["Content-Type", "application/x-amz-json-1.1"], ["X-Amz-Target", "TrentService.ListKeys"]],
        "body": "{}",
        "date": "2024-02-29T00:00:00Z",
        "region": "us-west-2",
        "service": "kms",
        "credentials": EXAMPLE_KEY,
    },
    {
        "name": "sts-assume-role-with-web-identity",
        "method": "POST",
        "url": "https://sts.amazonaws.com/",
        "headers": [["Content-Type", "application/x-www-form-urlencoded; charset=utf-8"]],
        "body": (
            "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
            "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fquartermaster-broker"
            "&RoleSessionName=quartermaster&DurationSeconds=900"
            "&WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6cW06YnJva2VyIn0.c2ln"
        ),
        "date": "2026-01-02T03:04:05Z",
        "region": "us-east-1",
        "service": "sts",
        "credentials": EXAMPLE_KEY,
    },
    {
        "name": "get-unsorted-query-spaces-tilde-slash-unicode",
        "method": "GET",
        "url": (
            "https://abc123.execute-api.us-west-2.amazonaws.com/prod/items"
            "?zeta=last&Alpha=caps&alpha=b%20c&alpha=a~b/c&caf%C3%A9=cr%C3%A8me%20br%C3%BBl%C3%A9e"
            "&empty=&flag&eq=a%3Db&sum=1%2B1&emoji=%F0%9F%93%A6&a-b=dash&a=plain"
        ),
        "headers": [
            ["X-Custom-Spaces", "  several   inner\tspaces  "],
            ["x-amz-meta-list", "one"],
            ["X-Amz-Meta-List", "two , three"],
            ["User-Agent", "quartermaster-tests/1.0"],
        ],
        "body": "",
        "date": "2026-06-30T18:00:01Z",
        "region": "us-west-2",
        "service": "execute-api",
        "credentials": EXAMPLE_KEY,
    },
    {
        "name": "get-query-with-session-token",
        "method": "GET",
        "url": "https://abc123.execute-api.us-west-2.amazonaws.com/prod/items?b=2&a=1&a=0",
        "headers": [],
        "body": "",
        "date": "2026-06-30T18:00:01Z",
        "region": "us-west-2",
        "service": "execute-api",
        "credentials": SESSION_KEY,
    },
    {
        "name": "path-needing-encoding-and-normalization",
        "method": "GET",
        "url": (
            "https://abc123.execute-api.eu-central-1.amazonaws.com"
            "/prod/documents%20and%20settings/%C3%BCber/a+b=c;d,e(f)!*'@:$/./x//y/../z%2Fw/"
        ),
        "headers": [["Accept", "*/*"]],
        "body": "",
        "date": "2025-11-05T07:08:09Z",
        "region": "eu-central-1",
        "service": "execute-api",
        "credentials": EXAMPLE_KEY,
    },
    {
        "name": "bedrock-invoke-model-session-token",
        "method": "POST",
        "url": "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1:0/invoke",
        "headers": BEDROCK_HEADERS,
        "body": BEDROCK_BODY,
        "date": "2026-04-01T12:00:00Z",
        "region": "us-east-1",
        "service": "bedrock",
        "credentials": SESSION_KEY,
    },
    {
        "name": "bedrock-invoke-model-encoded-colon",
        "method": "POST",
        "url": "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke",
        "headers": BEDROCK_HEADERS,
        "body": BEDROCK_BODY,
        "date": "2026-04-01T12:00:00Z",
        "region": "us-east-1",
        "service": "bedrock",
        "credentials": SESSION_KEY,
    },
]


def query_params(url: str) -> list[tuple[str, str]]:
    """The URL's query as decoded (name, value) pairs, in order; `+` stays a plus."""
    query = urlsplit(url).query
    if not query:
        return []
    pairs = []
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        pairs.append((unquote(name), unquote(value)))
    return pairs


class RecordingSigV4Auth(SigV4Auth):
    """botocore's signer, keeping the canonical request and string to sign it computed."""

    canonical: str | None = None
    signed_string: str | None = None

    def string_to_sign(self, request, canonical_request):
        self.canonical = canonical_request
        self.signed_string = super().string_to_sign(request, canonical_request)
        return self.signed_string


def sign(vector: dict) -> dict:
    """What botocore adds to the vector's request."""
    keys = vector["credentials"]
    credentials = Credentials(keys["accessKeyID"], keys["secretAccessKey"], keys.get("sessionToken"))
    request = AWSRequest(
        method=vector["method"],
        url=vector["url"],
        data=vector["body"].encode("utf-8"),
        params=query_params(vector["url"]),
    )
    for name, value in vector["headers"]:
        request.headers[name] = value  # appends: repeated names stay repeated
    signer = RecordingSigV4Auth(credentials, vector["service"], vector["region"])
    instant = datetime.datetime.strptime(vector["date"], "%Y-%m-%dT%H:%M:%SZ")
    with mock.patch("botocore.auth.get_current_datetime", return_value=instant):
        signer.add_auth(request)
    return {
        "X-Amz-Date": request.headers["X-Amz-Date"],
        "X-Amz-Security-Token": request.headers.get("X-Amz-Security-Token"),
        "Authorization": request.headers["Authorization"],
        "canonicalRequest": signer.canonical,
        "stringToSign": signer.signed_string,
    }


def compute() -> dict:
    """Every vector with botocore's expected output."""
    return {
        "generator": "Tests/interop/vectors/sigv4_vectors.py (botocore.auth.SigV4Auth)",
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
