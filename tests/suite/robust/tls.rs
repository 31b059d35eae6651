//! TLS: certificates are verified by default (a self-signed test environment is an error), a
//! custom CA makes them verifiable, `--insecure` turns verification off and the report says
//! so, and a server that demands a client certificate gets the profile's (PEM, including one
//! converted from a `.p12` as the README shows).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::robust::support::{self, case, rest_case};

fn tls(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tls")
        .join(file)
}

/// An HTTPS server on 127.0.0.1 with the test server certificate, answering every request
/// with a conformant CreateThing answer; `client_auth` demands a client certificate signed by
/// the test CA.
async fn https_server(client_auth: bool) -> String {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(tls("server.pem"))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(tls("server.key")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap();
    let config = if client_auth {
        let mut roots = RootCertStore::empty();
        for ca in CertificateDer::pem_file_iter(tls("ca.pem")).unwrap() {
            roots.add(ca.unwrap()).unwrap();
        }
        let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .unwrap();
        builder
            .with_client_cert_verifier(verifier)
            .with_single_cert(certs, key)
            .unwrap()
    } else {
        builder
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap()
    };
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut tls) = acceptor.accept(stream).await {
                    let _ = answer(&mut tls).await;
                }
            });
        }
    });
    format!("https://127.0.0.1:{}", addr.port())
}

async fn answer<S: AsyncRead + AsyncWrite + Unpin>(s: &mut S) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body =
        r#"{"thingIdentifier":"6f0c1c3e-2a7b-4a55-8d63-0d5e8f1b9a10","startdato":"2026-11-24"}"#;
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await?;
    s.write_all(body.as_bytes()).await?;
    s.shutdown().await
}

/// Runs the one `ok` case against `base` with `extra` profile lines and `flags`.
async fn run_ok(
    name: &str,
    base: &str,
    extra: &str,
    flags: &[&str],
) -> (std::process::Output, serde_json::Value) {
    let dir = support::temp_dir(name);
    let profile = support::write_profile(&dir, base, extra);
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let out = dir.join("report");
    let mut args = support::run_args(&profile, &cases, &out);
    args.extend(flags.iter().map(|s| s.to_string()));
    let output = support::run(args).await;
    let summary = support::summary(&out);
    std::fs::remove_dir_all(&dir).unwrap();
    (output, summary)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificates_are_verified_unless_told_otherwise() {
    let base = https_server(false).await;

    let (output, summary) = run_ok("tls-default", &base, "", &[]).await;
    assert_eq!(output.status.code(), Some(1));
    let c = case(&summary, "CreateThing.ok");
    assert_eq!(c["verdict"], "error", "{c:#}");
    assert_eq!(c["outcome"]["failure"], "tls", "{c:#}");
    let reason = c["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("TLS failure: ") && reason.contains("certificate"),
        "{reason}"
    );
    assert_eq!(summary["tls_verification_off"], false);

    let ca = format!("tls: {{ ca: {} }}\n", tls("ca.pem").display());
    let (output, summary) = run_ok("tls-ca", &base, &ca, &[]).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(case(&summary, "CreateThing.ok")["verdict"], "pass");
    assert_eq!(summary["tls_verification_off"], false);

    let (output, summary) = run_ok("tls-insecure", &base, "", &["--insecure"]).await;
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(case(&summary, "CreateThing.ok")["verdict"], "pass");
    assert_eq!(summary["tls_verification_off"], true, "the report says so");
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("warning: TLS certificate verification is off"),
    );

    let (_, summary) = run_ok("tls-insecure-profile", &base, "insecure_tls: true\n", &[]).await;
    assert_eq!(summary["tls_verification_off"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_demanding_a_client_certificate_gets_the_profiles() {
    let base = https_server(true).await;
    let ca = tls("ca.pem").display().to_string();

    let (_, summary) = run_ok("mtls-none", &base, &format!("tls: {{ ca: {ca} }}\n"), &[]).await;
    let c = case(&summary, "CreateThing.ok");
    assert_eq!(c["verdict"], "error", "without a certificate: {c:#}");

    let both = format!(
        "tls: {{ ca: {ca}, client_cert: {}, client_key: {} }}\n",
        tls("client.pem").display(),
        tls("client.key").display()
    );
    let (output, summary) = run_ok("mtls-profile", &base, &both, &[]).await;
    assert_eq!(
        case(&summary, "CreateThing.ok")["verdict"],
        "pass",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // A role's own certificate: the PEM the README's openssl command makes of a .p12.
    let dir = support::temp_dir("mtls-role");
    let profile = support::write_profile(&dir, &base, &format!("tls: {{ ca: {ca} }}\n"));
    let text = std::fs::read_to_string(&profile).unwrap().replace(
        "  jobcenter: { organisation: \"JobCenter\", code: \"10101\" }",
        &format!(
            "  jobcenter: {{ organisation: \"JobCenter\", code: \"10101\", client_cert: {} }}",
            tls("client-from-p12.pem").display()
        ),
    );
    std::fs::write(&profile, text).unwrap();
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let out = dir.join("report");
    let output = support::run(support::run_args(&profile, &cases, &out)).await;
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unreadable_certificate_is_bad_input_naming_the_file() {
    let dir = support::temp_dir("tls-bad");
    let profile = support::write_profile(
        &dir,
        "https://127.0.0.1:9",
        "tls: { client_cert: no-such.pem }\n",
    );
    let cases = support::write_cases(&dir, &rest_case("ok"), "");
    let out = dir.join("report");
    let output = support::konform()
        .args(support::run_args(&profile, &cases, &out))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read the client certificate") && stderr.contains("no-such.pem"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
