"""A local attestation service for the README tour and for trying attested decrypt.

It stands in for a real attestation service (Azure Attestation, Intel Trust Authority, a
confidential-computing verifier): it publishes its signing key as a JWKS and signs
attestation tokens carrying a `measurement` claim. Quartermaster trusts it because
examples/policy.yaml lists its issuer under `attestation.issuers`.

    python simulator.py serve --key /tmp/qm-attest.pem            # JWKS on 127.0.0.1:8421
    python simulator.py token --key /tmp/qm-attest.pem --measurement sha256:57fc...

Needs PyJWT with the `crypto` extra. The key file is created (mode 0600) on first use.
"""

import argparse
import http.server
import json
import os
import time
import uuid

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ISSUER = "http://127.0.0.1:8421"


def load_key(path):
    if not os.path.exists(path):
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(pem)
    with open(path, "rb") as handle:
        return serialization.load_pem_private_key(handle.read(), password=None)


def key_id(key):
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return uuid.uuid5(uuid.NAMESPACE_URL, public.hex()).hex[:16]


def jwks(key):
    jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": key_id(key), "use": "sig", "alg": "ES256"})
    return {"keys": [jwk]}


def serve(arguments):
    body = json.dumps(jwks(load_key(arguments.key))).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/jwks.json":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", arguments.port), Handler).serve_forever()


def token(arguments):
    key = load_key(arguments.key)
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": "quartermaster", "sub": "tee-runtime", "iat": now, "nbf": now,
              "exp": now + arguments.ttl, "measurement": arguments.measurement}
    print(jwt.encode(claims, key, algorithm="ES256", headers={"kid": key_id(key)}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="publish the JWKS")
    serve_parser.add_argument("--key", required=True)
    serve_parser.add_argument("--port", type=int, default=8421)
    token_parser = commands.add_parser("token", help="print an attestation token")
    token_parser.add_argument("--key", required=True)
    token_parser.add_argument("--measurement", required=True)
    token_parser.add_argument("--ttl", type=int, default=300, help="seconds; negative for an expired token")
    arguments = parser.parse_args()
    serve(arguments) if arguments.command == "serve" else token(arguments)


if __name__ == "__main__":
    main()
