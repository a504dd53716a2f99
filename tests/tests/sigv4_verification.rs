//! SigV4 verification in the generated server (`ServerConfig::with_sigv4`), over real
//! HTTP on 127.0.0.1, against requests signed by an independent signer: botocore's
//! `SigV4Auth` and `SigV4QueryAuth` (`tests/python/botocore_sign.py`). Each request is
//! signed, then sent as signed or with one part altered; the emulator (Athena, awsJson1_1;
//! EMR Serverless, restJson1) verifies with the keys below.
//!
//! The matrix: body, a signed header, the query, the date, the region, the service, the
//! key, the secret and the session token altered, unsigned and half-signed requests,
//! presigned URLs, and stale or future dates, each rejected with AWS's error code
//! (awsJson services answer 400, restJson1 services 403), no response carrying the secret
//! or a signature. boto3 and the AWS CLI calling a verifying emulator are in
//! `real_clients.rs`.

use std::future::Future;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use emulator::{Config, Credential, Emulator, EmulatorHandle};
use integration_tests::python::{python, run_python};
use serde_json::{Value, json};
use smithy_runtime::server::{Secret, ServerConfig, SigV4Verifier, SigningIdentity, StaticSecrets};

const KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TEMP_KEY: &str = "ASIATEMPORARYEXAMPLE";
const TEMP_SECRET: &str = "tEmPoRaRySeCrEt/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEHwaCXVzLWVhc3QtMSJHMEUCIQD6+/token==";
const SESSION: &str = "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e";
const APP: &str = "00fabcdefghij012";

fn start() -> (SocketAddr, EmulatorHandle) {
    let credentials = [
        Credential {
            access_key_id: KEY.into(),
            secret_access_key: SECRET.into(),
            session_token: None,
        },
        Credential {
            access_key_id: TEMP_KEY.into(),
            secret_access_key: TEMP_SECRET.into(),
            session_token: Some(TOKEN.into()),
        },
    ];
    Emulator::start(Config {
        port: 0,
        server: emulator::verifying(ServerConfig::default(), &credentials),
        ..Config::default()
    })
    .expect("the emulator starts")
}

/// A request as it goes on the wire: target (path and query), headers, body.
#[derive(Clone, Debug)]
struct Request {
    method: &'static str,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn athena(addr: SocketAddr) -> Request {
        Request {
            method: "POST",
            target: "/".into(),
            headers: vec![
                ("host".into(), addr.to_string()),
                ("content-type".into(), "application/x-amz-json-1.1".into()),
                ("x-amz-target".into(), "AmazonAthena.GetSession".into()),
                ("x-custom".into(), "signed".into()),
            ],
            body: format!(r#"{{"SessionId":"{SESSION}"}}"#).into_bytes(),
        }
    }

    fn emr(addr: SocketAddr) -> Request {
        Request {
            method: "POST",
            target: format!("/applications/{APP}/sessions?note=a"),
            headers: vec![
                ("host".into(), addr.to_string()),
                ("content-type".into(), "application/json".into()),
            ],
            body: json!({
                "clientToken": "verify-1",
                "executionRoleArn": "arn:aws:iam::123456789012:role/EMRRole"
            })
            .to_string()
            .into_bytes(),
        }
    }

    fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn set_header(mut self, name: &str, value: &str) -> Request {
        for (n, v) in &mut self.headers {
            if n.eq_ignore_ascii_case(name) {
                *v = value.to_string();
            }
        }
        self
    }

    fn without_header(mut self, name: &str) -> Request {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self
    }

