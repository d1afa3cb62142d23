"""A capture server for the provider differential tests, and the comparison of two requests.

`CaptureServer` listens on 127.0.0.1 (plain HTTP, or HTTPS with a certificate the test makes),
records the method, raw path, query, headers and body of every request, and answers each
(method, path) with the response a test scripted for it: the provider's documented success or
error body, optionally after a delay or with a stall halfway through the body (to run a
client into its timeout). Anything unscripted gets
a 404 with an empty JSON object.

`assert_same_request` is the point of the differential tests: the official SDK's request and
ours must have the same method, raw path (percent-encoding included), query, headers (less the
transport noise and SDK telemetry each test names) and body, byte for byte.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# Headers that say nothing about the exchange: the transport's own, and `Accept: */*` (the
# same as no Accept header; requests adds it, AsyncHTTPClient does not).
TRANSPORT_HEADERS = frozenset({"host", "user-agent", "content-length", "connection", "accept-encoding"})


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str
    delay: float = 0.0  # before the response head
    stall: float = 0.0  # after the head and half the body


@dataclass
class Captured:
    """One request as it reached the server."""

    method: str
    raw_path: str  # as sent, percent-encoding included
    query: str
    headers: list[tuple[str, str]]  # in order, names as sent
    body: bytes

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        assert len(values) <= 1, f"header {name} sent {len(values)} times: {values}"
        return values[0] if values else None

    def header_names(self) -> set[str]:
        return {key.lower() for key, _ in self.headers}

    def form(self) -> list[tuple[str, str]]:
        """The body as form fields, in order."""
        return parse_qsl(self.body.decode("ascii"), keep_blank_values=True, strict_parsing=True)

    def json_pairs(self) -> list[tuple[str, object]]:
        """The body as a JSON object's members, in order."""
        return json.loads(self.body, object_pairs_hook=list)

    def describe(self) -> str:
        headers = "\n".join(f"  {key}: {value}" for key, value in self.headers)
        return f"{self.method} {self.raw_path}{'?' + self.query if self.query else ''}\n{headers}\n  body: {self.body!r}"


class CaptureServer:
    """A recording HTTP(S) server on 127.0.0.1 that answers scripted responses."""

    def __init__(self, tls: "CaptureCertificate | None" = None):
        self.requests: list[Captured] = []
        self.routes: dict[tuple[str, str], Response] = {}
        self.lock = threading.Lock()
        capture = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                split = urlsplit(self.path)
                captured = Captured(self.command, split.path, split.query, list(self.headers.items()), body)
                with capture.lock:
                    capture.requests.append(captured)
                    response = capture.routes.get((self.command, split.path))
                if response is None:
                    response = Response(404, b"{}", "application/json")
                if response.delay:
                    time.sleep(response.delay)
                try:
                    self.send_response(response.status)
                    self.send_header("Content-Type", response.content_type)
                    self.send_header("Content-Length", str(len(response.body)))
                    self.end_headers()
                    if response.stall:
                        self.wfile.write(response.body[: len(response.body) // 2])
                        self.wfile.flush()
                        time.sleep(response.stall)
                        self.wfile.write(response.body[len(response.body) // 2 :])
                    else:
                        self.wfile.write(response.body)
                except OSError:
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = do_PUT = handle_any  # noqa: N815 (http.server's naming)

            def log_message(self, format, *args):  # noqa: A002 (quiet)
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls.cert_path, tls.key_path)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, method: str, path: str, status: int, body: bytes | str | dict, content_type: str = "application/json", delay: float = 0.0, stall: float = 0.0):
        """Scripts the response to `method path` (the path without its query), sent after
        `delay` seconds; with `stall`, half the body is sent and the rest `stall` seconds later."""
        if isinstance(body, dict):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        with self.lock:
            self.routes[(method, path)] = Response(status, body, content_type, delay, stall)

    def take(self) -> list[Captured]:
        """The requests received since the last call, oldest first."""
        with self.lock:
            taken, self.requests = self.requests, []
        return taken

    def wait_for(self, count: int, timeout: float) -> bool:
        """Waits until at least `count` requests arrived since the last `take()` (for a server
        that sends them on its own schedule); False if they did not within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                if len(self.requests) >= count:
                    return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@dataclass
class CaptureCertificate:
    """A self-signed certificate for 127.0.0.1 (also its own CA), written as PEM files."""

    cert_path: str
    key_path: str

    @staticmethod
    def create(directory: Path) -> "CaptureCertificate":
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "quartermaster provider capture")])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        cert_path, key_path = directory / "capture-cert.pem", directory / "capture-key.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
        return CaptureCertificate(str(cert_path), str(key_path))


@dataclass
class Expectations:
    """What may differ between the SDK's request and ours."""

    # SDK telemetry headers we do not send (retry counters, client metrics).
    sdk_only: frozenset[str] = frozenset()
    # Headers both send with a per-request value: name -> pattern the value must match.
    varying: dict[str, str] = field(default_factory=dict)


def comparable_headers(request: Captured, expectations: Expectations) -> dict[str, str]:
    headers = {}
    for name in request.header_names():
        if name in TRANSPORT_HEADERS or name in expectations.sdk_only or name in expectations.varying:
            continue
        value = request.header(name)
        if name == "accept" and value == "*/*":
            continue
        headers[name] = value
    return headers


def assert_same_request(sdk: Captured, ours: Captured, expectations: Expectations = Expectations()):
    context = f"\nSDK sent:\n{sdk.describe()}\nwe sent:\n{ours.describe()}"
    assert ours.method == sdk.method, "method differs" + context
    assert ours.raw_path == sdk.raw_path, "path differs" + context
    assert ours.query == sdk.query, "query differs" + context
    assert comparable_headers(ours, expectations) == comparable_headers(sdk, expectations), "headers differ" + context
    for name, pattern in expectations.varying.items():
        for side, request in (("SDK", sdk), ("our", ours)):
            value = request.header(name)
            assert value is not None and re.fullmatch(pattern, value), f"{side} {name} is {value!r}, not /{pattern}/" + context
    content_type = (sdk.header("content-type") or "").split(";")[0]
    if content_type == "application/x-www-form-urlencoded":
        assert ours.form() == sdk.form(), "form fields differ" + context
    elif content_type == "application/json":
        assert ours.json_pairs() == sdk.json_pairs(), "JSON members differ" + context
    assert ours.body == sdk.body, "body bytes differ" + context


def assert_requests_match(sdk: list[Captured], ours: list[Captured], expectations: Expectations = Expectations()):
    assert len(ours) == len(sdk), "different request counts:\nSDK:\n" + "\n".join(r.describe() for r in sdk) + "\nours:\n" + "\n".join(r.describe() for r in ours)
    for sdk_request, our_request in zip(sdk, ours):
        assert_same_request(sdk_request, our_request, expectations)
