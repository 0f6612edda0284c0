//! A CSV upload's life: read and checked row by row exactly as the API would
//! record it (in a transaction that is rolled back), kept for the brand to
//! see, then imported in one transaction, or discarded. Nothing is saved
//! while a row has a problem, unless the brand chooses to skip those rows.

use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgExecutor, PgPool, types::Json};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    db::{self, Recorded},
    domain::{Problem, RawOrder, Source},
    upload::FileRow,
};

/// One row as checked: its problem, or what importing it does.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CheckedRow {
    pub line: usize,
    pub raw: RawOrder,
    pub problem: Option<Problem>,
    /// The problem is the file's (a repeated order id), not a field's.
    pub file_problem: bool,
    /// For a row without a problem: what importing it does, in words.
    pub outcome: String,
    /// Whether importing it records something new.
    pub adds: bool,
}

/// Runs every row through the recording path in `tx`; the caller commits
/// (an import) or rolls back (a preview).
pub async fn check(
    tx: &mut PgConnection,
    brand_id: Uuid,
    rows: impl IntoIterator<Item = (usize, RawOrder, Option<Problem>)>,
) -> Result<Vec<CheckedRow>, sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let mut checked = Vec::new();
    for (line, raw, problem) in rows {
        let mut row = CheckedRow {
            line,
            raw,
            file_problem: problem.is_some(),
            problem,
            outcome: String::new(),
            adds: false,
        };
        if row.problem.is_none() {
            match row.raw.parse(now) {
                Err(mut problems) => row.problem = Some(problems.remove(0)),
                Ok(order) => match db::record(tx, brand_id, &order, Source::Csv).await? {
                    Err(refusal) => row.problem = Some(refusal.problem(&order.order_id)),
                    Ok(recorded) => {
                        (row.outcome, row.adds) = match recorded {
                            Recorded::Created(_, Some(a)) => (
                                format!(
                                    "New: counted for {} ({}, by {})",
                                    a.creator,
                                    a.campaign_title,
                                    a.by.label().to_lowercase()
                                ),
                                true,
                            ),
                            Recorded::Created(_, None) => {
                                ("New: no link or code matched (unattributed)".into(), true)
                            }
                            Recorded::Replayed(_) => ("Already recorded: skipped".into(), false),
                            Recorded::Refunded(_) => ("Refunds an earlier order".into(), true),
                            Recorded::AlreadyRefunded(_) => {
                                ("Already refunded: skipped".into(), false)
                            }
                        }
                    }
                },
            }
        }
        checked.push(row);
    }
    Ok(checked)
}

/// Reads and checks a file's rows and keeps them for the brand to decide.
pub async fn keep(
    db: &PgPool,
    brand_id: Uuid,
    by: Uuid,
    file_name: &str,
    rows: Vec<FileRow>,
) -> Result<Uuid, sqlx::Error> {
    let mut tx = db.begin().await?;
    let checked = check(
        &mut tx,
        brand_id,
        rows.into_iter().map(|r| {
            let problem = r.problem.map(|(field, reason)| Problem { field, reason });
            (r.line, r.raw, problem)
        }),
    )
    .await?;
    // A preview records nothing.
    tx.rollback().await?;
    let id = Uuid::now_v7();
    let errors = checked.iter().filter(|r| r.problem.is_some()).count();
    let name: String = file_name.chars().take(255).collect();
    sqlx::query!(
        "insert into conversion_uploads (id, brand_id, uploaded_by, file_name, rows, row_count,
                                         error_count)
         values ($1, $2, $3, $4, $5, $6, $7)",
        id,
        brand_id,
        by,
        if name.trim().is_empty() {
            "orders.csv"
        } else {
            name.as_str()
        },
        Json(&checked) as _,
        checked.len() as i32,
        errors as i32,
    )
    .execute(db)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct Upload {
    pub id: Uuid,
    pub file_name: String,
    pub rows: Vec<CheckedRow>,
    pub status: String,
    pub imported_count: Option<i32>,
    pub created_at: OffsetDateTime,
}

impl Upload {
    pub fn errors(&self) -> usize {
        self.rows.iter().filter(|r| r.problem.is_some()).count()
    }

    /// Rows that importing would record.
    pub fn adding(&self) -> usize {
        self.rows.iter().filter(|r| r.adds).count()
    }

    pub fn is_pending(&self) -> bool {
        self.status == "pending"
    }
}

