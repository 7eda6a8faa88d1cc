//! A guard between the MCP client's stdin/stdout and rmcp's line transport.
//!
//! rmcp drops a line it cannot parse as JSON (a number out of range such as `1e400`, invalid
//! UTF-8, nesting deeper than serde_json's 128 levels, a line over 16 MiB) without a word, so a
//! client that sent a request that way waits forever. The guard parses each line first; a line
//! that would be dropped is answered here with a JSON-RPC parse error (-32700), carrying the
//! request's id when it can still be read, and is not forwarded. Everything else passes through
//! unchanged. Both rmcp's output and these errors reach stdout through one writer, a whole line
//! at a time, so they never interleave.

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// rmcp's own limit on one incoming line; longer ones are answered here instead of dropped.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

/// The JSON-RPC code for a message that is not valid JSON.
pub const PARSE_ERROR: i64 = -32700;

/// The tasks that move bytes between the client and rmcp.
pub struct Pumps {
    input: JoinHandle<()>,
    output: JoinHandle<()>,
}

impl Pumps {
    /// Waits (briefly) for everything rmcp wrote to reach the client, once the session is over.
    pub async fn finish(self) {
        // The client may still hold stdin open; nothing read from it now would be answered.
        self.input.abort();
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), self.output).await;
    }
}

/// Puts the guard between `input`/`output` (the client) and rmcp. Returns the streams to give
/// rmcp (what it reads: the client's lines that parse; where it writes) and the pumps.
pub fn guard<R, W>(input: R, output: W) -> ((DuplexStream, DuplexStream), Pumps)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (lines_tx, lines_rx) = mpsc::channel::<Vec<u8>>(64);
    let (to_rmcp_read, to_rmcp_write) = tokio::io::duplex(1 << 16);
    let (rmcp_side, our_side) = tokio::io::duplex(1 << 16);
    let input = tokio::spawn(pump_input(input, to_rmcp_write, lines_tx.clone()));
    let from_rmcp = tokio::spawn(pump_rmcp_output(our_side, lines_tx));
    let output = tokio::spawn(async move {
        write_lines(lines_rx, output).await;
        from_rmcp.abort();
    });
    ((to_rmcp_read, rmcp_side), Pumps { input, output })
}

/// Reads the client's lines; forwards those that parse, answers the others.
async fn pump_input<R: AsyncRead + Unpin>(
    input: R,
    mut to_rmcp: DuplexStream,
    replies: mpsc::Sender<Vec<u8>>,
) {
    let mut input = BufReader::new(input);
    let mut line = Vec::new();
    loop {
        line.clear();
        let verdict = match read_line(&mut input, &mut line).await {
            Ok(Line::Eof) => break,
            Ok(Line::TooLong) => Err(parse_error(
                Value::Null,
                &format!("the line is longer than {MAX_LINE} bytes; nothing was run"),
            )),
            Ok(Line::Complete) => check(&line),
            Err(e) => {
                tracing::warn!("reading stdin failed: {e}");
                break;
            }
        };
        match verdict {
            Ok(()) => {
                if !line.ends_with(b"\n") {
                    line.push(b'\n');
                }
                if to_rmcp.write_all(&line).await.is_err() {
                    break; // rmcp has stopped
                }
            }
            Err(reply) => {
                tracing::warn!("answered an unparsable line with a parse error");
                if replies.send(reply).await.is_err() {
                    break;
                }
            }
        }
    }
    // rmcp sees the end of input and ends the session.
    let _ = to_rmcp.shutdown().await;
}

/// Copies rmcp's output to the writer, line by line.
async fn pump_rmcp_output(from_rmcp: DuplexStream, lines: mpsc::Sender<Vec<u8>>) {
    let mut from_rmcp = BufReader::new(from_rmcp);
    loop {
        let mut line = Vec::new();
        match from_rmcp.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                if lines.send(line).await.is_err() {
                    break;
                }
            }
        }
    }
}

async fn write_lines<W: AsyncWrite + Unpin>(mut lines: mpsc::Receiver<Vec<u8>>, mut out: W) {
    while let Some(line) = lines.recv().await {
        if out.write_all(&line).await.is_err() || out.flush().await.is_err() {
            break; // the client is gone
        }
    }
}

enum Line {
    Complete,
    TooLong,
    Eof,
}

/// Reads one line (with its `\n`, or the last bytes before the end) into `buf`, never
/// holding more than [`MAX_LINE`] bytes: a longer line is skipped to its end.
async fn read_line<R: AsyncRead + Unpin>(
    r: &mut BufReader<R>,
    buf: &mut Vec<u8>,
) -> std::io::Result<Line> {
    let mut too_long = false;
    loop {
        let available = r.fill_buf().await?;
        if available.is_empty() {
            return Ok(match (too_long, buf.is_empty()) {
                (true, _) => Line::TooLong,
                (false, true) => Line::Eof,
                (false, false) => Line::Complete,
            });
        }
        let (take, done) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if !too_long && buf.len() + take <= MAX_LINE + 1 {
            buf.extend_from_slice(&available[..take]);
        } else {
            too_long = true;
            buf.clear();
        }
        r.consume(take);
        if done {
            return Ok(if too_long {
                Line::TooLong
            } else {
                Line::Complete
            });
        }
    }
}

