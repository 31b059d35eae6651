//! `konform doctor --target FILE` end to end with the binary, loopback only: a healthy profile
//! passes every check; a wrong client secret, a CA that did not sign the server's certificate
//! and a target that is down each fail with what is wrong and the fix. A run against a target
//! that is down stops early with one error, not one per case.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use konform::reference::{self, FixedClock, ReferenceConfig};
use konform::spec::Spec;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::vendor::support::{self, CLOCK, konform, roles_yaml};

const SECRET: &str = "doctor-secret-93be1f";

fn tls(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/tls")
        .join(file)
}

async fn reference() -> reference::RunningReference {
    let spec =
        Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")).expect("the spec loads");
    reference::start_with_clock(
        ReferenceConfig::new(Arc::new(spec), SECRET),
        SocketAddr::from(([127, 0, 0, 1], 0)),
        Arc::new(FixedClock(
            chrono::DateTime::parse_from_rfc3339(CLOCK).unwrap(),
        )),
    )
    .await
    .expect("the reference starts")
}

fn profile(dir: &Path, name: &str, base: &str, extra: &str) -> PathBuf {
    let file = dir.join(format!("{name}.yaml"));
    std::fs::write(
        &file,
        format!(
            "name: {name}\nbase_url: {base}\nauth:\n  oauth2: {{ token_url: /oauth2/token, client_secret_env: KONFORM_DOCTOR_SECRET }}\nroles:\n{}state_endpoint: /konform/state\n{extra}",
            roles_yaml()
        ),
    )
    .unwrap();
    file
}

async fn doctor(file: &Path, secret: &str) -> (Option<i32>, String) {
    let mut c = konform();
    c.args(["doctor", "--clock", CLOCK, "--target"])
        .arg(file)
        .env("KONFORM_DOCTOR_SECRET", secret);
    let out = support::run(c).await;
    (out.status.code(), support::text(&out))
}

/// An HTTPS server on 127.0.0.1 with the test server certificate (signed by the test CA),
/// answering every request 404.
async fn https_server() -> String {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(tls("server.pem"))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(tls("server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                if let Ok(mut s) = acceptor.accept(stream).await {
                    let mut buf = [0u8; 4096];
                    let _ = s.read(&mut buf).await;
                    let _ = s
                        .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                        .await;
                    let _ = s.shutdown().await;
                }
            });
        }
    });
    format!("https://127.0.0.1:{port}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_profile_passes_every_check() {
    let dir = support::temp_dir("doctor-ok");
    let r = reference().await;
    let file = profile(&dir, "healthy", &r.base_url(), "");
    let (code, text) = doctor(&file, SECRET).await;
    assert_eq!(code, Some(0), "{text}");
    for line in ["PASS  reach", "PASS  token", "PASS  state", "PASS  call"] {
        assert!(text.contains(line), "{line}:\n{text}");
    }
    // One harmless call per service, each answered by the service itself.
    assert_eq!(text.matches("PASS  call").count(), 5, "{text}");
    assert!(!text.contains("FAIL"), "{text}");
    assert!(text.contains("every check passed"), "{text}");
    assert!(!text.contains(SECRET), "the secret is never printed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_is_named_with_its_fix() {
    let dir = support::temp_dir("doctor-secret");
    let r = reference().await;
    let file = profile(&dir, "wrong-secret", &r.base_url(), "");
    let wrong = "not-the-secret-0000";
    let (code, text) = doctor(&file, wrong).await;
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("PASS  reach"), "the target is up: {text}");
    assert!(text.contains("FAIL  token"), "{text}");
    assert!(text.contains("invalid_client"), "{text}");
    assert!(
        text.contains("fix: the client id or secret is wrong")
            && text.contains("$KONFORM_DOCTOR_SECRET"),
        "{text}"
    );
    assert!(!text.contains(wrong), "the secret is never printed: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_ca_fails_the_tls_check_and_the_right_one_passes() {
    let dir = support::temp_dir("doctor-ca");
    let base = https_server().await;
    // client.pem is a certificate of the test CA, not the CA that signed the server's.
    let wrong = profile(
        &dir,
        "wrong-ca",
        &base,
        &format!("tls: {{ ca: {} }}\n", tls("client.pem").display()),
    );
    let (code, text) = doctor(&wrong, SECRET).await;
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("FAIL  reach"), "{text}");
    assert!(text.contains("TLS"), "{text}");
    assert!(
        text.contains("fix: the TLS handshake") && text.contains("tls.ca"),
        "{text}"
    );
    let right = profile(
        &dir,
        "right-ca",
        &base,
        &format!("tls: {{ ca: {} }}\n", tls("ca.pem").display()),
    );
    let (_, text) = doctor(&right, SECRET).await;
    assert!(
        text.contains("PASS  reach") && text.contains("TLS certificate verified"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_is_down_is_named_and_a_run_stops_early() {
    let dir = support::temp_dir("doctor-down");
    // A port that was free a moment ago: nothing listens there.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let file = profile(&dir, "down", &format!("http://127.0.0.1:{port}"), "");
    let (code, text) = doctor(&file, SECRET).await;
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("FAIL  reach"), "{text}");
    assert!(text.contains("fix: nothing answers at"), "{text}");
    assert!(
        text.contains("SKIP  token"),
        "no token asked of a target that is down: {text}"
    );

    let mut run = konform();
    run.args(["run", "--clock", CLOCK, "--target"])
        .arg(&file)
        .arg("--out")
        .arg(dir.join("out"))
        .env("KONFORM_DOCTOR_SECRET", SECRET);
    let out = support::run(run).await;
    let text = support::text(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert_eq!(
        text.matches("cannot be reached").count(),
        1,
        "one error, not one per case: {text}"
    );
    assert!(text.lines().count() < 15, "{text}");
    assert!(!dir.join("out").join("summary.json").exists());
}
