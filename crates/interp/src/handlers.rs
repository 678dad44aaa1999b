//! Local task handlers: a command or a localhost HTTP endpoint the user configured and trusts
//! answers a Task state.
//!
//! **Commands** ([`CommandHandlers`]):
//! The command runs through `sh -c` with the task input (the effective parameters) as JSON on
//! stdin and `STEPWISE_STATE`, `STEPWISE_RESOURCE` and `STEPWISE_INVOCATION` in its environment.
//! Exit status 0: stdout is the task result (JSON; empty output is `null`). Any other status: the
//! task fails; when stdout holds `{"Error": ..., "Cause": ...}` that is the error, otherwise the
//! error is `States.TaskFailed` with stderr as the cause. A state without a handler is left to the
//! next backend ([`crate::ports::Chain`]).
//!
//! **HTTP endpoints** ([`HttpHandlers`]): only loopback addresses are accepted (`127.0.0.0/8`,
//! `[::1]`, `localhost`); any other host is refused when the handler is configured, and no name
//! is ever looked up except `localhost`. The task input is POSTed as `application/json` with
//! `X-Stepwise-State`, `X-Stepwise-Resource` and `X-Stepwise-Invocation` headers. A 2xx answer's
//! body is the task result (JSON; an empty body is `null`); any other status fails the task with
//! the body's `{"Error", "Cause"}` when it has them, else `States.TaskFailed` with the status and
//! body as the cause. No answer within the handler's timeout (default 30 s) fails the task with
//! `States.TaskFailed` and a cause that says so (a Task's own `TimeoutSeconds` is applied by the
//! engine on logical time, as for every backend).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream, ToSocketAddrs};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::errors::{Failure, TASK_FAILED};
use crate::ports::{TaskAnswer, TaskInvoker, TaskOutcome, TaskRequest, Unanswered};

/// Commands by Task state name.
#[derive(Debug, Clone, Default)]
pub struct CommandHandlers {
    by_state: HashMap<String, String>,
}

impl CommandHandlers {
    /// Adds (or replaces) the command for a state.
    pub fn insert(&mut self, state: impl Into<String>, command: impl Into<String>) {
        self.by_state.insert(state.into(), command.into());
    }

    /// Parses `STATE=COMMAND`.
    pub fn parse_spec(&mut self, spec: &str) -> Result<(), String> {
        let (state, command) = spec
            .split_once('=')
            .filter(|(s, c)| !s.is_empty() && !c.is_empty())
            .ok_or_else(|| format!("expected STATE=COMMAND, got {spec:?}"))?;
        self.insert(state, command);
        Ok(())
    }
}

impl TaskInvoker for CommandHandlers {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<TaskAnswer, Unanswered> {
        let Some(command) = self.by_state.get(request.state_name) else {
            return Err(Unanswered(format!("no local handler for state {:?}", request.state_name)));
        };
        let failed = |cause: String| TaskAnswer {
            outcome: TaskOutcome::Failed(Failure::new(TASK_FAILED, cause)),
            duration_ms: 0,
            silence_ms: None,
        };
        let child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .env("STEPWISE_STATE", request.state_name)
            .env("STEPWISE_RESOURCE", request.resource)
            .env("STEPWISE_INVOCATION", request.invocation.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(c) => c,
            Err(e) => return Ok(failed(format!("cannot start handler {command:?}: {e}"))),
        };
        if let Some(mut stdin) = child.stdin.take() {
            // A handler that ignores its input may close stdin early; that is not an error.
            let _ = stdin.write_all(request.input.to_string().as_bytes());
        }
        let out = match child.wait_with_output() {
            Ok(o) => o,
            Err(e) => return Ok(failed(format!("handler {command:?} failed: {e}"))),
        };
        let stdout = String::from_utf8_lossy(&out.stdout);
        if out.status.success() {
            let text = stdout.trim();
            if text.is_empty() {
                return Ok(TaskAnswer {
                    outcome: TaskOutcome::Succeeded(Value::Null),
                    duration_ms: 0,
                    silence_ms: None,
                });
            }
            return Ok(match serde_json::from_str(text) {
                Ok(v) => TaskAnswer {
                    outcome: TaskOutcome::Succeeded(v),
                    duration_ms: 0,
                    silence_ms: None,
                },
                Err(e) => failed(format!("handler {command:?} printed invalid JSON: {e}")),
            });
        }
        if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(stdout.trim()) {
            if let Some(error) = m.get("Error").and_then(Value::as_str) {
                let cause = m.get("Cause").and_then(Value::as_str).map(str::to_owned);
                return Ok(TaskAnswer {
                    outcome: TaskOutcome::Failed(Failure { error: Some(error.to_owned()), cause }),
                    duration_ms: 0,
                    silence_ms: None,
                });
            }
        }
        Ok(failed(String::from_utf8_lossy(&out.stderr).trim().to_owned()))
    }
}

