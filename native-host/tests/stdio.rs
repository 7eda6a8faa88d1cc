//! `paceline mcp --sandbox` answers every line a client sends, including lines that are not
//! JSON it can read: raw bytes written to the built binary's stdin, replies read from stdout.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

struct Server {
    child: Child,
    stdin: ChildStdin,
    replies: mpsc::Receiver<Value>,
}

impl Server {
    fn start() -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_paceline"))
            .args(["mcp", "--sandbox"])
            .env("PACELINE_LOG", "off")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn paceline mcp --sandbox");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, replies) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let v: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {line}"));
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        let mut s = Self {
            child,
            stdin,
            replies,
        };
        s.send(
            json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
                "protocolVersion": "2025-06-18", "capabilities": {},
                "clientInfo": {"name": "raw", "version": "0"}}})
            .to_string()
            .as_bytes(),
        );
        let init = s.reply();
        assert_eq!(init["id"], 0, "{init}");
        s.send(br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#);
        s
    }

    fn send(&mut self, line: &[u8]) {
        self.stdin.write_all(line).expect("write");
        self.stdin.write_all(b"\n").expect("write");
        self.stdin.flush().expect("flush");
    }

    /// The next reply; no reply within 10 s is the hang this test exists to catch.
    fn reply(&self) -> Value {
        self.replies
            .recv_timeout(Duration::from_secs(10))
            .expect("a reply within 10 s (the server left the client waiting)")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn lines_the_server_cannot_read_get_a_parse_error_and_the_session_goes_on() {
    let mut s = Server::start();
    let mut invalid_utf8 =
        br#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_athlete_profile","arguments":{"a":""#
            .to_vec();
    invalid_utf8.extend_from_slice(b"\xff\xfe\"}}}");
    let deep = format!(
        r#"{{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{{"name":"validate_workout_structure","arguments":{{"structure":{}{}}}}}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let cases: Vec<(&str, Vec<u8>, Value)> = vec![
        (
            "a number out of range",
            br#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_athlete_profile","arguments":{"n":1e400}}}"#.to_vec(),
            json!(2),
        ),
        ("invalid UTF-8", invalid_utf8, json!(3)),
        ("nesting deeper than 128", deep.into_bytes(), json!(4)),
        ("not JSON at all", b"{\"jsonrpc\": \"2.0\", \"id\": 5,".to_vec(), json!(5)),
        ("garbage", b"hello".to_vec(), Value::Null),
    ];
    for (name, line, id) in cases {
        s.send(&line);
        let r = s.reply();
        assert_eq!(r["error"]["code"], -32700, "{name}: {r}");
        assert_eq!(r["id"], id, "{name}: {r}");
        assert!(
            r["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("nothing was run")),
            "{name}: {r}"
        );
    }
    // The session is still usable.
    s.send(br#"{"jsonrpc":"2.0","id":9,"method":"ping"}"#);
    let pong = s.reply();
    assert_eq!(pong["id"], 9, "{pong}");
    assert!(pong.get("result").is_some(), "{pong}");
}
