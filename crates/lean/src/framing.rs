//! LSP base-protocol framing: `Content-Length: N\r\n\r\n` followed by exactly N bytes of
//! UTF-8 JSON. N counts bytes, not characters (the wire transcript's `didOpen` body is 503
//! bytes but 488 characters). Other headers (`Content-Type`) are accepted and ignored.

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Why a frame could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FramingError {
    #[error("header line is not `Name: value`: {0:?}")]
    BadHeader(String),
    #[error("frame without a Content-Length header")]
    MissingLength,
    #[error("Content-Length {0:?} is not a number")]
    BadLength(String),
    #[error("frame of {0} bytes is larger than the 256 MiB limit")]
    TooLarge(usize),
    #[error("header line longer than {MAX_HEADER_LINE} bytes")]
    HeaderTooLong,
    #[error("stream ended inside a frame")]
    Truncated,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Frames larger than this are refused rather than allocated (a corrupt length must not
/// exhaust memory).
pub const MAX_FRAME: usize = 256 << 20;

/// Header lines are short (`Content-Length: N`); a longer one is garbage, not buffered.
pub const MAX_HEADER_LINE: usize = 8 << 10;

/// The body is read in steps of this size, so a large announced length costs memory only as
/// its bytes actually arrive.
const BODY_STEP: usize = 1 << 20;

/// Reads one frame's body; `Ok(None)` at a clean end of stream (between frames).
pub async fn read_frame<R: AsyncBufRead + Unpin>(
    reader: &mut R,
) -> Result<Option<Vec<u8>>, FramingError> {
    let mut length: Option<usize> = None;
    let mut line = Vec::new();
    let mut first = true;
    loop {
        line.clear();
        let n = (&mut *reader)
            .take(MAX_HEADER_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .await?;
        if line.len() > MAX_HEADER_LINE {
            return Err(FramingError::HeaderTooLong);
        }
        if n == 0 {
            return if first {
                Ok(None)
            } else {
                Err(FramingError::Truncated)
            };
        }
        first = false;
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(FramingError::BadHeader(text.to_string()));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            length = Some(
                value
                    .parse()
                    .map_err(|_| FramingError::BadLength(value.to_string()))?,
            );
        }
    }
    let length = length.ok_or(FramingError::MissingLength)?;
    if length > MAX_FRAME {
        return Err(FramingError::TooLarge(length));
    }
    let mut body = Vec::with_capacity(length.min(BODY_STEP));
    while body.len() < length {
        let want = (length - body.len()).min(BODY_STEP) as u64;
        let got = (&mut *reader).take(want).read_to_end(&mut body).await?;
        if got == 0 {
            return Err(FramingError::Truncated);
        }
    }
    Ok(Some(body))
}

/// The bytes of one frame.
pub fn encode_frame(body: &[u8]) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body);
    out
}

/// Writes one frame and flushes it.
pub async fn write_frame<W: AsyncWrite + Unpin>(
    writer: &mut W,
    body: &[u8],
) -> std::io::Result<()> {
    writer.write_all(&encode_frame(body)).await?;
    writer.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use tokio::io::{AsyncRead, BufReader, ReadBuf};

    /// A reader that hands out its bytes in the given chunk sizes, like a pipe read by read.
    struct Chunked {
        data: Vec<u8>,
        pos: usize,
        cuts: Vec<usize>,
    }

    impl AsyncRead for Chunked {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            let this = &mut *self;
            let next_cut = this
                .cuts
                .iter()
                .copied()
                .find(|&c| c > this.pos)
                .unwrap_or(this.data.len())
                .min(this.data.len());
            let n = (next_cut - this.pos).min(buf.remaining());
            buf.put_slice(&this.data[this.pos..this.pos + n]);
            this.pos += n;
            Poll::Ready(Ok(()))
        }
    }

    fn read_all(data: Vec<u8>, cuts: Vec<usize>) -> Result<Vec<Vec<u8>>, FramingError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut r = BufReader::with_capacity(7, Chunked { data, pos: 0, cuts });
            let mut out = Vec::new();
            while let Some(f) = read_frame(&mut r).await? {
                out.push(f);
            }
            Ok(out)
        })
    }

    #[test]
    fn length_counts_bytes_not_characters() {
        let body = r#"{"text":"def αβγ /- 😉 -/ : Nat := 1"}"#.as_bytes().to_vec();
        assert_ne!(
            body.len(),
            String::from_utf8(body.clone()).unwrap().chars().count()
        );
        let frames = read_all(encode_frame(&body), vec![]).unwrap();
        assert_eq!(frames, vec![body]);
    }

    #[test]
    fn extra_headers_are_ignored_and_bad_ones_reported() {
        let data = b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}".to_vec();
        assert_eq!(read_all(data, vec![]).unwrap(), vec![b"{}".to_vec()]);
        assert!(matches!(
            read_all(b"Content-Lenght 2\r\n\r\n{}".to_vec(), vec![]),
            Err(FramingError::BadHeader(_))
        ));
        assert!(matches!(
            read_all(b"X-Other: 1\r\n\r\n{}".to_vec(), vec![]),
            Err(FramingError::MissingLength)
        ));
        assert!(matches!(
            read_all(b"Content-Length: 10\r\n\r\n{}".to_vec(), vec![]),
            Err(FramingError::Truncated)
        ));
        assert!(matches!(
            read_all(b"Content-Length: x\r\n\r\n".to_vec(), vec![]),
            Err(FramingError::BadLength(_))
        ));
    }

    #[test]
    fn huge_lengths_and_endless_headers_cost_no_memory() {
        // Announced: 200 MB; sent: 3 bytes. The reader reports the truncation without having
        // allocated the announced size (it grows with the bytes that arrive).
        assert!(matches!(
            read_all(b"Content-Length: 200000000\r\n\r\n{}x".to_vec(), vec![]),
            Err(FramingError::Truncated)
        ));
        assert!(matches!(
            read_all(b"Content-Length: 999999999999\r\n\r\n".to_vec(), vec![]),
            Err(FramingError::TooLarge(_))
        ));
        let endless = vec![b'x'; MAX_HEADER_LINE * 4];
        assert!(matches!(
            read_all(endless, vec![]),
            Err(FramingError::HeaderTooLong)
        ));
        // Half a frame, then the end of the stream.
        let mut half = encode_frame(br#"{"jsonrpc":"2.0","method":"x"}"#);
        half.truncate(half.len() / 2);
        assert!(matches!(
            read_all(half, vec![]),
            Err(FramingError::Truncated)
        ));
    }

    proptest! {
        #[test]
        fn frames_round_trip_when_split_anywhere(
            bodies in proptest::collection::vec("[a-zα-ω😉\\\\\"{}:, ]{0,40}", 1..5),
            cuts in proptest::collection::vec(0usize..400, 0..12),
        ) {
            let bodies: Vec<Vec<u8>> = bodies.into_iter().map(String::into_bytes).collect();
            let data: Vec<u8> = bodies.iter().flat_map(|b| encode_frame(b)).collect();
            let mut cuts = cuts;
            cuts.sort_unstable();
            prop_assert_eq!(read_all(data, cuts).unwrap(), bodies);
        }
    }
}