    fn header_value(&self, name: &str) -> String {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// How botocore signs a request.
struct Signing {
    key: &'static str,
    secret: &'static str,
    token: Option<&'static str>,
    region: &'static str,
    service: &'static str,
    /// Seconds from now (negative: in the past).
    offset: i64,
    presign: Option<u64>,
}

impl Signing {
    fn new(service: &'static str) -> Signing {
        Signing {
            key: KEY,
            secret: SECRET,
            token: None,
            region: "us-east-1",
            service,
            offset: 0,
            presign: None,
        }
    }
}

fn amz_date(offset: i64) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let time = smithy_runtime::DateTime::from_secs(now + offset);
    let iso = time.fmt(smithy_runtime::TimestampFormat::DateTime);
    // 2024-01-15T12:34:56Z -> 20240115T123456Z
    iso.chars().filter(|c| *c != '-' && *c != ':').collect()
}

/// `request` signed by botocore: header-signed (`Authorization`, `X-Amz-Date`,
/// `X-Amz-Security-Token`) or presigned (the URL's query).
fn sign(python: &std::path::Path, request: &Request, how: &Signing) -> Request {
    let host = request.header_value("host");
    let spec = json!({"requests": [{
        "name": "verification",
        "method": request.method,
        "url": format!("http://{host}{}", request.target),
        "headers": request.headers,
        "body_b64": smithy_runtime::base64::encode(&request.body),
        "access_key": how.key,
        "secret_key": how.secret,
        "session_token": how.token,
        "region": how.region,
        "service": how.service,
        "time": amz_date(how.offset),
        "presign": how.presign,
    }]});
    let out = run_python(python, "botocore_sign.py", &spec);
    let result = &out["results"][0];
    let mut signed = request.clone();
    if how.presign.is_some() {
        let url = result["url"].as_str().expect("a presigned URL");
        let start = url.find(&host).expect("the URL has the host") + host.len();
        signed.target = url[start..].to_string();
        return signed;
    }
    let text = |key: &str| result[key].as_str().map(str::to_string);
    signed = signed
        .header("authorization", &text("authorization").expect("signed"))
        .header("x-amz-date", &text("x_amz_date").expect("dated"));
    if let Some(token) = text("x_amz_security_token") {
        signed = signed.header("x-amz-security-token", &token);
    }
    signed
}

/// What came back: status, the error code (`__type` or `x-amzn-errortype`), the text.
struct Answer {
    status: u16,
    code: String,
    text: String,
}

fn send(addr: SocketAddr, request: &Request) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!("{} {} HTTP/1.1\r\n", request.method, request.target);
    for (name, value) in &request.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        request.body.len()
    ));
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&request.body).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("a response");
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let header_code = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("x-amzn-errortype")
            .then(|| value.trim().split(':').next().unwrap_or("").to_string())
    });
    let body_code = serde_json::from_str::<Value>(body.trim())
        .ok()
        .and_then(|v| v["__type"].as_str().map(str::to_string));
    let code = header_code
        .or(body_code)
        .map(|c| c.rsplit('#').next().unwrap_or("").to_string())
        .unwrap_or_default();
    Answer { status, code, text }
}

/// Asserts the answer is the error `code` with the service's status, and that it gives
/// nothing away: no secret, no signature (no 64-digit hex at all).
#[track_caller]
fn assert_rejected(answer: &Answer, code: &str, status: u16, case: &str) {
    assert_eq!(
        (answer.status, answer.code.as_str()),
        (status, code),
        "{case}:\n{}",
        answer.text
    );
    for secret in [SECRET, TEMP_SECRET, TOKEN] {
        assert!(!answer.text.contains(secret), "{case}: leaks a secret");
    }
    let hex_run = answer
        .text
        .as_bytes()
        .split(|b| !b.is_ascii_hexdigit())
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    assert!(
        hex_run < 64,
        "{case}: carries a signature:\n{}",
        answer.text
    );
}

