"""Parses raw HTTP responses with botocore's own response parsers and prints the result.

This is the independent side of tests/tests/botocore_parsing.rs: the Rust side serves
the same raw responses to the generated clients and compares what they made of them.

Input (stdin):

    {"responses": [{"name": "GetSession, every field",
                    "service": "athena",            # botocore's service name
                    "operation": "GetSession",
                    "protocol": "json",             # or "rest-json"
                    "status": 200,
                    "headers": [["x-amzn-requestid", "..."], ...],
                    "body": "..."}]}                # UTF-8 text

Output (stdout):

    {"botocore": "1.43.62",
     "results": [{"status": 200, "request_id": "...",
                  "parsed": {...},       # the parsed response, without ResponseMetadata
                                         # and Error; for an error, the modeled error's
                                         # members botocore adds
                  "error": null | {"code": "...", "message": "..."},
                  "exception": "ResourceNotFoundException" | "ClientError" | null,
                  "operation_errors": ["InternalServerException", ...]}]}

It does what botocore's endpoint and client do with a response: `parser.parse(response,
output_shape)`; for a status >= 300, the modeled error's members added from the shape
`shape_for_error_code(code)` (botocore.endpoint `_add_modeled_error_fields`); the
exception class is the one `client.exceptions.from_code(code)` gives.

Datetimes become {"$epoch_micros": <integer microseconds since 1970>}, exactly (botocore
keeps microseconds), so the Rust side knows which values were timestamps.
"""

import datetime
import json
import sys

import botocore
import botocore.session
from botocore.awsrequest import HeadersDict
from botocore.parsers import create_parser

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def plain(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise SystemExit(f"botocore returned a naive datetime: {value!r}")
        delta = value - EPOCH
        micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
        return {"$epoch_micros": micros}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        raise SystemExit("no blobs expected in these responses")
    return value


class Services:
    def __init__(self):
        self.session = botocore.session.get_session()
        self.models = {}
        self.clients = {}

    def model(self, name):
        if name not in self.models:
            self.models[name] = self.session.get_service_model(name)
        return self.models[name]

    def client(self, name):
        # Only for `client.exceptions`: nothing is sent.
        if name not in self.clients:
            self.clients[name] = self.session.create_client(
                name,
                region_name="us-east-1",
                aws_access_key_id="AKIDEXAMPLE",
                aws_secret_access_key="secret",
            )
        return self.clients[name]


def parse(services, spec):
    model = services.model(spec["service"])
    protocols = model.metadata.get("protocols") or [model.metadata["protocol"]]
    if spec["protocol"] not in protocols:
        raise SystemExit(
            f"{spec['service']} speaks {protocols}, not {spec['protocol']}"
        )
    operation = model.operation_model(spec["operation"])
    parser = create_parser(spec["protocol"])
    response = {
        "status_code": spec["status"],
        "headers": HeadersDict(spec["headers"]),
        "body": spec["body"].encode("utf-8"),
        "context": {"operation_name": operation.name},
    }
    parsed = parser.parse(response, operation.output_shape)
    error = None
    exception = None
    if spec["status"] >= 300:
        code = parsed.get("Error", {}).get("Code")
        if code is not None:
            shape = model.shape_for_error_code(code)
            if shape is not None:
                parsed.update(parser.parse(response, shape))
        error = {
            "code": code,
            "message": parsed.get("Error", {}).get("Message"),
        }
        exception = services.client(spec["service"]).exceptions.from_code(code).__name__
    metadata = parsed.get("ResponseMetadata", {})
    return {
        "status": metadata.get("HTTPStatusCode"),
        "request_id": metadata.get("RequestId"),
        "parsed": plain(
            {k: v for k, v in parsed.items() if k not in ("ResponseMetadata", "Error")}
        ),
        "error": error,
        "exception": exception,
        # The operation's own modeled errors, by code, for the Rust side to check its
        # variants against.
        "operation_errors": sorted(shape.error_code for shape in operation.error_shapes),
    }


def main():
    spec = json.load(sys.stdin)
    services = Services()
    results = [parse(services, response) for response in spec["responses"]]
    json.dump({"botocore": botocore.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
