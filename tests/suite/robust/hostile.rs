//! A hostile target, reusable by every attack test: a raw HTTP/1.1 server on 127.0.0.1 whose
//! answers a test scripts per request (any status, headers and bytes, redirects anywhere, a
//! hang), and which keeps every request it received, so a test can show that a secret or a
//! CPR number never arrived where it must not. Two of them make the "other host" of a
//! redirect. Answers are raw bytes: nothing in the way of what a hostile server may send.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The head, header names lowercased.
    pub head: String,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.head.lines().find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with(&prefix)
                .then(|| l[prefix.len()..].trim().to_string())
        })
    }

    /// The whole request as text, for searching.
    pub fn text(&self) -> String {
        format!("{}\r\n{}", self.head, self.body)
    }
}

/// What the server does with a request.
pub enum Answer {
    /// These bytes, then the connection closes.
    Raw(Vec<u8>),
    /// Nothing, ever (the connection stays open).
    Hang,
}

impl Answer {
    /// A complete answer with these headers and body.
    pub fn with(status: u16, headers: &[(&str, &str)], body: impl Into<Vec<u8>>) -> Answer {
        let body = body.into();
        let mut head = format!(
            "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
            body.len()
        );
        for (n, v) in headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend(body);
        Answer::Raw(bytes)
    }

    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Answer {
        Answer::with(status, &[("content-type", "application/json")], body)
    }

    pub fn xml(status: u16, body: impl Into<Vec<u8>>) -> Answer {
        Answer::with(status, &[("content-type", "text/xml; charset=utf-8")], body)
    }

    pub fn redirect(status: u16, location: &str) -> Answer {
        Answer::with(status, &[("location", location)], Vec::new())
    }

    /// A token answer with this access token and `expires_in` (raw JSON text).
    pub fn token(token: &str, expires_in: &str) -> Answer {
        Answer::json(
            200,
            format!(
                r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{expires_in}}}"#
            ),
        )
    }
}

type Script = Arc<dyn Fn(&Request) -> Answer + Send + Sync>;

/// The server and the requests it received.
#[derive(Clone)]
pub struct Hostile {
    pub addr: SocketAddr,
    pub requests: Arc<Mutex<Vec<Request>>>,
}

impl Hostile {
    /// Starts a server on the current tokio runtime answering by `script`.
    pub async fn start(script: impl Fn(&Request) -> Answer + Send + Sync + 'static) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let server = Hostile {
            addr: listener.local_addr().expect("addr"),
            requests: Arc::new(Mutex::new(Vec::new())),
        };
        let script: Script = Arc::new(script);
        let s = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let s = s.clone();
                let script = script.clone();
                tokio::spawn(async move {
                    let _ = s.serve(stream, script).await;
                });
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    async fn serve(&self, mut stream: TcpStream, script: Script) -> std::io::Result<()> {
        let Some(request) = read_request(&mut stream).await? else {
            return Ok(());
        };
        self.requests.lock().unwrap().push(request.clone());
        match script(&request) {
            Answer::Raw(bytes) => {
                stream.write_all(&bytes).await?;
                stream.flush().await?;
                // Let the client read to the end before the socket goes.
                let _ = stream.shutdown().await;
                Ok(())
            }
            Answer::Hang => std::future::pending().await,
        }
    }
}

/// Reads one request (head and `content-length` body); `None` when the client left.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 1 << 20 {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_string())
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let mut first = head.lines().next().unwrap_or("").split(' ');
    Ok(Some(Request {
        method: first.next().unwrap_or("").to_string(),
        path: first.next().unwrap_or("").to_string(),
        head: head.clone(),
        body: String::from_utf8_lossy(&buf[head_end..]).into_owned(),
    }))
}

/// Every output of a run: stdout, stderr and each file in the report folder, by name.
pub fn outputs(output: &std::process::Output, out: &std::path::Path) -> Vec<(String, String)> {
    let mut all = vec![
        (
            "stdout".to_string(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        ),
        (
            "stderr".to_string(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ),
    ];
    if let Ok(entries) = std::fs::read_dir(out) {
        for entry in entries {
            let p = entry.unwrap().path();
            all.push((
                p.display().to_string(),
                String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned(),
            ));
        }
    }
    all
}

/// Asserts that none of `outputs` holds any of `values`.
pub fn assert_nowhere(outputs: &[(String, String)], values: &[(&str, &str)]) {
    for (name, text) in outputs {
        for (what, value) in values {
            assert!(
                !text.contains(value),
                "{name} holds the {what} `{value}`:\n{text}"
            );
        }
    }
}

/// The text of an output for a failure message.
pub fn text(output: &std::process::Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
