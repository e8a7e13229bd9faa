//! An HTTP GET from the learner's machine to a published port, as a browser there would send it.

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::RealEngine;
use crate::engine::{EngineError, HttpReply, Result};

/// The host a published port is reached on: the engine's own host for `tcp://` and `https://` endpoints, this
/// machine for a local socket.
fn published_host(endpoint: &str) -> String {
    let Some((scheme, rest)) = endpoint.split_once("://") else { return "127.0.0.1".into() };
    if !matches!(scheme, "tcp" | "http" | "https") {
        return "127.0.0.1".into();
    }
    let authority = rest.split('/').next().unwrap_or(rest);
    match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host.to_string(),
        _ => authority.to_string(),
    }
}

impl RealEngine {
    pub(super) fn http_get_impl(&self, host_port: u16, path: &str) -> Result<HttpReply> {
        let host = published_host(&self.endpoint);
        let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
        let url = format!("http://{host}:{host_port}{path}");
        let uri: hyper::Uri = url.parse().map_err(|e| EngineError::Local(format!("{url}: {e}")))?;
        self.quick("an HTTP request to a published port", async move {
            let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
            let response = client.get(uri).await.map_err(|e| EngineError::Local(format!("{url}: {e}")))?;
            let status = response.status().as_u16();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| EngineError::Local(format!("{url}: reading the reply: {e}")))?
                .to_bytes();
            Ok(HttpReply { status, body: String::from_utf8_lossy(&body).into_owned() })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::published_host;

    #[test]
    fn ports_are_reached_where_the_engine_runs() {
        assert_eq!(published_host("unix:///var/run/docker.sock"), "127.0.0.1");
        assert_eq!(published_host("tcp://10.0.0.5:2376"), "10.0.0.5");
        assert_eq!(published_host("tcp://build-box"), "build-box");
        assert_eq!(published_host("https://docker.example:2376/"), "docker.example");
    }
}
