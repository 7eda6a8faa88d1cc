//! Native-messaging framing: each message is UTF-8 JSON preceded by its length as a 32-bit
//! unsigned integer in native byte order, in both directions. The relay socket between
//! `paceline mcp` and the bridge uses the same framing, so one tested codec serves both.
//!
//! Limits (see `shared/spec/extension-bridge-facts.md` §2.2): the browser kills the port on a
//! host→browser frame over 1 MiB, and refuses browser→host messages over 64 MiB. We check the
//! outgoing limit before writing, so an oversize message becomes an error for that one request
//! instead of a dead port for every request.

use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Largest frame the browser accepts from the host (Chrome and Firefox: 1 MiB).
pub const MAX_TO_BROWSER: usize = 1024 * 1024;
/// Largest frame the browser sends to the host (Chrome: 64 MiB).
pub const MAX_FROM_BROWSER: usize = 64 * 1024 * 1024;

/// A framing failure.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The peer closed the stream cleanly between frames.
    #[error("the peer closed the connection")]
    Closed,
    /// The stream ended in the middle of a frame.
    #[error("the connection ended in the middle of a message ({got} of {expected} bytes)")]
    Truncated {
        /// Bytes received.
        got: usize,
        /// Bytes announced.
        expected: usize,
    },
    /// A frame is larger than the limit for its direction.
    #[error("message of {len} bytes exceeds the {limit}-byte limit")]
    TooLarge {
        /// The frame's length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The frame is not valid JSON for the expected message type.
    #[error("malformed message: {0}")]
    BadJson(#[from] serde_json::Error),
    /// An IO error.
    #[error(transparent)]
    Io(std::io::Error),
}

impl From<std::io::Error> for FrameError {
    fn from(e: std::io::Error) -> Self {
        FrameError::Io(e)
    }
}

/// Reads one frame's bytes. `Closed` at a clean boundary, `Truncated` mid-frame.
pub async fn read_frame<R: AsyncRead + Unpin>(
    r: &mut R,
    limit: usize,
) -> Result<Vec<u8>, FrameError> {
    let mut header = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        let n = r.read(&mut header[got..]).await?;
        if n == 0 {
            return Err(if got == 0 {
                FrameError::Closed
            } else {
                FrameError::Truncated { got, expected: 4 }
            });
        }
        got += n;
    }
    let len = u32::from_ne_bytes(header) as usize;
    if len > limit {
        return Err(FrameError::TooLarge { len, limit });
    }
    let body = read_body(r, len).await?;
    if body.len() < len {
        return Err(FrameError::Truncated {
            got: body.len(),
            expected: len,
        });
    }
    Ok(body)
}

/// The first allocation for a frame's body; it grows as bytes arrive.
const INITIAL_BODY_CAPACITY: usize = 64 * 1024;

/// Reads up to `len` bytes (fewer if the stream ends first). The buffer grows with what
/// actually arrives: a peer announcing 64 MiB and sending nothing costs 64 KiB, not 64 MiB.
async fn read_body<R: AsyncRead + Unpin>(r: &mut R, len: usize) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::with_capacity(len.min(INITIAL_BODY_CAPACITY));
    // `len` came from a u32, so it fits in a u64.
    (&mut *r).take(len as u64).read_to_end(&mut body).await?;
    Ok(body)
}

/// Reads and decodes one JSON message.
pub async fn read_message<T: DeserializeOwned, R: AsyncRead + Unpin>(
    r: &mut R,
    limit: usize,
) -> Result<T, FrameError> {
    let body = read_frame(r, limit).await?;
    Ok(serde_json::from_slice(&body)?)
}

/// Encodes a message into a complete frame, refusing it if it is over `limit`.
pub fn encode<T: Serialize>(msg: &T, limit: usize) -> Result<Vec<u8>, FrameError> {
    let body = serde_json::to_vec(msg)?;
    if body.len() > limit {
        return Err(FrameError::TooLarge {
            len: body.len(),
            limit,
        });
    }
    // `limit` is at most 64 MiB, so the length always fits in a u32.
    let len = u32::try_from(body.len()).map_err(|_| FrameError::TooLarge {
        len: body.len(),
        limit,
    })?;
    let mut frame = Vec::with_capacity(4 + body.len());
    frame.extend_from_slice(&len.to_ne_bytes());
    frame.extend_from_slice(&body);
    Ok(frame)
}

