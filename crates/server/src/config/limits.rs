//! The limits an instance keeps: how long a client may take, the database
//! pool, and failed sign-ins tolerated.

use std::time::Duration;

/// How long a client may take, and how many connections it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeLimits {
    /// To send a request's head, counted from when the server starts
    /// waiting for it (so a connection that sends nothing is closed too).
    pub header_timeout: Duration,
    /// A kept-alive connection with no request in flight is closed after this.
    pub idle_timeout: Duration,
    /// To send a request's whole body, once its head has arrived.
    pub body_timeout: Duration,
    /// To answer a request, once its body has arrived (503 after).
    pub handler_timeout: Duration,
    /// Open connections at most; lowered at start to stay below the
    /// process's file limit. At the cap the oldest idle one is closed.
    pub max_connections: usize,
}

impl Default for EdgeLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(5),
            body_timeout: Duration::from_secs(30),
            handler_timeout: Duration::from_secs(30),
            max_connections: 1024,
        }
    }
}

/// How the database is reached. The defaults suit one instance next to
/// its database; several instances share PostgreSQL's `max_connections`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSettings {
    /// Connections per instance to PostgreSQL.
    pub postgres_connections: u32,
    /// Connections to a SQLite file (one writer at a time whatever this is).
    pub sqlite_connections: u32,
    /// A PostgreSQL statement running longer is cancelled.
    pub statement_timeout: Duration,
    /// Longest wait for a free connection before a request fails.
    pub acquire_timeout: Duration,
    /// Tries to reach PostgreSQL at start (1 s, 2 s, ... apart).
    pub connect_attempts: u32,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            postgres_connections: 10,
            sqlite_connections: 4,
            statement_timeout: Duration::from_secs(10),
            acquire_timeout: Duration::from_secs(10),
            connect_attempts: 5,
        }
    }
}

/// Failed sign-ins tolerated before answering 429.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    pub per_email: u32,
    pub per_ip: u32,
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            per_email: 5,
            per_ip: 20,
            window: Duration::from_secs(15 * 60),
        }
    }
}
