//! Static files, compiled into the binary so an instance is one file.
//!
//! Pages link to versioned names (`app.<hash>.css`) served with a one-year immutable
//! cache; plain names are served too, revalidated by ETag.

use std::sync::LazyLock;

use axum::{
    Router,
    extract::Path,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use sha2::{Digest, Sha256};

use crate::{error::AppError, state::AppState};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../static/app.css"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        bytes: include_bytes!("../../static/favicon.svg"),
    },
];

/// First 12 hex digits of each asset's SHA-256, in `ASSETS` order.
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let digest = Sha256::digest(a.bytes);
            digest[..6].iter().map(|b| format!("{b:02x}")).collect()
        })
        .collect()
});

fn versioned_name(name: &str, version: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{version}.{ext}"),
        None => format!("{name}.{version}"),
    }
}

/// The URL to put in a page. Unknown names fall back to the plain path, which 404s
/// visibly in development rather than failing the page.
pub fn url(name: &str) -> String {
    match ASSETS.iter().position(|a| a.name == name) {
        Some(i) => format!("/static/{}", versioned_name(name, &VERSIONS[i])),
        None => format!("/static/{name}"),
    }
}

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{file}", get(serve))
}

async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Result<Response, AppError> {
    let (asset, version, immutable) = ASSETS
        .iter()
        .zip(VERSIONS.iter())
        .find_map(|(a, v)| {
            if file == versioned_name(a.name, v) {
                Some((a, v, true))
            } else if file == a.name {
                Some((a, v, false))
            } else {
                None
            }
        })
        .ok_or(AppError::NotFound)?;
    let etag = format!("\"{version}\"");
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "public, no-cache"
    };
    let mut response_headers = HeaderMap::new();
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        response_headers.insert(header::ETAG, v);
    }
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if not_modified {
        return Ok((StatusCode::NOT_MODIFIED, response_headers).into_response());
    }
    response_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    Ok((response_headers, asset.bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_urls_carry_a_content_hash() {
        let u = url("app.css");
        assert!(u.starts_with("/static/app."), "{u}");
        assert!(u.ends_with(".css"));
        assert_eq!(u.len(), "/static/app..css".len() + 12);
        assert_eq!(url("missing.js"), "/static/missing.js");
    }
}
