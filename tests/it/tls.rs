//! HTTPS served directly: the certificate is presented, pages answer, and HSTS is sent.

use std::path::Path;
use std::sync::Arc;

use charter::app::AppState;
use rustls::pki_types::pem::PemObject as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::TestDb;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

async fn get_over_tls(port: u16, path: &str) -> String {
    let mut roots = rustls::RootCertStore::empty();
    let pem = std::fs::read(fixture("test-ca.crt")).expect("certificate");
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(&pem) {
        roots.add(cert.expect("pem")).expect("root");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let name = rustls::pki_types::ServerName::try_from("localhost").expect("name");
    let mut tls = connector
        .connect(name, tcp)
        .await
        .expect("the TLS handshake succeeds with the served certificate");
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    tls.write_all(request.as_bytes()).await.expect("write");
    let mut answer = String::new();
    tls.read_to_string(&mut answer).await.ok();
    answer
}

#[tokio::test]
async fn https_serves_pages_with_hsts() {
    let db = TestDb::sqlite().await;
    let config = charter::tls::load_config(&fixture("localhost.crt"), &fixture("localhost.key"))
        .expect("the fixture loads");
    let mut state = AppState::new(db.store.clone());
    state.secure_cookies = true;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let port = listener.local_addr().expect("address").port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(charter::tls::serve(
        listener,
        charter::server::app(state),
        config,
        async {
            stopped.await.ok();
        },
    ));
    let answer = get_over_tls(port, "/healthz").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer
            .to_lowercase()
            .contains("strict-transport-security: max-age=63072000"),
        "{answer}"
    );
    let sign_in = get_over_tls(port, "/sign-in").await;
    assert!(sign_in.contains("Sign in to"), "{sign_in}");
    stop.send(()).ok();
    server.await.expect("the server stops");
}

#[test]
fn a_key_that_is_not_a_key_is_a_readable_error() {
    let error = charter::tls::load_config(&fixture("localhost.crt"), &fixture("localhost.crt"))
        .expect_err("no key");
    assert!(
        error.to_string().contains("cannot read a private key"),
        "{error}"
    );
}
