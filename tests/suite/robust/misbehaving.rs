//! A misbehaving target on raw tokio sockets (127.0.0.1): it reads one HTTP/1.1 request, finds
//! `behaviour=NAME` in it (the REST cases put it in `x-requestId`, the SOAP cases in a
//! `Participant`) and misbehaves accordingly: hangs, drips, breaks the connection mid-answer,
//! answers 50 MB, HTML, broken JSON or XML, a fault without a code, a DTD.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// The server and what it observed.
#[derive(Clone)]
pub struct Misbehaving {
    pub addr: SocketAddr,
    /// Bytes of the 50 MB answer actually written before the client hung up.
    pub huge_written: Arc<AtomicU64>,
    /// Notified when a `hang` request arrives.
    pub hanging: Arc<Notify>,
    /// Requests seen, per connection order.
    pub requests: Arc<AtomicUsize>,
}

pub const FIFTY_MB: u64 = 50 * 1024 * 1024;

impl Misbehaving {
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Starts the server on the current tokio runtime.
    pub async fn start() -> Misbehaving {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let server = Misbehaving {
            addr: listener.local_addr().expect("addr"),
            huge_written: Arc::new(AtomicU64::new(0)),
            hanging: Arc::new(Notify::new()),
            requests: Arc::new(AtomicUsize::new(0)),
        };
        let s = server.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = s.serve(stream).await;
                });
            }
        });
        server
    }

    async fn serve(&self, mut stream: TcpStream) -> std::io::Result<()> {
        let Some(request) = read_request(&mut stream).await? else {
            return Ok(());
        };
        let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        let behaviour = request
            .split("behaviour=")
            .nth(1)
            .map(|rest| {
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect::<String>()
            })
            .unwrap_or_default();
        match behaviour.as_str() {
            "ok" => respond(&mut stream, 200, "application/json", OK_JSON).await,
            // Breaks the first connection before answering, answers the next ones.
            "flaky" if n == 1 => Ok(()),
            "flaky" => respond(&mut stream, 200, "application/json", OK_JSON).await,
            "wrong-code" => {
                respond(&mut stream, 400, "application/json", r#"{"errors":[{"code":9393}]}"#)
                    .await
            }
            "hang" => {
                self.hanging.notify_one();
                std::future::pending::<()>().await;
                Ok(())
            }
            "reset" => {
                stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"thingIdentifier\":")
                    .await?;
                stream.flush().await?;
                // Gone, 980 bytes short.
                Ok(())
            }
            "html500" | "soap-html500" => {
                respond(&mut stream, 500, "text/html", "<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>").await
            }
            "badjson" => {
                respond(&mut stream, 200, "application/json", r#"{"thingIdentifier": "6f0c"#).await
            }
            "wrongtype" => {
                respond(&mut stream, 200, "text/html", "<html><body>Down for maintenance</body></html>").await
            }
            "huge" => {
                stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
                    .await?;
                let chunk = vec![b'a'; 64 * 1024];
                let mut written = 0u64;
                while written < FIFTY_MB {
                    let head = format!("{:x}\r\n", chunk.len());
                    if stream.write_all(head.as_bytes()).await.is_err()
                        || stream.write_all(&chunk).await.is_err()
                        || stream.write_all(b"\r\n").await.is_err()
                    {
                        break;
                    }
                    written += chunk.len() as u64;
                    self.huge_written.store(written, Ordering::SeqCst);
                }
                let _ = stream.write_all(b"0\r\n\r\n").await;
                Ok(())
            }
            "huge-declared" => {
                stream
                    .write_all(format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {FIFTY_MB}\r\n\r\n[").as_bytes())
                    .await?;
                // Waits for the client to hang up.
                let mut buf = [0u8; 1];
                let _ = stream.read(&mut buf).await;
                Ok(())
            }
            "drip" => {
                stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n")
                    .await?;
                for _ in 0..100 {
                    // Pacing of the drip, not synchronisation: the case times out long before.
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    if stream.write_all(b" ").await.is_err() || stream.flush().await.is_err() {
                        break;
                    }
                }
                Ok(())
            }
            "badxml" => {
                respond(&mut stream, 200, "text/xml; charset=utf-8", r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><CreateMeetingResponse></soap:Body>"#).await
            }
            "nocode" => {
                respond(&mut stream, 500, "text/xml; charset=utf-8", r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Object reference not set to an instance of an object.</faultstring></soap:Fault></soap:Body></soap:Envelope>"#).await
            }
            "xxe" => {
                respond(&mut stream, 200, "text/xml; charset=utf-8", r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><CreateMeetingResponse xmlns="urn:test:soap"><ServiceReceipt><EventDate>&xxe;</EventDate><MessageIdentifier>6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10</MessageIdentifier></ServiceReceipt></CreateMeetingResponse></soap:Body></soap:Envelope>"#).await
            }
            "laughs" => {
                let mut dtd = String::from(r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">"#);
                dtd.push_str(r#"<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">"#);
                for i in 2..=9 {
                    let prev = format!("&lol{};", i - 1);
                    dtd.push_str(&format!("<!ENTITY lol{i} \"{}\">", prev.repeat(10)));
                }
                dtd.push_str(r#"]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><CreateMeetingResponse xmlns="urn:test:soap"><ServiceReceipt><EventDate>&lol9;</EventDate></ServiceReceipt></CreateMeetingResponse></soap:Body></soap:Envelope>"#);
                respond(&mut stream, 200, "text/xml; charset=utf-8", &dtd).await
            }
            "soap-json" => {
                respond(&mut stream, 200, "application/json", r#"{"ServiceReceipt":{}}"#).await
            }
            other => {
                respond(&mut stream, 404, "text/plain", &format!("unknown behaviour {other:?}")).await
            }
        }
    }
}

const OK_JSON: &str =
    r#"{"thingIdentifier":"6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10","startdato":"2026-11-24"}"#;

async fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &str,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.flush().await
}

/// Reads one request (head and `content-length` body) as text; `None` when the client left.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<String>> {
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
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
}
