$version: "2"

// A service that is not an AWS service: no `aws.api#service`, no SigV4, and no endpoint
// rules (clients give `endpoint_url`); callers authenticate with a bearer token or an
// API key, tried in that order.
namespace example.notes

use aws.protocols#restJson1

@restJson1
@httpBearerAuth
@httpApiKeyAuth(name: "x-api-key", in: "header")
@auth([httpBearerAuth, httpApiKeyAuth])
service Notes {
    version: "2026-11-30"
    operations: [GetNote]
}

/// Reads a note.
@readonly
@http(method: "GET", uri: "/notes/{id}")
operation GetNote {
    input := {
        @required
        @httpLabel
        id: String
    }
    output := {
        @required
        text: String
    }
    errors: [Unauthorized]
}

/// The caller's token or key is not accepted.
@error("client")
@httpError(401)
structure Unauthorized {
    message: String
}
