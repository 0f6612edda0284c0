//! The `liaison` command line.

use std::{
    io::{BufRead, IsTerminal},
    process::ExitCode,
};

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::{
    accounts::{
        db::{self as accounts_db, CreateError},
        domain::{DisplayName, Email, Password},
        password,
    },
    audit::{self, Action},
    config::Config,
    db, seed, server, telemetry,
};

#[derive(Debug, Parser)]
#[command(
    name = "liaison",
    version,
    about = "Liaison: brands and influencer-entrepreneurs as business partners"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate the database and serve the web application (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load data into the database.
    Seed {
        /// A believable demo: brands with teams and campaigns in every state,
        /// influencers and an agency admin. Safe to run again: it does nothing when
        /// the demo is already there.
        #[arg(long)]
        demo: bool,
        /// Adds this many generated campaigns (with brands and briefs), for benchmarks.
        #[arg(long, value_name = "N")]
        campaigns: Option<usize>,
        /// Adds this many generated creators (full profiles, about three channels
        /// each with six monthly snapshots, rate cards), for benchmarks.
        #[arg(long, value_name = "N")]
        influencers: Option<usize>,
        /// Adds this many generated applications across the campaigns and
        /// creators there are, one in ten accepted with deliverables in every
        /// state of delivery, for benchmarks.
        #[arg(long, value_name = "N")]
        applications: Option<usize>,
        /// Adds clicks on the collaborations' tracked links and the orders they
        /// brought (10 million and 1 million unless --clicks and --orders say),
        /// with post figures, for benchmarks.
        #[arg(long)]
        results: bool,
        #[arg(
            long,
            value_name = "N",
            default_value_t = 10_000_000,
            requires = "results"
        )]
        clicks: i64,
        #[arg(
            long,
            value_name = "N",
            default_value_t = 1_000_000,
            requires = "results"
        )]
        orders: i64,
    },
    /// Create an agency admin. The password is read from standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Agency admin")]
        name: String,
    },
    /// Check the money ledger.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Check the audit trail's chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute every sealed event's hash in order; exit non-zero and name
    /// the first event that does not follow from the one before it.
    Verify,
    /// Seal the events waiting for the chain now (a running server does it
    /// every second).
    Seal,
}

