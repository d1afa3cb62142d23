"""AWS STS AssumeRoleWithWebIdentity: botocore's request and AWSWebIdentityExchange's must be
the same (an unsigned form POST), and both must read STS's XML answers alike. Also: our exchange
against moto's STS, which must hand out credentials moto then recognises; and the failure modes
every exchange shares (unreachable, timeout, token file), run here once through AWS.
"""

from __future__ import annotations

import datetime
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import botocore.exceptions
import pytest
import requests
from botocore.config import Config

from provider_capture import Expectations, assert_requests_match
from provider_support import assert_clean_error, parse_time, workload_token, write_secret_file

ROLE_ARN = "arn:aws:iam::123456789012:role/bedrock-invoker"
# Every character STS allows in a session name that form encoding touches.
SESSION_NAME = "qm+test=a,b.c@d_e-f"
BOTOCORE_TELEMETRY = Expectations(sdk_only=frozenset({"amz-sdk-invocation-id", "amz-sdk-request"}))
STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"


def sts_success(expiration: str, access_key_id: str = "ASIAQUARTERMASTER01") -> str:
    return f"""<AssumeRoleWithWebIdentityResponse xmlns="{STS_NAMESPACE}">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:ai:gateway</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/bedrock-invoker/{SESSION_NAME}</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:{SESSION_NAME}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>IQoJb3JpZ2luX2VjEXAMPLE+/session=token</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>{expiration}</Expiration>
      <AccessKeyId>{access_key_id}</AccessKeyId>
    </Credentials>
    <Provider>arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
"""


def sts_error(code: str, message: str) -> str:
    return f"""<ErrorResponse xmlns="{STS_NAMESPACE}">
  <Error>
    <Type>Sender</Type>
    <Code>{code}</Code>
    <Message>{message}</Message>
  </Error>
  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
</ErrorResponse>
"""


def aws_instance(endpoint: str, token_file: str, duration: str = "15m", **refresh) -> dict:
    instance = {
        "type": "bedrock",
        "region": "us-east-1",
        "authentication": {
            "type": "workload_identity",
            "provider": "aws_irsa",
            "role_arn": ROLE_ARN,
            "session_name": SESSION_NAME,
            "duration": duration,
            "token_file": token_file,
            "endpoint": endpoint,
        },
    }
    if refresh:
        instance["refresh"] = refresh
    return instance


def botocore_assume(endpoint: str, token: str, duration_seconds: int = 900) -> dict:
    client = boto3.client(
        "sts",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIDNOTUSEDFORTHISCALL",
        aws_secret_access_key="not-used-for-this-call",
        config=Config(retries={"max_attempts": 1}),
    )
    return client.assume_role_with_web_identity(
        RoleArn=ROLE_ARN, RoleSessionName=SESSION_NAME, WebIdentityToken=token, DurationSeconds=duration_seconds
    )


@pytest.fixture
def token_file(tmp_path):
    token = workload_token("sts.amazonaws.com")
    return token, write_secret_file(tmp_path, "aws-token", token)


def test_request_and_credentials_match_botocore(capture, runner, token_file):
    token, path = token_file
    capture.answer("POST", "/", 200, sts_success("2031-02-03T04:05:06Z"), content_type="text/xml")

    answer = botocore_assume(capture.url, token)
    sdk_requests = capture.take()
    result = runner.fetch(aws_instance(capture.url, path))
    our_requests = capture.take()

    assert_requests_match(sdk_requests, our_requests, BOTOCORE_TELEMETRY)
    assert our_requests[0].header("authorization") is None, "AssumeRoleWithWebIdentity is unsigned"
    output = result.output
    assert output["method"] == "aws_irsa"
    assert output["kind"] == "aws"
    assert output["access_key_id"] == answer["Credentials"]["AccessKeyId"] == "ASIAQUARTERMASTER01"
    assert parse_time(output["expires_at"]) == answer["Credentials"]["Expiration"]


def test_duration_and_fractional_expiration(capture, runner, token_file):
    token, path = token_file
    capture.answer("POST", "/", 200, sts_success("2031-02-03T04:05:06.789Z"), content_type="text/xml")

    answer = botocore_assume(capture.url, token, duration_seconds=43200)
    sdk_requests = capture.take()
    result = runner.fetch(aws_instance(capture.url, path, duration="12h"))

    assert_requests_match(sdk_requests, capture.take(), BOTOCORE_TELEMETRY)
    # expires_at may be printed to the second.
    assert abs(parse_time(result.output["expires_at"]) - answer["Credentials"]["Expiration"]) < datetime.timedelta(seconds=1)


def test_sts_error_is_reported_without_the_token(capture, runner, token_file):
    token, path = token_file
    # STS would not echo the token; if a provider ever did, it must not reach our error text.
    message = f"Incorrect token audience in {token}"
    capture.answer("POST", "/", 400, sts_error("InvalidIdentityToken", message), content_type="text/xml")

    with pytest.raises(botocore.exceptions.ClientError) as raised:
        botocore_assume(capture.url, token)
    assert raised.value.response["Error"]["Code"] == "InvalidIdentityToken"
    sdk_requests = capture.take()
    result = runner.fetch(aws_instance(capture.url, path))

    assert_requests_match(sdk_requests, capture.take(), BOTOCORE_TELEMETRY)
    assert_clean_error(result.error_line, contains=["400", "InvalidIdentityToken", "Incorrect token audience"], secrets=[token])


