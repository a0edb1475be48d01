//! The HTTP server: routes, middleware (request id, access log, metrics), TLS-free listener and
//! graceful shutdown that lets requests in flight finish.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, Request};
use axum::response::IntoResponse;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::app::AppState;
use crate::error::AppError;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application: API, pages, operational endpoints, and the middleware around them.
pub fn app(state: AppState) -> Router {
    let (api, _) = crate::api::router();
    let middleware = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let id = request.extensions().get::<RequestId>().and_then(|id| id.header_value().to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path())
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(CatchPanicLayer::custom(|_| AppError::Internal("a handler panicked".into()).into_response()));
    Router::new()
        .merge(api)
        .merge(crate::web::router())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::telemetry::record_request,
        ))
        .layer(axum::middleware::from_fn(crate::auth::guard::require_guard))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::auth::principal::authenticate,
        ))
        .layer(axum::middleware::map_response_with_state(
            state.clone(),
            crate::security_headers::add,
        ))
        .layer(middleware)
        .with_state(state)
}

async fn not_found(request: Request<axum::body::Body>) -> axum::response::Response {
    if request.uri().path().starts_with("/api/") {
        AppError::NotFound("route").into_response()
    } else {
        crate::web::not_found_page().into_response()
    }
}

/// Binds `listen`; a taken port or a bad address is a readable error.
pub async fn bind(listen: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(listen).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!("cannot listen on {listen}: the port is already in use (choose another with --listen)"),
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!("cannot listen on {listen}: permission denied (ports below 1024 need privileges)"),
        _ => anyhow::anyhow!("cannot listen on {listen}: {e}"),
    })
}

/// Serves until SIGINT or SIGTERM, then stops accepting and lets requests in flight finish.
/// With `tls`, serves HTTPS (see `tls`); otherwise plain HTTP, as behind a proxy.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    tls: Option<std::sync::Arc<rustls::ServerConfig>>,
) -> anyhow::Result<()> {
    let store = state.store.clone();
    match tls {
        Some(config) => crate::tls::serve(listener, app(state), config, shutdown_signal()).await,
        None => {
            let app = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await?;
        }
    }
    tokio::time::timeout(Duration::from_secs(5), store.close())
        .await
        .ok();
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
