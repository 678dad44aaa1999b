//! `stepwise run --task-http`: a Task answered by an HTTP endpoint on localhost, through the
//! built binary; non-loopback URLs are refused before anything runs.

use std::io::{Read, Write};
use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};

/// A one-shot HTTP server on 127.0.0.1:0 that doubles `n`; it stops after one request, or by
/// itself after five seconds without a client.
fn doubling_server() -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    listener.set_nonblocking(true).expect("nonblocking");
    let handle = std::thread::spawn(move || {
        for _ in 0..500 {
            let Ok((mut s, _)) = listener.accept() else {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            s.set_nonblocking(false).expect("blocking");
            s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
            let mut req = Vec::new();
            let mut buf = [0u8; 4096];
            let body = loop {
                let Ok(n) = s.read(&mut buf) else { return };
                if n == 0 {
                    return;
                }
                req.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&req).to_string();
                if let Some(i) = text.find("\r\n\r\n") {
                    let len = text
                        .lines()
                        .find_map(|l| l.strip_prefix("Content-Length: "))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if req.len() >= i + 4 + len {
                        break text[i + 4..].to_owned();
                    }
                }
            };
            let input: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let n = input["n"].as_i64().unwrap_or(0);
            let out = json!({"doubled": n * 2}).to_string();
            let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{out}", out.len());
            return;
        }
    });
    (format!("http://{addr}/double"), handle)
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stepwise-http-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn definition() -> Value {
    json!({"StartAt": "Double", "States": {"Double": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:double",
        "ResultPath": "$.result", "End": true}}})
}

#[test]
fn a_task_is_answered_by_a_localhost_endpoint() {
    let dir = temp_dir("ok");
    let def = dir.join("double.asl.json");
    std::fs::write(&def, definition().to_string()).expect("write");
    let input = dir.join("input.json");
    std::fs::write(&input, r#"{"n": 21}"#).expect("write");
    let (url, server) = doubling_server();
    let out = Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .arg("run")
        .arg(&def)
        .arg("--input-file")
        .arg(&input)
        .args(["--task-http", &format!("Double={url}"), "--handler-timeout", "5", "--json"])
        .output()
        .expect("run stepwise");
    server.join().expect("server");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(v["status"], "SUCCEEDED", "{v}");
    assert_eq!(v["output"], json!({"n": 21, "result": {"doubled": 42}}), "{v}");
}

#[test]
fn a_non_loopback_endpoint_is_refused_with_a_clear_error() {
    let dir = temp_dir("refused");
    let def = dir.join("double.asl.json");
    std::fs::write(&def, definition().to_string()).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_stepwise"))
        .arg("run")
        .arg(&def)
        .args(["--task-http", "Double=http://192.168.1.10:8080/double"])
        .output()
        .expect("run stepwise");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("only loopback hosts"), "{stderr}");
}
