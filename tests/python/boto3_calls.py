"""Runs boto3 calls against a local endpoint and prints what came back, as JSON.

Input (stdin), from tests/tests/real_clients.rs:

    {"endpoint": "http://127.0.0.1:PORT",
     "calls": [{"service": "athena", "method": "get_session",
                "params": {"SessionId": "..."},
                "region": "us-east-1",              # optional
                "access_key": "...", "secret_key": "...", "session_token": "...",  # optional
                "parameter_validation": true}]}     # optional

Output (stdout): one result per call, in order:

    {"ok": <response without ResponseMetadata>, "status": 200, "request_id": "..."}
    {"error": {"class": "ResourceNotFoundException", "modeled": true, "code": "...",
               "message": "...", "status": 400, "request_id": "...", "fields": {...}}}

Values boto3 turned into `datetime` objects are checked here with
`isinstance(value, datetime)` and written as {"$datetime": value.isoformat()}, so the Rust
side sees which values arrived as datetimes and which did not. Retries are off: an
injected 500 must come back at once.
"""

import base64
import datetime
import json
import sys

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError


def plain(value):
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(value).decode()}
    return value


def client_for(endpoint, call, cache):
    region = call.get("region", "us-east-1")
    validation = call.get("parameter_validation", True)
    access_key = call.get("access_key", "AKIDEXAMPLE")
    secret_key = call.get("secret_key", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    session_token = call.get("session_token")
    key = (call["service"], region, validation, access_key, secret_key, session_token)
    if key not in cache:
        cache[key] = boto3.session.Session().client(
            call["service"],
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            aws_session_token=session_token,
            config=Config(
                parameter_validation=validation,
                retries={"mode": "standard", "total_max_attempts": 1},
                connect_timeout=5,
                read_timeout=20,
            ),
        )
    return cache[key]


def run(endpoint, call, cache):
    client = client_for(endpoint, call, cache)
    operation = getattr(client, call["method"])
    try:
        response = operation(**call.get("params", {}))
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code")
        modeled_class = getattr(client.exceptions, code, None) if code else None
        metadata = error.response.get("ResponseMetadata", {})
        return {
            "error": {
                "class": type(error).__name__,
                # True when boto3 raised the service's own exception class for the code.
                "modeled": modeled_class is not None and type(error) is modeled_class,
                "is_client_error": isinstance(error, ClientError),
                "code": code,
                "message": error.response.get("Error", {}).get("Message"),
                "status": metadata.get("HTTPStatusCode"),
                "request_id": metadata.get("RequestId"),
                "fields": plain({k: v for k, v in error.response.items() if k != "Error"}),
            }
        }
    metadata = response.get("ResponseMetadata", {})
    return {
        "ok": plain(response),
        "status": metadata.get("HTTPStatusCode"),
        "request_id": metadata.get("RequestId"),
    }


def main():
    spec = json.load(sys.stdin)
    cache = {}
    results = [run(spec["endpoint"], call, cache) for call in spec["calls"]]
    json.dump(
        {"boto3": boto3.__version__, "botocore": botocore.__version__, "results": results},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