#[derive(Debug, Subcommand)]
enum LedgerCommand {
    /// Recompute every balance from the entries; exit non-zero on any difference.
    Verify,
    /// Post a write load (holds and refunds by concurrent writers, each its own
    /// transaction), report transfers per second and latency, then verify.
    Load {
        #[arg(long, default_value_t = 8)]
        writers: usize,
        #[arg(long, default_value_t = 20_000)]
        transfers: usize,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("liaison: {e}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(config.environment);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("liaison: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("liaison: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => server::serve(config).await,
        Command::Migrate => {
            let pool = db::connect(&config.database_url, 2, db::Work::Background).await?;
            db::migrate(&pool).await?;
            println!("Database is up to date.");
            Ok(())
        }
        Command::Seed {
            demo,
            campaigns,
            influencers,
            applications,
            results,
            clicks,
            orders,
        } => {
            anyhow::ensure!(
                demo || campaigns.is_some()
                    || influencers.is_some()
                    || applications.is_some()
                    || results,
                "nothing to seed: pass --demo, --campaigns N, --influencers N, --applications N and/or --results"
            );
            let pool = db::connect(&config.database_url, 2, db::Work::Background).await?;
            db::migrate(&pool).await?;
            if demo {
                println!("{}", seed::demo(&pool, &config.data_key).await?);
            }
            if let Some(n) = campaigns {
                println!("{}", seed::campaigns(&pool, n).await?);
            }
            if let Some(n) = influencers {
                println!("{}", seed::influencers(&pool, n).await?);
            }
            if let Some(n) = applications {
                println!("{}", seed::applications(&pool, n).await?);
            }
            if results {
                println!("{}", seed::results(&pool, clicks, orders).await?);
            }
            // The agency's report and the brands' track records show what was
            // just seeded, not what was there before.
            crate::reports::snapshot::refresh(&pool).await?;
            crate::db::snapshot::refresh(&pool, crate::db::snapshot::Snapshot::TrackRecords)
                .await?;
            Ok(())
        }
        Command::CreateAdmin { email, name } => create_admin(&config, &email, &name).await,
        Command::Audit { command } => audit(&config, command).await,
        Command::Ledger {
            command: LedgerCommand::Load { writers, transfers },
        } => {
            anyhow::ensure!(
                writers > 0 && transfers > 0,
                "pass --writers and --transfers above 0"
            );
            let pool = db::connect(
                &config.database_url,
                writers as u32 + 2,
                db::Work::Background,
            )
            .await?;
            let r = crate::ledger::load::run(&pool, writers, transfers).await?;
            println!(
                "{} transfers by {} writers in {:.1} s: {:.0} transfers/s, p50 {:.2} ms, p99 {:.2} ms; \
                 ledger {}",
                r.transfers,
                r.writers,
                r.elapsed.as_secs_f64(),
                r.per_second(),
                r.p50.as_secs_f64() * 1000.0,
                r.p99.as_secs_f64() * 1000.0,
                if r.sound {
                    "verified"
                } else {
                    "DOES NOT ADD UP"
                }
            );
            anyhow::ensure!(r.sound, "the ledger does not add up after the load");
            Ok(())
        }
        Command::Ledger {
            command: LedgerCommand::Verify,
        } => {
            let pool = db::connect(&config.database_url, 2, db::Work::Background).await?;
            let report = crate::ledger::verify::verify(&pool).await?;
            for problem in &report.problems {
                println!("{problem}");
            }
            anyhow::ensure!(
                report.is_sound(),
                "the ledger does not add up: {} problem(s) above",
                report.problems.len()
            );
            println!(
                "The ledger adds up: {} accounts, {} entries.",
                report.accounts, report.entries
            );
            Ok(())
        }
    }
}

async fn audit(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    use crate::audit::chain;
    let pool = db::connect(&config.database_url, 2, db::Work::Background).await?;
    match command {
        AuditCommand::Seal => {
            let n = chain::seal_all(&pool).await?;
            println!("Sealed {n} audit events.");
        }
        AuditCommand::Verify => {
            let report = chain::verify(&pool).await?;
            if let Some(b) = &report.broken {
                println!(
                    "The audit chain is broken at event #{} ({}): {}. The {} events before it are intact.",
                    b.seq, b.id, b.why, report.checked
                );
                anyhow::bail!("the audit chain is broken at event #{}", b.seq);
            }
            match report.head {
                Some(head) => println!(
                    "The audit chain holds: {} events, the newest #{} with hash {}.",
                    report.checked,
                    head.seq,
                    head.hex()
                ),
                None => println!("The audit chain is empty."),
            }
            if report.unsealed > 0 {
                println!(
                    "{} newer events wait to be sealed: a running server seals them within a second, \
                     `liaison audit seal` now.",
                    report.unsealed
                );
            }
        }
    }
    Ok(())
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password("Password for the new admin (10-128 characters): ")
            .context("reading the password");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

async fn create_admin(config: &Config, email: &str, name: &str) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(anyhow::Error::msg)?;
    let name = DisplayName::parse(name).map_err(anyhow::Error::msg)?;
    let password = Password::parse(&read_password()?).map_err(anyhow::Error::msg)?;
    let pool = db::connect(&config.database_url, 2, db::Work::Background).await?;
    db::migrate(&pool).await?;
    let hash = password::hash(password).await?;
    let mut tx = pool.begin().await?;
    let id = match accounts_db::create_admin(&mut tx, &email, &name, &hash).await {
        Ok(id) => id,
        Err(CreateError::EmailTaken) => {
            anyhow::bail!(
                "an account with the email {} already exists",
                email.as_str()
            )
        }
        Err(CreateError::Db(e)) => return Err(e.into()),
    };
    audit::Event::new(Action::AdminCreated, "from the command line")
        .by(id)
        .on(id)
        .record(&mut *tx)
        .await?;
    tx.commit().await?;
    println!("Created agency admin {}.", email.as_str());
    Ok(())
}