/// Writes one message and flushes (the browser reads nothing until the frame is flushed).
pub async fn write_message<T: Serialize, W: AsyncWrite + Unpin>(
    w: &mut W,
    msg: &T,
    limit: usize,
) -> Result<(), FrameError> {
    let frame = encode(msg, limit)?;
    w.write_all(&frame).await?;
    w.flush().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut v = (body.len() as u32).to_ne_bytes().to_vec();
        v.extend_from_slice(body);
        v
    }

    #[tokio::test]
    async fn round_trip() {
        let msg =
            json!({"type": "call", "id": 7, "tool": "get_workout", "args": {"workout_id": 1}});
        let bytes = encode(&msg, MAX_TO_BROWSER).unwrap();
        assert_eq!(&bytes[..4], &(bytes.len() as u32 - 4).to_ne_bytes());
        let mut r = &bytes[..];
        let back: Value = read_message(&mut r, MAX_FROM_BROWSER).await.unwrap();
        assert_eq!(back, msg);
        // Nothing left: the next read is a clean close.
        assert!(matches!(
            read_frame(&mut r, MAX_FROM_BROWSER).await,
            Err(FrameError::Closed)
        ));
    }

    #[tokio::test]
    async fn two_frames_back_to_back() {
        let mut bytes = frame(br#"{"a":1}"#);
        bytes.extend(frame(br#"{"b":2}"#));
        let mut r = &bytes[..];
        let a: Value = read_message(&mut r, 100).await.unwrap();
        let b: Value = read_message(&mut r, 100).await.unwrap();
        assert_eq!((a, b), (json!({"a":1}), json!({"b":2})));
    }

    type Case = (&'static str, Vec<u8>, usize, fn(&FrameError) -> bool);

    #[tokio::test]
    async fn failures() {
        let cases: Vec<Case> = vec![
            ("empty stream is a clean close", vec![], 100, |e| {
                matches!(e, FrameError::Closed)
            }),
            ("truncated header", vec![5, 0], 100, |e| {
                matches!(
                    e,
                    FrameError::Truncated {
                        got: 2,
                        expected: 4
                    }
                )
            }),
            (
                "truncated body",
                {
                    let mut f = frame(b"{\"a\":1}");
                    f.truncate(7);
                    f
                },
                100,
                |e| {
                    matches!(
                        e,
                        FrameError::Truncated {
                            got: 3,
                            expected: 7
                        }
                    )
                },
            ),
            ("oversize", frame(&[b' '; 101]), 100, |e| {
                matches!(
                    e,
                    FrameError::TooLarge {
                        len: 101,
                        limit: 100
                    }
                )
            }),
            ("bad json", frame(b"{nope"), 100, |e| {
                matches!(e, FrameError::BadJson(_))
            }),
        ];
        for (name, bytes, limit, check) in cases {
            let mut r = &bytes[..];
            let err = read_message::<Value, _>(&mut r, limit).await.unwrap_err();
            assert!(check(&err), "{name}: got {err:?}");
        }
    }

    #[tokio::test]
    async fn the_buffer_grows_with_the_bytes_not_the_announced_length() {
        // A header announcing the 64 MiB limit, then 10 bytes and the end of the stream.
        let mut bytes = (MAX_FROM_BROWSER as u32).to_ne_bytes().to_vec();
        bytes.extend_from_slice(b"0123456789");
        let mut r = &bytes[4..];
        let body = read_body(&mut r, MAX_FROM_BROWSER).await.unwrap();
        assert_eq!(body, b"0123456789");
        assert!(
            body.capacity() <= INITIAL_BODY_CAPACITY,
            "allocated {} bytes for 10",
            body.capacity()
        );
        let mut r = &bytes[..];
        assert!(matches!(
            read_frame(&mut r, MAX_FROM_BROWSER).await,
            Err(FrameError::Truncated {
                got: 10,
                expected: MAX_FROM_BROWSER
            })
        ));
    }

    #[test]
    fn refuses_oversize_outgoing() {
        let big = json!({"s": "x".repeat(MAX_TO_BROWSER)});
        assert!(matches!(
            encode(&big, MAX_TO_BROWSER),
            Err(FrameError::TooLarge { .. })
        ));
        let ok = json!({"s": "x".repeat(MAX_TO_BROWSER - 100)});
        assert!(encode(&ok, MAX_TO_BROWSER).is_ok());
    }

    #[tokio::test]
    async fn large_result_arrives_intact() {
        // 5 MiB from the browser is fine (browser→host limit is 64 MiB).
        let msg =
            json!({"type": "result", "id": 1, "ok": true, "result": {"text": "y".repeat(5 << 20)}});
        let bytes = encode(&msg, MAX_FROM_BROWSER).unwrap();
        let (mut w, mut r) = tokio::io::duplex(64 * 1024);
        let writer = tokio::spawn(async move { w.write_all(&bytes).await });
        let back: Value = read_message(&mut r, MAX_FROM_BROWSER).await.unwrap();
        writer.await.unwrap().unwrap();
        assert_eq!(back, msg);
    }
}