/// A parsed `http://` URL whose host is a loopback address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopbackUrl {
    /// The URL as given.
    pub url: String,
    /// The addresses to connect to (all loopback).
    addrs: Vec<SocketAddr>,
    /// `Host` header value.
    host: String,
    /// Path and query, at least `/`.
    path: String,
}

impl LoopbackUrl {
    /// Parses `http://HOST[:PORT][/PATH]`; HOST must be a loopback IP address or `localhost`.
    pub fn parse(url: &str) -> Result<LoopbackUrl, String> {
        let rest = url.strip_prefix("http://").ok_or_else(|| {
            format!("{url:?}: only plain http:// URLs on this machine are supported")
        })?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(format!("{url:?}: expected http://HOST:PORT/PATH"));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) =
                v6.split_once(']').ok_or_else(|| format!("{url:?}: unterminated [IPv6] host"))?;
            (h, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        let port: u16 = match port {
            None => 80,
            Some(p) => p.parse().map_err(|_| format!("{url:?}: invalid port {p:?}"))?,
        };
        let refuse = || {
            format!(
                "{url:?}: local handlers must listen on this machine; only loopback hosts \
                 (127.0.0.0/8, [::1], localhost) are accepted, not {host:?}"
            )
        };
        let addrs: Vec<SocketAddr> = if host.eq_ignore_ascii_case("localhost") {
            let resolved: Vec<SocketAddr> = ("localhost", port)
                .to_socket_addrs()
                .map_err(|e| format!("{url:?}: cannot resolve localhost: {e}"))?
                .filter(|a| a.ip().is_loopback())
                .collect();
            if resolved.is_empty() {
                return Err(refuse());
            }
            resolved
        } else {
            let ip: IpAddr = host.parse().map_err(|_| refuse())?;
            if !ip.is_loopback() {
                return Err(refuse());
            }
            vec![SocketAddr::new(ip, port)]
        };
        Ok(LoopbackUrl {
            url: url.to_owned(),
            addrs,
            host: authority.to_owned(),
            path: path.to_owned(),
        })
    }
}

/// HTTP endpoints on localhost by Task state name.
#[derive(Debug, Clone)]
pub struct HttpHandlers {
    by_state: HashMap<String, LoopbackUrl>,
    timeout: Duration,
}

impl Default for HttpHandlers {
    fn default() -> Self {
        HttpHandlers { by_state: HashMap::new(), timeout: Duration::from_secs(30) }
    }
}

impl HttpHandlers {
    /// Sets how long a handler may take to answer (connect, send, receive).
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Adds (or replaces) the endpoint for a state; non-loopback URLs are refused.
    pub fn insert(&mut self, state: impl Into<String>, url: &str) -> Result<(), String> {
        self.by_state.insert(state.into(), LoopbackUrl::parse(url)?);
        Ok(())
    }

    /// Parses `STATE=URL`.
    pub fn parse_spec(&mut self, spec: &str) -> Result<(), String> {
        let (state, url) = spec
            .split_once('=')
            .filter(|(s, u)| !s.is_empty() && !u.is_empty())
            .ok_or_else(|| format!("expected STATE=URL, got {spec:?}"))?;
        self.insert(state, url)
    }

    fn exchange(
        &self,
        url: &LoopbackUrl,
        request: &TaskRequest<'_>,
    ) -> Result<(u16, String), String> {
        let body = request.input.to_string();
        let mut last = String::from("no address");
        let mut stream = None;
        for addr in &url.addrs {
            match TcpStream::connect_timeout(addr, self.timeout) {
                Ok(s) => {
                    stream = Some(s);
                    break;
                }
                Err(e) => last = e.to_string(),
            }
        }
        let mut stream = stream.ok_or_else(|| format!("cannot connect to {}: {last}", url.url))?;
        let timed = |e: std::io::Error| {
            if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) {
                format!("{} did not answer within {:?}", url.url, self.timeout)
            } else {
                format!("{}: {e}", url.url)
            }
        };
        stream.set_read_timeout(Some(self.timeout)).map_err(timed)?;
        stream.set_write_timeout(Some(self.timeout)).map_err(timed)?;
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\nX-Stepwise-State: {}\r\n\
             X-Stepwise-Resource: {}\r\nX-Stepwise-Invocation: {}\r\n\r\n",
            url.path,
            url.host,
            body.len(),
            header_value(request.state_name),
            header_value(request.resource),
            request.invocation
        );
        stream.write_all(head.as_bytes()).map_err(timed)?;
        stream.write_all(body.as_bytes()).map_err(timed)?;
        // One overall deadline: a server trickling bytes cannot hold the run forever.
        #[allow(clippy::disallowed_methods)] // A network timeout is wall time by nature.
        let started = std::time::Instant::now();
        let mut raw = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            if started.elapsed() > self.timeout {
                return Err(format!("{} did not answer within {:?}", url.url, self.timeout));
            }
            match stream.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => raw.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(timed(e)),
            }
            if raw.len() > 64 * 1024 * 1024 {
                return Err(format!("{}: the answer is larger than 64 MiB", url.url));
            }
            if let Some(done) = complete_response(&raw) {
                return done;
            }
        }
        complete_response(&raw)
            .unwrap_or_else(|| Err(format!("{}: the connection closed mid-answer", url.url)))
    }
}

