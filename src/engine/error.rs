//! The one error type of every engine call. Docker's own message text is kept as it is, so what a learner
//! sees from docklings matches what `docker` prints.

use std::time::Duration;

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum EngineError {
    /// 404: no such container, image, volume or network.
    #[error("{0}")]
    NotFound(String),
    /// 409: a name in use, an image in use by a container, a running container.
    #[error("{0}")]
    Conflict(String),
    /// 400: a request the engine refuses (bad reference, bad option).
    #[error("{0}")]
    BadRequest(String),
    /// 403: the engine forbids the operation (removing a pre-defined network).
    #[error("{0}")]
    Forbidden(String),
    /// 304: nothing to do (stopping a stopped container).
    #[error("{0}")]
    NotModified(String),
    /// Any other answer from the engine, with its status code.
    #[error("{message}")]
    Server { status: u16, message: String },
    /// No engine answered. `tried` lists what was tried, in order.
    #[error("no Docker engine answered (tried {}); `--engine sim` works without one", .tried.join(", "))]
    Unreachable { tried: Vec<String> },
    #[error("the Docker engine did not answer within {} s ({what})", .after.as_secs())]
    Timeout { after: Duration, what: String },
    /// A local problem: reading a build context, a bad path.
    #[error("{0}")]
    Local(String),
}

impl EngineError {
    /// The error from an HTTP status and the engine's message.
    #[must_use]
    pub fn from_status(status: u16, message: String) -> EngineError {
        match status {
            304 => EngineError::NotModified(message),
            400 => EngineError::BadRequest(message),
            403 => EngineError::Forbidden(message),
            404 => EngineError::NotFound(message),
            409 => EngineError::Conflict(message),
            _ => EngineError::Server { status, message },
        }
    }
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;
