//! Durability: the server is killed with SIGKILL in the middle of an acknowledgment burst; after a
//! restart every acknowledgment that was answered with a 2xx is there, and the chain still holds.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use charter::store::DatabaseLocation;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Mutex;
use uuid::Uuid;

fn charter() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_charter"));
    command.env("RUST_LOG", "warn");
    command
}

/// One request on its own connection; the status and the body, or none when the server is gone.
async fn post(port: u16, path: &str, token: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.ok()?;
    let status = answer.get(9..12)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n")?.1.to_owned();
    Some((status, body))
}

async fn wait_until_ready(port: u16) {
    for _ in 0..300 {
        if let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            let request = "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            if stream.write_all(request.as_bytes()).await.is_ok() {
                let mut answer = String::new();
                stream.read_to_string(&mut answer).await.ok();
                if answer.starts_with("HTTP/1.1 200") {
                    return;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answered_acknowledgment_survives_a_kill_9() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("charter.db");
    let load = dir.path().join("load.txt");
    let status = charter()
        .args(["demo", "--fresh", "--no-serve", "--people", "120"])
        .args(["--demo-password", "crash test password 2026"])
        .arg("--database")
        .arg(&db)
        .args(["--ack-load-people", "100", "--ack-load-campaigns", "10"])
        .arg("--ack-load-out")
        .arg(&load)
        .stdout(Stdio::null())
        .status()
        .expect("the demo runs");
    assert!(status.success(), "the demo and its load were written");
    let lines: Vec<(String, String, String)> = std::fs::read_to_string(&load)
        .expect("load file")
        .lines()
        .map(|line| {
            let mut parts = line.split(' ').map(str::to_owned);
            let mut next = || parts.next().expect("three fields");
            (next(), next(), next())
        })
        .collect();
    assert_eq!(lines.len(), 1000);

    let port = free_port();
    let mut server = charter()
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--database")
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    wait_until_ready(port).await;

    let queue = Arc::new(Mutex::new(lines.into_iter()));
    let answered = Arc::new(Mutex::new(Vec::<(Uuid, Uuid, Uuid)>::new()));
    let mut workers = Vec::new();
    for _ in 0..16 {
        let (queue, answered) = (queue.clone(), answered.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let Some((token, campaign, version)) = queue.lock().await.next() else {
                    return;
                };
                let path = format!("/api/v1/campaigns/{campaign}/acknowledgments");
                let body = format!(r#"{{"version_id":"{version}"}}"#);
                let Some((status, body)) = post(port, &path, &token, &body).await else {
                    return;
                };
                if (200..300).contains(&status) {
                    let receipt: serde_json::Value = serde_json::from_str(&body).expect("json");
                    let id = |key: &str| receipt[key].as_str().expect(key).parse().expect("uuid");
                    let version_id = id("version_id");
                    answered
                        .lock()
                        .await
                        .push((id("campaign_id"), id("person_id"), version_id));
                }
            }
        }));
    }
    // Kill in the middle of the burst: once a few hundred have been answered.
    for _ in 0..600 {
        if answered.lock().await.len() >= 300 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("the server is gone");
    for worker in workers {
        worker.await.expect("worker");
    }
    let answered = answered.lock().await.clone();
    eprintln!(
        "{} acknowledgments answered with a 2xx before the kill",
        answered.len()
    );
    assert!(
        answered.len() >= 300,
        "the burst was under way when the server was killed ({} answered)",
        answered.len()
    );
    assert!(
        answered.len() < 1000,
        "the server was killed before the burst ended"
    );

    let store = charter::store::open(&DatabaseLocation::Sqlite(db.clone()))
        .await
        .expect("the database opens after the crash");
    let today = charter::app::today();
    for (campaign, person, version) in &answered {
        let ack = store
            .get_acknowledgment(*campaign, *person, today)
            .await
            .expect("the acknowledgment row is there");
        assert!(
            ack.acknowledged_at.is_some(),
            "an answered acknowledgment was lost: campaign {campaign}, person {person}"
        );
        assert_eq!(ack.version_id, Some(*version));
    }
    let report = store.verify_audit_chain().await.expect("verify");
    assert!(report.broken.is_none(), "the chain holds after the crash");
}