def test_access_denied_is_reported(capture, runner, token_file):
    _, path = token_file
    capture.answer("POST", "/", 403, sts_error("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"), content_type="text/xml")

    line = runner.fetch(aws_instance(capture.url, path)).error_line
    assert_clean_error(line, contains=["403", "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"], secrets=[])


def test_error_without_the_documented_body(capture, runner, token_file):
    _, path = token_file
    capture.answer("POST", "/", 503, "<html>Service Unavailable</html>", content_type="text/html")

    line = runner.fetch(aws_instance(capture.url, path)).error_line
    assert "503" in line and "html" not in line.lower()


@pytest.mark.parametrize(
    "body",
    [
        "not xml at all",
        "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult/></AssumeRoleWithWebIdentityResponse>",
        sts_success("next tuesday"),
        "<SomethingElse/>",
    ],
    ids=["not-xml", "no-credentials", "bad-expiration", "other-document"],
)
def test_malformed_success_answer(capture, runner, token_file, body):
    _, path = token_file
    capture.answer("POST", "/", 200, body, content_type="text/xml")

    line = runner.fetch(aws_instance(capture.url, path)).error_line
    assert "malformed" in line
    assert "wJalrXUtnFEMI" not in line and "IQoJb3JpZ2lu" not in line


def test_unreachable_endpoint(runner, token_file, closed_port_url):
    _, path = token_file
    # The client retries connecting until the deadline, then reports the endpoint.
    line = runner.fetch(aws_instance(closed_port_url, path, timeout="2s")).error_line
    assert "cannot reach" in line and closed_port_url in line


def test_timeout(capture, runner, token_file):
    _, path = token_file
    capture.answer("POST", "/", 200, sts_success("2031-02-03T04:05:06Z"), content_type="text/xml", delay=8)

    started = time.monotonic()
    line = runner.fetch(aws_instance(capture.url, path, timeout="1s")).error_line
    assert "in time" in line
    assert time.monotonic() - started < 7, "the exchange waited past its timeout"


def test_timeout_while_reading_the_body(capture, runner, token_file):
    _, path = token_file
    capture.answer("POST", "/", 200, sts_success("2031-02-03T04:05:06Z"), content_type="text/xml", stall=8)

    started = time.monotonic()
    line = runner.fetch(aws_instance(capture.url, path, timeout="1s")).error_line
    assert "in time" in line
    assert time.monotonic() - started < 7, "the exchange waited past its timeout for the rest of the body"


def test_missing_token_file(capture, runner, tmp_path):
    missing = str(tmp_path / "no-such-token")
    line = runner.fetch(aws_instance(capture.url, missing)).error_line
    assert "no-such-token" in line
    assert capture.take() == [], "nothing may be sent without a token"


def test_token_file_is_read_at_each_fetch(capture, runner, tmp_path):
    capture.answer("POST", "/", 200, sts_success("2031-02-03T04:05:06Z"), content_type="text/xml")
    path = write_secret_file(tmp_path, "rotating-token", "first.token.value\n")
    runner.fetch(aws_instance(capture.url, path)).output
    write_secret_file(tmp_path, "rotating-token", "second.token.value")
    runner.fetch(aws_instance(capture.url, path)).output

    tokens = [dict(request.form())["WebIdentityToken"] for request in capture.take()]
    assert tokens == ["first.token.value", "second.token.value"], "the token file is read afresh, its final newline dropped"


# --------------------------------------------------------------------------------------
# moto


def moto_server_command() -> str:
    beside_python = Path(sys.executable).with_name("moto_server")
    found = os.environ.get("MOTO_SERVER") or (str(beside_python) if beside_python.exists() else shutil.which("moto_server"))
    if not found:
        pytest.fail("moto_server not found (install moto[server] from Tests/interop/requirements.txt)", pytrace=False)
    return found


@pytest.fixture(scope="module")
def moto_sts(tmp_path_factory):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "wb")
    process = subprocess.Popen([moto_server_command(), "-H", "127.0.0.1", "-p", str(port)], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{url}/moto-api/", timeout=1)
            break
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"moto_server did not start on {url}", pytrace=False)
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


def test_moto_issues_credentials_it_recognises(moto_sts, runner, token_file):
    _, path = token_file
    before = datetime.datetime.now(datetime.timezone.utc)
    output = runner.fetch(aws_instance(moto_sts, path, duration="15m")).output
    after = datetime.datetime.now(datetime.timezone.utc)

    assert output["kind"] == "aws"
    access_key_id = output["access_key_id"]
    assert access_key_id.startswith("ASIA") and len(access_key_id) == 20 and access_key_id.isalnum(), access_key_id
    expires_at = parse_time(output["expires_at"])
    slack = datetime.timedelta(seconds=5)
    assert before + datetime.timedelta(minutes=15) - slack <= expires_at <= after + datetime.timedelta(minutes=15) + slack

    # moto knows the session by its access key id: the caller is the assumed role.
    sts = boto3.client("sts", endpoint_url=moto_sts, region_name="us-east-1", aws_access_key_id=access_key_id, aws_secret_access_key="moto-does-not-check")
    identity = sts.get_caller_identity()
    assert identity["Arn"] == f"arn:aws:sts::123456789012:assumed-role/bedrock-invoker/{SESSION_NAME}"