/// Header values cannot hold line breaks.
fn header_value(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// `Some((status, body))` once `raw` holds a whole response (by Content-Length, chunked
/// encoding, or a closed connection — the caller decides that last case).
fn complete_response(raw: &[u8]) -> Option<Result<(u16, String), String>> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let body = &raw[end + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line.split_whitespace().nth(1).and_then(|s| s.parse::<u16>().ok());
    let Some(status) = status else {
        return Some(Err(format!("not an HTTP response: {status_line:?}")));
    };
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            let (k, v) = (k.trim(), v.trim());
            if k.eq_ignore_ascii_case("content-length") {
                length = v.parse::<usize>().ok();
            } else if k.eq_ignore_ascii_case("transfer-encoding")
                && v.to_ascii_lowercase().contains("chunked")
            {
                chunked = true;
            }
        }
    }
    if chunked {
        let mut out = Vec::new();
        let mut rest = body;
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
            let size_text = String::from_utf8_lossy(&rest[..line_end]);
            let size_text = size_text.split(';').next().unwrap_or("").trim().to_owned();
            let Ok(size) = usize::from_str_radix(&size_text, 16) else {
                return Some(Err(format!("invalid chunk size {size_text:?}")));
            };
            rest = &rest[line_end + 2..];
            if size == 0 {
                return Some(Ok((status, String::from_utf8_lossy(&out).into_owned())));
            }
            let Some(needed) = size.checked_add(2) else {
                return Some(Err(format!("invalid chunk size {size_text:?}")));
            };
            if rest.len() < needed {
                return None;
            }
            out.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
    }
    match length {
        Some(n) if body.len() >= n => {
            Some(Ok((status, String::from_utf8_lossy(&body[..n]).into_owned())))
        }
        Some(_) => None,
        // No length: the body ends when the server closes the connection.
        None => None,
    }
}

