//! CSV downloads that stream: rows go to the browser in chunks as the
//! database sends them, so a download of half a million rows never sits in
//! memory. A task reads the rows and writes them through a [`CsvSink`] into a
//! bounded channel; the response body is the channel's other end, so a slow
//! download slows the reading, and a closed one stops it.

use std::{future::Future, io};

use axum::{
    body::{Body, Bytes},
    http::header,
    response::{IntoResponse, Response},
};
use time::OffsetDateTime;
use tokio::sync::mpsc;

/// Bytes gathered before a chunk is sent.
const CHUNK: usize = 64 * 1024;
/// Chunks in flight: with [`CHUNK`], what one download may hold in memory.
const IN_FLIGHT: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    /// The browser stopped the download.
    #[error("the download was closed")]
    Closed,
}

/// Where an export writes its rows.
pub struct CsvSink {
    writer: csv::Writer<Vec<u8>>,
    tx: mpsc::Sender<Result<Bytes, io::Error>>,
}

impl CsvSink {
    pub async fn row<I, T>(&mut self, record: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer.write_record(record)?;
        if self.writer.get_ref().len() >= CHUNK {
            self.send().await?;
        }
        Ok(())
    }

    async fn send(&mut self) -> Result<(), Error> {
        let full = std::mem::replace(&mut self.writer, writer());
        let chunk = full
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))?;
        self.tx
            .send(Ok(Bytes::from(chunk)))
            .await
            .map_err(|_| Error::Closed)
    }

    /// Sends what is left. An export that ends without it fails the
    /// download instead of handing over a file that looks whole.
    pub async fn finish(mut self) -> Result<(), Error> {
        self.send().await
    }
}

/// A download named `filename` whose rows `export` writes. An export that
/// fails part-way breaks the connection, so the browser reports a failed
/// download rather than saving a truncated file.
pub fn csv<F, Fut>(filename: &str, export: F) -> Response
where
    F: FnOnce(CsvSink) -> Fut,
    Fut: Future<Output = Result<(), Error>> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    let sink = CsvSink {
        writer: writer(),
        tx: tx.clone(),
    };
    let job = export(sink);
    let name = filename.to_owned();
    tokio::spawn(async move {
        match job.await {
            Ok(()) | Err(Error::Closed) => {}
            Err(e) => {
                tracing::error!(error = %e, export = %name, "export failed part-way");
                let _ = tx.send(Err(io::Error::other("the export failed"))).await;
            }
        }
    });
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    }));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::Writer::from_writer(Vec::with_capacity(CHUNK + 1024))
}

/// Timestamps in exports: RFC 3339 in UTC, which spreadsheets and scripts read.
pub fn timestamp(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
