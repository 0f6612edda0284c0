//! Real processes for the tests of faults and shutdowns: a PostgreSQL cluster
//! of a test's own, which it may stop and start without disturbing the other
//! tests' server, and Liaison itself, the compiled binary, which it may send
//! SIGTERM.

use std::{
    net::{SocketAddr, TcpListener},
    path::PathBuf,
    process::Stdio,
    time::Duration,
};

use sqlx::{Connection, Executor, PgConnection};
use tokio::process::{Child, Command};

/// A free loopback port, as the kernel hands one out.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A private cluster started with the scripts' own functions (so it runs as
/// the `postgres` user when the tests run as root), removed when dropped.
pub struct PrivateCluster {
    dir: PathBuf,
    port: u16,
}

fn lib(name: &str) -> String {
    format!("{}/scripts/lib/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn postgres_lib() -> String {
    lib("postgres.sh")
}

async fn shell(script: &str, args: &[&str]) {
    shell_with(&postgres_lib(), script, args).await;
}

/// Runs `script` with the scripts' library `lib` as `$0` and `args` after it.
async fn shell_with(lib: &str, script: &str, args: &[&str]) {
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .arg(lib)
        .args(args)
        .output()
        .await
        .expect("run bash");
    assert!(
        out.status.success(),
        "{script} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

const START: &str = r#"source "$0" && pg_start "$1" "$2" "-c fsync=off -c synchronous_commit=off -c full_page_writes=off""#;
const STOP: &str = r#"source "$0" && pg_require_binaries && pg_stop "$1""#;

impl PrivateCluster {
    /// Creates and starts a cluster with one database, `liaison`.
    pub async fn start() -> PrivateCluster {
        let cluster = PrivateCluster {
            dir: std::env::temp_dir().join(format!("liaison-test-pg-{}", uuid::Uuid::now_v7())),
            port: free_port(),
        };
        cluster.start_again().await;
        let mut conn = PgConnection::connect(&cluster.url("postgres"))
            .await
            .expect("connect to the private cluster");
        conn.execute("create database liaison")
            .await
            .expect("create the database");
        cluster
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://liaison@127.0.0.1:{}/{database}", self.port)
    }

    /// Stops the server the way an operator's restart does (`pg_ctl stop -m
    /// fast`): sessions are ended and transactions in flight roll back.
    pub async fn stop(&self) {
        shell(STOP, &[&self.dir.to_string_lossy()]).await;
    }

    pub async fn start_again(&self) {
        shell(
            START,
            &[&self.dir.to_string_lossy(), &self.port.to_string()],
        )
        .await;
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new("bash")
            .arg("-c")
            .arg(STOP)
            .arg(postgres_lib())
            .arg(&self.dir)
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// HAProxy from Debian's package on a free loopback port, balancing
/// round-robin over the instances given (`scripts/lib/balancer.sh`, which
/// `scripts/soak` uses too); stopped when dropped.
pub struct Balancer {
    dir: PathBuf,
    pub addr: SocketAddr,
}

impl Balancer {
    pub async fn start(instances: &[SocketAddr]) -> Balancer {
        let port = free_port();
        let balancer = Balancer {
            dir: std::env::temp_dir().join(format!("liaison-test-lb-{}", uuid::Uuid::now_v7())),
            addr: format!("127.0.0.1:{port}").parse().expect("addr"),
        };
        let mut args = vec![
            balancer.dir.to_string_lossy().into_owned(),
            port.to_string(),
        ];
        args.extend(instances.iter().map(|a| a.port().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        shell_with(
            &lib("balancer.sh"),
            r#"source "$0" && lb_start "$@""#,
            &args,
        )
        .await;
        let client = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        while !client
            .get(format!("http://{}/healthz", balancer.addr))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "HAProxy did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        balancer
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = std::process::Command::new("bash")
            .arg("-c")
            .arg(r#"source "$0" && lb_stop "$1""#)
            .arg(lib("balancer.sh"))
            .arg(&self.dir)
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `liaison serve` as a process of its own, on a free loopback port.
pub struct Instance {
    pub addr: SocketAddr,
    child: Child,
}

impl Instance {
    /// Starts the binary on `database_url` with the test's settings plus
    /// `env`, and waits until it answers.
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> Instance {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
        let child = Command::new(env!("CARGO_BIN_EXE_liaison"))
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("LIAISON_ADDR", addr.to_string())
            .env(
                "LIAISON_SECRET",
                "integration-test-secret-of-sufficient-length",
            )
            .env("LIAISON_PUBLIC_URL", "http://liaison.test")
            .env("RUST_LOG", "liaison=warn")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            // Its log lines (on standard output) join the test's, shown when it fails.
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start liaison");
        let instance = Instance { addr, child };
        let client = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            let up = client
                .get(format!("http://{addr}/readyz"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if up {
                return instance;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "liaison did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Sends SIGTERM, as an orchestrator does before replacing an instance.
    pub fn terminate(&self) {
        let pid = self.child.id().expect("a running process");
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM {pid}");
    }

    /// Waits for the process to exit; `None` if it is still running after
    /// `limit`.
    pub async fn exited_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        tokio::time::timeout(limit, self.child.wait())
            .await
            .ok()
            .map(|status| status.expect("wait for liaison"))
    }
}
