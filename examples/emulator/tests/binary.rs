//! The `emulator` binary: its first stdout line, its options, and a clean stop on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_emulator"))
        .args(args)
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the emulator binary runs")
}

/// The port from the first stdout line, which must be `listening on http://127.0.0.1:PORT`.
fn first_line_port(child: &mut Child) -> u16 {
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().expect("piped"))
        .read_line(&mut line)
        .expect("a first line");
    let port = line
        .trim_end()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    port.parse().expect("a port number")
}

/// POSTs `body` and returns the status and the body of the answer.
fn post(port: u16, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut request = format!("POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(request.as_bytes()).expect("writes");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    let status = answer[9..12].parse().expect("status");
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    (status, body)
}

fn get_session(port: u16, id: &str) -> (u16, String) {
    post(
        port,
        "/",
        &[
            ("X-Amz-Target", "AmazonAthena.GetSession"),
            ("Content-Type", "application/x-amz-json-1.1"),
        ],
        &format!("{{\"SessionId\":\"{id}\"}}"),
    )
}

/// Sends SIGTERM and waits (bounded) for a successful exit; returns stderr.
fn terminate(mut child: Child) -> String {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("waitable") {
            break exit;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the emulator did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    let _ = child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr);
    assert!(exit.success(), "exit {exit}: {stderr}");
    stderr
}

#[test]
fn prints_its_address_first_serves_both_services_and_stops_on_sigterm() {
    let mut child = spawn(&["--port", "0", "--region", "eu-central-1"]);
    let port = first_line_port(&mut child);
    let (status, body) = get_session(port, "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"WorkGroup\":\"spark-analytics\""), "{body}");
    let (status, body) = post(
        port,
        "/applications/00fabcdefghij012/sessions",
        &[("Content-Type", "application/json")],
        r#"{"clientToken":"t1","executionRoleArn":"arn:aws:iam::123456789012:role/EMRRole"}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("arn:aws:emr-serverless:eu-central-1:123456789012:"),
        "--region is used for unsigned requests: {body}"
    );
    let stderr = terminate(child);
    // Every request is logged, with its service and operation.
    assert!(
        stderr.contains("service=\"athena\"") && stderr.contains("operation=\"GetSession\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("service=\"emr-serverless\"")
            && stderr.contains("operation=\"StartSession\""),
        "{stderr}"
    );
}

#[test]
fn serves_the_seed_file_it_is_given() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let seed = dir.join(format!("seed-{}.json", std::process::id()));
    std::fs::write(
        &seed,
        r#"{"athena": {"sessions": [{"SessionId": "only-one", "Status": {"State": "BUSY",
            "StartDateTime": 1700000000}}]},
           "emrServerless": {"applications": []}}"#,
    )
    .expect("writable");
    let mut child = spawn(&["--port=0", "--seed", seed.to_str().expect("UTF-8 path")]);
    let port = first_line_port(&mut child);
    let (status, body) = get_session(port, "only-one");
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        r#"{"SessionId":"only-one","Status":{"StartDateTime":1700000000,"State":"BUSY"}}"#
    );
    let (status, _) = get_session(port, "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e");
    assert_eq!(status, 400, "the default seed is not loaded");
    let (status, body) = post(
        port,
        "/applications/00fabcdefghij012/sessions",
        &[("Content-Type", "application/json")],
        r#"{"clientToken":"t1","executionRoleArn":"arn:aws:iam::123456789012:role/EMRRole"}"#,
    );
    assert_eq!(status, 404, "{body}");
    terminate(child);
    let _ = std::fs::remove_file(seed);
}

#[test]
fn help_and_bad_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_emulator"))
        .arg("--help")
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("usage: emulator"));
    for args in [
        &["--port", "70000"][..],
        &["--port"],
        &["--bogus"],
        &["--account", "12"],
        &["--seed", "/nonexistent/seed.json"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_emulator"))
            .args(args)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).starts_with("emulator: "),
            "{args:?}"
        );
    }
}

/// `post`, but `None` when the connection fails or closes without a whole answer (the
/// server was killed).
fn try_post(port: u16, path: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.get(9..12)?.parse().ok()?;
    let (_, body) = answer.split_once("\r\n\r\n")?;
    // A 200 counts only with its whole body: the client saw the acknowledgement.
    serde_json::from_str::<serde_json::Value>(body).ok()?;
    Some((status, body.to_string()))
}

fn start_body(token: &str) -> String {
    format!(
        r#"{{"clientToken":"{token}","executionRoleArn":"arn:aws:iam::123456789012:role/EMRRole"}}"#
    )
}

fn session_id(body: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).expect("JSON");
    value["sessionId"].as_str().expect("sessionId").to_string()
}

#[test]
fn acknowledged_sessions_survive_kill_9_in_the_middle_of_a_load() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let state = dir.join(format!("state-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&state);
    let state_arg = state.to_str().expect("UTF-8 path");
    let args = [
        "--port",
        "0",
        "--state",
        state_arg,
        "--max-sessions-per-application",
        "100000",
    ];
    let path = "/applications/00fabcdefghij012/sessions";

    let mut child = spawn(&args);
    let port = first_line_port(&mut child);
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(String, String)>::new()));
    let workers: Vec<_> = (0..4)
        .map(|worker| {
            let acknowledged = std::sync::Arc::clone(&acknowledged);
            std::thread::spawn(move || {
                for i in 0.. {
                    let token = format!("w{worker}-{i}");
                    match try_post(port, path, &start_body(&token)) {
                        Some((200, body)) => acknowledged
                            .lock()
                            .unwrap()
                            .push((token, session_id(&body))),
                        Some((status, body)) => panic!("{token}: {status} {body}"),
                        None => return,
                    }
                }
            })
        })
        .collect();
    // Killed while the workers are still sending.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acknowledged.lock().unwrap().len() < 60 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    for worker in workers {
        worker.join().expect("a worker");
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 60,
        "only {} sessions before the kill",
        acknowledged.len()
    );

    // The restarted emulator knows every acknowledged session: the same token and request
    // give back the same session (idempotency), not a new one.
    let mut child = spawn(&args);
    let port = first_line_port(&mut child);
    for (token, session) in &acknowledged {
        let (status, body) = post(
            port,
            path,
            &[("Content-Type", "application/json")],
            &start_body(token),
        );
        assert_eq!(status, 200, "{token}: {body}");
        assert_eq!(&session_id(&body), session, "{token} after the restart");
    }
    // Another request with a known token is still a conflict.
    let (status, body) = post(
        port,
        path,
        &[("Content-Type", "application/json")],
        &start_body(&acknowledged[0].0).replace("EMRRole", "OtherRole"),
    );
    assert_eq!(status, 409, "{body}");
    terminate(child);
    let _ = std::fs::remove_file(&state);
}