/// `Ok` if the line parses as JSON (or is blank, which rmcp skips); otherwise the reply.
fn check(line: &[u8]) -> Result<(), Vec<u8>> {
    let mut body = line.strip_suffix(b"\n").unwrap_or(line);
    body = body.strip_suffix(b"\r").unwrap_or(body);
    body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    if let Err(e) = std::str::from_utf8(body) {
        return Err(parse_error(
            recover_id(body),
            &format!(
                "the message is not valid UTF-8 (at byte {}); nothing was run",
                e.valid_up_to()
            ),
        ));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(_) => Ok(()),
        Err(e) => Err(parse_error(
            recover_id(body),
            &format!("the message is not valid JSON ({e}); nothing was run"),
        )),
    }
}

/// The request's `id`, if it can be read before the part that failed: members are read one by
/// one and skipped without being built, so an out-of-range number or a deep value elsewhere,
/// or a line cut short after the id, does not hide it. Only a number or a string is an id.
fn recover_id(body: &[u8]) -> Value {
    let mut id = None;
    let mut de = serde_json::Deserializer::from_slice(body);
    // The overall result does not matter (the line is known to be broken): only what the
    // visitor saw before the break.
    let _ = serde::Deserializer::deserialize_map(&mut de, IdVisitor(&mut id));
    match id {
        Some(id @ (Value::Number(_) | Value::String(_))) => id,
        _ => Value::Null,
    }
}

/// Walks an object's members until `id`, recording it.
struct IdVisitor<'a>(&'a mut Option<Value>);

impl<'de> serde::de::Visitor<'de> for IdVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON-RPC message object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "id" {
                *self.0 = Some(map.next_value::<Value>()?);
                return Ok(());
            }
            map.next_value::<serde::de::IgnoredAny>()?;
        }
        Ok(())
    }
}

fn parse_error(id: Value, message: &str) -> Vec<u8> {
    let reply = json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": PARSE_ERROR, "message": format!("Parse error: {message}")},
    });
    let mut line = reply.to_string().into_bytes();
    line.push(b'\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply_of(line: &[u8]) -> Option<Value> {
        check(line)
            .err()
            .map(|r| serde_json::from_slice(&r).expect("the reply is JSON"))
    }

    #[test]
    fn lines_that_parse_pass_and_the_others_are_answered() {
        let deep = format!(
            r#"{{"jsonrpc":"2.0","id":4,"method":"ping","params":{{"a":{}{}}}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        let mut bad_utf8 =
            br#"{"jsonrpc":"2.0","id":"s3","method":"ping","params":{"a":""#.to_vec();
        bad_utf8.extend_from_slice(b"\xff\xfe\"}}\n");
        let cases: Vec<(&str, Vec<u8>, Option<Value>)> = vec![
            (
                "request",
                br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.to_vec(),
                None,
            ),
            ("blank", b"  \r\n".to_vec(), None),
            (
                "with BOM",
                b"\xEF\xBB\xBF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n".to_vec(),
                None,
            ),
            (
                "huge number",
                br#"{"jsonrpc":"2.0","id":2,"method":"x","params":{"n":1e400}}"#.to_vec(),
                Some(json!(2)),
            ),
            ("invalid UTF-8", bad_utf8, Some(json!("s3"))),
            ("too deep", deep.into_bytes(), Some(json!(4))),
            ("not JSON", b"hello\n".to_vec(), Some(Value::Null)),
            (
                "cut short after the id",
                br#"{"jsonrpc":"2.0","id":5,"#.to_vec(),
                Some(json!(5)),
            ),
            (
                "an id that is not an id",
                br#"{"id":{"x":1},"n":1e400}"#.to_vec(),
                Some(Value::Null),
            ),
        ];
        for (name, line, want_id) in cases {
            let reply = reply_of(&line);
            match (reply, want_id) {
                (None, None) => {}
                (Some(r), Some(id)) => {
                    assert_eq!(r["id"], id, "{name}: {r}");
                    assert_eq!(r["error"]["code"], PARSE_ERROR, "{name}");
                    assert_eq!(r["jsonrpc"], "2.0", "{name}");
                }
                (got, want) => panic!("{name}: got {got:?}, wanted a reply with id {want:?}"),
            }
        }
    }

    #[tokio::test]
    async fn an_overlong_line_is_answered_and_the_next_one_still_passes() {
        let mut input = vec![b'x'; MAX_LINE + 10];
        input.push(b'\n');
        input.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n");
        let mut r = BufReader::new(&input[..]);
        let mut buf = Vec::new();
        assert!(matches!(
            read_line(&mut r, &mut buf).await,
            Ok(Line::TooLong)
        ));
        assert!(buf.capacity() <= 2 * MAX_LINE, "held at most one line");
        buf.clear();
        assert!(matches!(
            read_line(&mut r, &mut buf).await,
            Ok(Line::Complete)
        ));
        assert!(check(&buf).is_ok());
        buf.clear();
        assert!(matches!(read_line(&mut r, &mut buf).await, Ok(Line::Eof)));
    }
}