#[test]
fn botocore_signed_requests_verify_and_every_altered_part_is_rejected() {
    let Some(python) = python("botocore_signed_requests_verify_and_every_altered_part_is_rejected")
    else {
        return;
    };
    let (addr, _server) = start();

    for (name, request, service, status) in [
        ("athena", Request::athena(addr), "athena", 400),
        ("emr-serverless", Request::emr(addr), "emr-serverless", 403),
    ] {
        let signed = sign(&python, &request, &Signing::new(service));
        let ok = send(addr, &signed);
        assert_eq!(ok.status, 200, "{name} signed:\n{}", ok.text);

        let reject = |case: &str, request: &Request, code: &str| {
            assert_rejected(
                &send(addr, request),
                code,
                status,
                &format!("{name}: {case}"),
            );
        };
        let mismatch = "InvalidSignatureException";

        reject("unsigned", &request, "MissingAuthenticationTokenException");

        let mut body = signed.clone();
        body.body = String::from_utf8(body.body)
            .unwrap()
            .replace("a", "b")
            .into_bytes();
        reject("body altered", &body, mismatch);

        if name == "athena" {
            reject(
                "signed header altered",
                &signed.clone().set_header("x-custom", "changed"),
                mismatch,
            );
        } else {
            let mut query = signed.clone();
            query.target = query.target.replace("note=a", "note=b");
            reject("query altered", &query, mismatch);
        }
        reject(
            "signed header removed",
            &signed.clone().without_header("content-type"),
            mismatch,
        );

        let date = signed.header_value("x-amz-date");
        let later = format!(
            "{}{}",
            &date[..14],
            if &date[14..15] == "0" { "1Z" } else { "0Z" }
        );
        reject(
            "date altered",
            &signed.clone().set_header("x-amz-date", &later),
            mismatch,
        );
        let authorization = signed.header_value("authorization");
        reject(
            "region altered",
            &signed.clone().set_header(
                "authorization",
                &authorization.replace("/us-east-1/", "/us-west-2/"),
            ),
            mismatch,
        );
        reject(
            "key altered",
            &signed.clone().set_header(
                "authorization",
                &authorization.replace(KEY, "AKIDUNKNOWNEXAMPLE"),
            ),
            "UnrecognizedClientException",
        );
        reject(
            "no signature",
            &signed.clone().set_header(
                "authorization",
                &authorization[..authorization.find(", Signature=").unwrap()],
            ),
            "IncompleteSignatureException",
        );

        let signed_with = |how: Signing| sign(&python, &request, &how);
        reject(
            "another service's scope",
            &signed_with(Signing {
                service: "s3",
                ..Signing::new(service)
            }),
            mismatch,
        );
        reject(
            "wrong secret",
            &signed_with(Signing {
                secret: TEMP_SECRET,
                ..Signing::new(service)
            }),
            mismatch,
        );
        reject(
            "signed 20 minutes ago",
            &signed_with(Signing {
                offset: -20 * 60,
                ..Signing::new(service)
            }),
            mismatch,
        );
        reject(
            "signed 20 minutes ahead",
            &signed_with(Signing {
                offset: 20 * 60,
                ..Signing::new(service)
            }),
            mismatch,
        );

        // Temporary credentials: the token must come, and be the one issued.
        let temporary = Signing {
            key: TEMP_KEY,
            secret: TEMP_SECRET,
            token: Some(TOKEN),
            ..Signing::new(service)
        };
        let with_token = signed_with(temporary);
        // (EMR Serverless: the same client token and request again, answered as before.)
        let answer = send(addr, &with_token);
        assert_eq!(
            answer.status, 200,
            "{name} with a session token:\n{}",
            answer.text
        );
        reject(
            "session token missing",
            &with_token.clone().without_header("x-amz-security-token"),
            "UnrecognizedClientException",
        );
        reject(
            "session token altered",
            &with_token.set_header("x-amz-security-token", "another-token"),
            "UnrecognizedClientException",
        );
        reject(
            "session token with long-term keys",
            &signed_with(Signing {
                token: Some(TOKEN),
                ..Signing::new(service)
            }),
            "UnrecognizedClientException",
        );
    }
}

/// The `jobs` test service (restJson1, signing name `jobs`), verifying with [`KEY`]:
/// `ListJobs` records the verified identity its handler was given.
#[derive(Clone, Default)]
struct Jobs(Arc<Mutex<Vec<Option<SigningIdentity>>>>);

impl jobs::server::JobsPartial for Jobs {
    fn list_jobs(
        &self,
        _: jobs::operation::list_jobs::ListJobsInput,
        context: jobs::server::RequestContext,
    ) -> impl Future<
        Output = Result<
            jobs::operation::list_jobs::ListJobsOutput,
            jobs::operation::list_jobs::ListJobsError,
        >,
    > + Send {
        self.0
            .lock()
            .unwrap()
            .push(context.verified_identity().cloned());
        std::future::ready(Ok(
            jobs::operation::list_jobs::ListJobsOutput::builder().build()
        ))
    }
}

