"""Signs requests with botocore's own SigV4 signer and prints the result, as JSON.

This is the independent side of tests/tests/botocore_signing.rs: the Rust side signs the
same requests with `smithy_runtime::client::sign_request` (the aws-sigv4 crate) and the
two `Authorization` headers must be identical.

Input (stdin):

    {"requests": [{"name": "athena GetSession",
                   "method": "POST",
                   "url": "https://athena.us-east-1.amazonaws.com/",
                   "headers": [["host", "..."], ["x-amz-target", "..."]],  # in order,
                                                                          # repeats kept
                   "body_b64": "...",                   # the exact body bytes
                   "access_key": "AKIDEXAMPLE",
                   "secret_key": "...",
                   "session_token": null,               # or a token
                   "region": "us-east-1",
                   "service": "athena",                 # the signing name
                   "time": "20240115T123456Z",          # the signing time, UTC
                   "presign": null}]}                   # or X-Amz-Expires, to presign

Output (stdout):

    {"botocore": "1.43.62",
     "results": [{"authorization": "AWS4-HMAC-SHA256 Credential=...",
                  "x_amz_date": "20240115T123456Z",
                  "x_amz_security_token": null,
                  "canonical_request": "...", "string_to_sign": "...",
                  "url": "..."}]}                       # the (presigned) URL

The clock: `SigV4Auth.add_auth` takes "now" from `get_current_datetime()`, which
`botocore.auth` imports from `botocore.compat` (which calls
`datetime.datetime.now(datetime.timezone.utc)`). The name is replaced in `botocore.auth`'s
namespace for each request, and the timestamp botocore recorded in the request context
is checked against the one asked for, so a botocore that reads the clock some other way
makes this script fail instead of signing with the real time.
"""

import base64
import datetime
import json
import sys

import botocore
import botocore.auth
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

SIGV4_TIMESTAMP = "%Y%m%dT%H%M%SZ"


class Recording:
    """Keeps the canonical request and string to sign botocore's signer made."""

    canonical = None
    to_sign = None

    def canonical_request(self, request):
        self.canonical = super().canonical_request(request)
        return self.canonical

    def string_to_sign(self, request, canonical_request):
        self.to_sign = super().string_to_sign(request, canonical_request)
        return self.to_sign


class RecordingSigV4Auth(Recording, SigV4Auth):
    """botocore's header signer."""


class RecordingSigV4QueryAuth(Recording, SigV4QueryAuth):
    """botocore's presigner (the signature in the query string)."""


def fixed_clock(when):
    """A stand-in for `botocore.compat.get_current_datetime`, stopped at `when`."""

    def get_current_datetime(remove_tzinfo=True):
        if remove_tzinfo:
            return when.replace(tzinfo=None)
        return when

    return get_current_datetime


def sign(spec):
    when = datetime.datetime.strptime(spec["time"], SIGV4_TIMESTAMP).replace(
        tzinfo=datetime.timezone.utc
    )
    if not hasattr(botocore.auth, "get_current_datetime"):
        raise SystemExit(
            "botocore.auth no longer reads the clock through get_current_datetime; "
            "update the clock patch in botocore_sign.py"
        )
    botocore.auth.get_current_datetime = fixed_clock(when)

    request = AWSRequest(
        method=spec["method"],
        url=spec["url"],
        data=base64.b64decode(spec["body_b64"]),
    )
    # `headers[name] = value` on botocore's HTTPHeaders appends, so repeated headers
    # stay repeated, in order.
    for name, value in spec["headers"]:
        request.headers[name] = value

    credentials = Credentials(
        spec["access_key"], spec["secret_key"], spec.get("session_token")
    )
    if spec.get("presign"):
        signer = RecordingSigV4QueryAuth(
            credentials, spec["service"], spec["region"], expires=spec["presign"]
        )
    else:
        signer = RecordingSigV4Auth(credentials, spec["service"], spec["region"])
    signer.add_auth(request)

    if request.context.get("timestamp") != spec["time"]:
        raise SystemExit(
            f"the clock patch did not take: botocore signed at "
            f"{request.context.get('timestamp')!r}, not {spec['time']!r}"
        )
    return {
        "authorization": request.headers.get("Authorization"),
        "x_amz_date": request.headers.get("X-Amz-Date"),
        "x_amz_security_token": request.headers.get("X-Amz-Security-Token"),
        "canonical_request": signer.canonical,
        "string_to_sign": signer.to_sign,
        "url": request.url,
    }


def main():
    spec = json.load(sys.stdin)
    results = [sign(request) for request in spec["requests"]]
    json.dump({"botocore": botocore.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