/// The brand's upload; another brand's is never found.
pub async fn find(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    id: Uuid,
) -> Result<Option<Upload>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id, file_name, rows as "rows: Json<Vec<CheckedRow>>", status, imported_count,
                  created_at
             from conversion_uploads where id = $1 and brand_id = $2"#,
        id,
        brand_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Upload {
        id: r.id,
        file_name: r.file_name,
        rows: r.rows.0,
        status: r.status,
        imported_count: r.imported_count,
        created_at: r.created_at,
    }))
}

/// Why an import did not happen.
#[derive(Debug)]
pub enum NotImported {
    /// Decided before (imported or discarded).
    Decided,
    /// Rows have problems now and the brand did not choose to skip them.
    Problems(Vec<CheckedRow>),
}

/// Imports the upload in one transaction: every row, or (when `skip`) every
/// row without a problem. Rows are checked again first: orders may have
/// arrived by the API since the preview.
pub async fn import(
    db: &PgPool,
    brand_id: Uuid,
    id: Uuid,
    skip: bool,
) -> Result<Result<usize, NotImported>, sqlx::Error> {
    let mut tx = db.begin().await?;
    let rows = sqlx::query_scalar!(
        r#"select rows as "rows: Json<Vec<CheckedRow>>" from conversion_uploads
            where id = $1 and brand_id = $2 and status = 'pending'
            for update"#,
        id,
        brand_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(Json(rows)) = rows else {
        return Ok(Err(NotImported::Decided));
    };
    let checked = check(
        &mut tx,
        brand_id,
        rows.into_iter().map(|r| {
            // A problem the file itself showed stays; field problems are found again.
            let file_problem = r.problem.filter(|_| r.file_problem);
            (r.line, r.raw, file_problem)
        }),
    )
    .await?;
    if checked.iter().any(|r| r.problem.is_some()) && !skip {
        tx.rollback().await?;
        return Ok(Err(NotImported::Problems(checked)));
    }
    let added = checked.iter().filter(|r| r.adds).count();
    sqlx::query!(
        "update conversion_uploads
            set status = 'imported', imported_count = $3, decided_at = now(), rows = $4,
                error_count = $5
          where id = $1 and brand_id = $2",
        id,
        brand_id,
        added as i32,
        Json(&checked) as _,
        checked.iter().filter(|r| r.problem.is_some()).count() as i32,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(added))
}

/// Keeps the rows' fresh problems on a pending upload, so its page shows them.
pub async fn recheck_saved(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    id: Uuid,
    rows: &[CheckedRow],
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update conversion_uploads set rows = $3, error_count = $4
          where id = $1 and brand_id = $2 and status = 'pending'",
        id,
        brand_id,
        Json(rows) as _,
        rows.iter().filter(|r| r.problem.is_some()).count() as i32,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Discards a pending upload; `false` when there is none to discard.
pub async fn discard(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
    id: Uuid,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "update conversion_uploads set status = 'discarded', decided_at = now(), rows = '[]',
                                       row_count = 0, error_count = 0
          where id = $1 and brand_id = $2 and status = 'pending'",
        id,
        brand_id
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() > 0)
}

#[derive(Debug, Clone)]
pub struct UploadRow {
    pub id: Uuid,
    pub file_name: String,
    pub row_count: i32,
    pub error_count: i32,
    pub status: String,
    pub imported_count: Option<i32>,
    pub created_at: OffsetDateTime,
    pub uploaded_by: Option<String>,
}

pub async fn recent(
    db: impl PgExecutor<'_>,
    brand_id: Uuid,
) -> Result<Vec<UploadRow>, sqlx::Error> {
    sqlx::query_as!(
        UploadRow,
        r#"select u.id, u.file_name, u.row_count, u.error_count, u.status, u.imported_count,
                  u.created_at, us.display_name as "uploaded_by?"
             from conversion_uploads u left join users us on us.id = u.uploaded_by
            where u.brand_id = $1
            order by u.created_at desc
            limit 10"#,
        brand_id
    )
    .fetch_all(db)
    .await
}

/// Uploads left undecided for a week are discarded, and the rows of decided
/// ones dropped after a month: the orders themselves are in `conversions`.
pub async fn purge_stale(db: impl PgExecutor<'_>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "update conversion_uploads
            set status = case status when 'pending' then 'discarded' else status end,
                decided_at = coalesce(decided_at, now()), rows = '[]'
          where (status = 'pending' and created_at < now() - interval '7 days')
             or (status <> 'pending' and decided_at < now() - interval '30 days'
                 and rows <> '[]'::jsonb)"
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
