//! Parsing `warehouse.url`: `sqlite://path.db` or `postgres://user@host:port/db`, with errors
//! that say what is expected (and never the password: [`super::redact`]).

use super::error::WarehouseError;
use super::redact::redact;

/// A parsed `warehouse.url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WarehouseUrl {
    /// A SQLite file path (relative to the working directory unless absolute).
    Sqlite { path: String },
    /// A libpq connection URL, as given; `endpoint` is `host:port` for messages.
    Postgres { url: String, endpoint: String },
}

impl WarehouseUrl {
    /// Parses `url`, accepting `sqlite://`, `postgres://` and `postgresql://`.
    pub(crate) fn parse(url: &str) -> Result<Self, WarehouseError> {
        let trimmed = url.trim();
        if let Some(path) = trimmed.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(WarehouseError::InvalidUrl(
                    "warehouse.url `sqlite://` has no file path: write e.g. sqlite://meta_ads.db".into(),
                ));
            }
            return Ok(Self::Sqlite { path: path.to_string() });
        }
        if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
            return Ok(Self::Postgres { url: trimmed.to_string(), endpoint: endpoint(trimmed) });
        }
        let shown = if trimmed.is_empty() { "an empty string".to_string() } else { redact(trimmed) };
        Err(WarehouseError::InvalidUrl(format!(
            "warehouse.url must start with sqlite:// or postgres://, got {shown}"
        )))
    }
}

/// `host:port` of a postgres URL (default port 5432, default host localhost).
fn endpoint(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(end) = hostport.strip_prefix('[').and_then(|h| h.find(']')) {
        // [IPv6]:port
        let host = &hostport[..end + 2];
        (host, hostport[end + 2..].strip_prefix(':').unwrap_or(""))
    } else {
        hostport.rsplit_once(':').unwrap_or((hostport, ""))
    };
    let host = if host.is_empty() { "localhost" } else { host };
    let port = if port.is_empty() { "5432" } else { port };
    format!("{host}:{port}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_schemes_and_names_the_endpoint() {
        assert_eq!(
            WarehouseUrl::parse("sqlite://data/x.db").unwrap(),
            WarehouseUrl::Sqlite { path: "data/x.db".into() }
        );
        assert_eq!(
            WarehouseUrl::parse("sqlite:///tmp/x.db").unwrap(),
            WarehouseUrl::Sqlite { path: "/tmp/x.db".into() }
        );
        let WarehouseUrl::Postgres { endpoint, .. } =
            WarehouseUrl::parse("postgres://u:secret@127.0.0.1:5999/db?sslmode=disable").unwrap()
        else {
            panic!("postgres expected")
        };
        assert_eq!(endpoint, "127.0.0.1:5999");
        assert_eq!(endpoint_of("postgresql://db.example/x"), "db.example:5432");
        assert_eq!(endpoint_of("postgres://u@[::1]:6000/x"), "[::1]:6000");
        assert_eq!(endpoint_of("postgres:///x"), "localhost:5432");
    }

    fn endpoint_of(url: &str) -> String {
        endpoint(url)
    }

    #[test]
    fn malformed_urls_say_what_is_expected_without_the_password() {
        let err = WarehouseUrl::parse("mysql://root:hunter2@db/x").unwrap_err().to_string();
        assert_eq!(err, "warehouse.url must start with sqlite:// or postgres://, got mysql://root:***@db/x");
        let err = WarehouseUrl::parse("").unwrap_err().to_string();
        assert!(err.ends_with("got an empty string"), "{err}");
    }
}