impl TaskInvoker for HttpHandlers {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<TaskAnswer, Unanswered> {
        let Some(url) = self.by_state.get(request.state_name) else {
            return Err(Unanswered(format!("no HTTP handler for state {:?}", request.state_name)));
        };
        let answer = |outcome| TaskAnswer { outcome, duration_ms: 0, silence_ms: None };
        let (status, body) = match self.exchange(url, request) {
            Ok(r) => r,
            Err(cause) => {
                return Ok(answer(TaskOutcome::Failed(Failure::new(TASK_FAILED, cause))));
            }
        };
        let text = body.trim();
        if (200..300).contains(&status) {
            if text.is_empty() {
                return Ok(answer(TaskOutcome::Succeeded(Value::Null)));
            }
            return Ok(answer(match serde_json::from_str(text) {
                Ok(v) => TaskOutcome::Succeeded(v),
                Err(e) => TaskOutcome::Failed(Failure::new(
                    TASK_FAILED,
                    format!("handler {} answered invalid JSON: {e}", url.url),
                )),
            }));
        }
        if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(text)
            && let Some(error) = m.get("Error").and_then(Value::as_str)
        {
            let cause = m.get("Cause").and_then(Value::as_str).map(str::to_owned);
            return Ok(answer(TaskOutcome::Failed(Failure {
                error: Some(error.to_owned()),
                cause,
            })));
        }
        Ok(answer(TaskOutcome::Failed(Failure::new(
            TASK_FAILED,
            format!("handler {} answered HTTP {status}: {text}", url.url),
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(input: &crate::value::Payload) -> TaskRequest<'_> {
        TaskRequest { state_name: "T", resource: "r", input, invocation: 0, task_token: None }
    }

    #[test]
    fn a_handler_reads_the_input_on_stdin_and_answers_on_stdout() {
        let mut h = CommandHandlers::default();
        h.insert("T", "cat");
        let input = crate::value::Payload::from(json!({"a": 1}));
        let answer = h.invoke(&request(&input)).expect("handled");
        assert_eq!(answer.outcome, TaskOutcome::Succeeded(json!({"a": 1})));
    }

    #[test]
    fn a_failing_handler_reports_its_error_object() {
        let mut h = CommandHandlers::default();
        h.insert("T", r#"echo '{"Error":"Custom","Cause":"nope"}'; exit 3"#);
        let answer = h.invoke(&request(&crate::value::Payload::Null)).expect("handled");
        assert_eq!(answer.outcome, TaskOutcome::Failed(Failure::new("Custom", "nope")));
    }

    #[test]
    fn states_without_a_handler_are_left_to_the_next_backend() {
        let mut h = CommandHandlers::default();
        assert!(h.invoke(&request(&crate::value::Payload::Null)).is_err());
    }

    /// A one-shot HTTP server on 127.0.0.1:0: answers the first request with `response` after
    /// `delay`, then stops; it gives up by itself after five seconds without a client.
    fn serve_once(
        response: &'static str,
        delay: Duration,
    ) -> (String, std::thread::JoinHandle<String>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        listener.set_nonblocking(true).expect("nonblocking");
        let handle = std::thread::spawn(move || {
            for _ in 0..500 {
                match listener.accept() {
                    Ok((mut s, _)) => {
                        s.set_nonblocking(false).expect("blocking");
                        s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
                        let mut req = Vec::new();
                        let mut buf = [0u8; 4096];
                        // Read the head and the Content-Length body.
                        while let Ok(n) = s.read(&mut buf) {
                            if n == 0 {
                                break;
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
                                    break;
                                }
                            }
                        }
                        std::thread::sleep(delay);
                        let _ = s.write_all(response.as_bytes());
                        return String::from_utf8_lossy(&req).into_owned();
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
            String::new()
        });
        (format!("http://{addr}/task"), handle)
    }

    #[test]
    fn an_http_handler_gets_the_input_and_answers_the_result() {
        let (url, server) = serve_once(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}",
            Duration::ZERO,
        );
        let mut h = HttpHandlers::default();
        h.insert("T", &url).expect("loopback");
        let input = crate::value::Payload::from(json!({"a": 1}));
        let answer = h.invoke(&request(&input)).expect("handled");
        assert_eq!(answer.outcome, TaskOutcome::Succeeded(json!({"ok": true})));
        let seen = server.join().expect("server");
        assert!(seen.starts_with("POST /task HTTP/1.1"), "{seen}");
        assert!(seen.contains("X-Stepwise-State: T"), "{seen}");
        assert!(seen.ends_with("{\"a\":1}"), "{seen}");
    }

    #[test]
    fn an_http_error_answer_is_the_task_error() {
        let (url, server) = serve_once(
            "HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n1c\r\n{\"Error\":\"Boom\",\"Cause\":\"x\"}\r\n0\r\n\r\n",
            Duration::ZERO,
        );
        let mut h = HttpHandlers::default();
        h.insert("T", &url).expect("loopback");
        let answer = h.invoke(&request(&crate::value::Payload::Null)).expect("handled");
        assert_eq!(answer.outcome, TaskOutcome::Failed(Failure::new("Boom", "x")));
        server.join().expect("server");
    }

    #[test]
    fn a_slow_http_handler_times_out() {
        let (url, server) =
            serve_once("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1", Duration::from_millis(800));
        let mut h = HttpHandlers::default();
        h.set_timeout(Duration::from_millis(150));
        h.insert("T", &url).expect("loopback");
        let answer = h.invoke(&request(&crate::value::Payload::Null)).expect("handled");
        match answer.outcome {
            TaskOutcome::Failed(f) => {
                assert_eq!(f.error.as_deref(), Some(TASK_FAILED));
                assert!(
                    f.cause.as_deref().is_some_and(|c| c.contains("did not answer within")),
                    "{f:?}"
                );
            }
            other => panic!("expected a failure, got {other:?}"),
        }
        server.join().expect("server");
    }

    #[test]
    fn only_loopback_hosts_are_accepted() {
        let mut h = HttpHandlers::default();
        for bad in [
            "http://10.0.0.1:8080/x",
            "http://example.com/x",
            "https://127.0.0.1/x",
            "http://0.0.0.0:80/",
        ] {
            let e = h.insert("T", bad).expect_err(bad);
            assert!(e.contains("loopback") || e.contains("http://"), "{e}");
        }
        for good in ["http://127.0.0.1:9/x", "http://[::1]:9/", "http://127.1.2.3:80"] {
            h.insert("T", good).unwrap_or_else(|e| panic!("{good}: {e}"));
        }
    }
}