fn start_jobs() -> (SocketAddr, Jobs, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let service = Jobs::default();
    let secrets = StaticSecrets::new().with(KEY, Secret::new(SECRET));
    let config =
        ServerConfig::default().with_sigv4(SigV4Verifier::new(secrets).region("us-east-1"));
    let router = jobs::server::router_with_config(service.clone(), config);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(async move { smithy_runtime::server::axum::serve(listener, router).await });
    (addr, service, runtime)
}

#[test]
fn presigned_requests_verify_until_they_expire_and_the_handler_sees_the_signer() {
    let Some(python) =
        python("presigned_requests_verify_until_they_expire_and_the_handler_sees_the_signer")
    else {
        return;
    };
    let (addr, service, _runtime) = start_jobs();
    let request = Request {
        method: "GET",
        target: "/jobs?maxResults=5".into(),
        headers: vec![("host".into(), addr.to_string())],
        body: Vec::new(),
    };
    let presign = |offset: i64, expires: u64| {
        sign(
            &python,
            &request,
            &Signing {
                presign: Some(expires),
                offset,
                ..Signing::new("jobs")
            },
        )
    };
    let presigned = presign(0, 300);
    assert!(
        presigned.target.contains("X-Amz-Signature="),
        "{presigned:?}"
    );
    let answer = send(addr, &presigned);
    assert_eq!(answer.status, 200, "presigned:\n{}", answer.text);

    // Header-signed, too; and the handler saw both signers, verified.
    let signed = sign(&python, &request, &Signing::new("jobs"));
    assert_eq!(send(addr, &signed).status, 200);
    let seen = service.0.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    for identity in seen {
        let identity = identity.expect("a verified identity");
        assert_eq!(
            (
                identity.access_key_id.as_str(),
                identity.region.as_str(),
                identity.service.as_str()
            ),
            (KEY, "us-east-1", "jobs")
        );
    }

    let mut altered = presigned.clone();
    altered.target = altered.target.replace("maxResults=5", "maxResults=6");
    assert_rejected(
        &send(addr, &altered),
        "InvalidSignatureException",
        403,
        "presigned, query altered",
    );
    let mut altered = presigned.clone();
    altered.target = altered
        .target
        .replace("X-Amz-Expires=300", "X-Amz-Expires=900");
    assert_rejected(
        &send(addr, &altered),
        "InvalidSignatureException",
        403,
        "presigned, expiry altered",
    );
    let answer = send(addr, &presign(-120, 60));
    assert_rejected(
        &answer,
        "InvalidSignatureException",
        403,
        "presigned, expired",
    );
    assert!(answer.text.contains("Signature expired"), "{}", answer.text);

    // This server takes us-east-1 only.
    let elsewhere = sign(
        &python,
        &request,
        &Signing {
            region: "eu-west-1",
            ..Signing::new("jobs")
        },
    );
    let answer = send(addr, &elsewhere);
    assert_rejected(&answer, "InvalidSignatureException", 403, "another region");
    assert!(answer.text.contains("valid region"), "{}", answer.text);
    assert_eq!(
        service.0.lock().unwrap().len(),
        2,
        "no rejected request reached the handler"
    );
}

#[test]
fn a_stated_payload_hash_must_be_the_bodys() {
    let Some(python) = python("a_stated_payload_hash_must_be_the_bodys") else {
        return;
    };
    let (addr, _server) = start();
    let request = Request::athena(addr);
    let hash: String = {
        use sha2::Digest as _;
        sha2::Sha256::digest(&request.body)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let signed = sign(
        &python,
        &request.clone().header("x-amz-content-sha256", &hash),
        &Signing::new("athena"),
    );
    let answer = send(addr, &signed);
    assert_eq!(answer.status, 200, "{}", answer.text);
    let mut body = signed.clone();
    body.body = body
        .body
        .iter()
        .map(|b| if *b == b'a' { b'b' } else { *b })
        .collect();
    let answer = send(addr, &body);
    assert_rejected(
        &answer,
        "InvalidSignatureException",
        400,
        "stated hash, body altered",
    );
    assert!(
        answer.text.contains("x-amz-content-sha256"),
        "{}",
        answer.text
    );
}
