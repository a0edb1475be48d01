//! http_basics
