//! The SMTP transport (lettre, on tokio and rustls) built from `--smtp-url` and `--smtp-ca-file`.

use std::time::Duration;

use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::MailConfigError;

/// How long one SMTP conversation may take before the attempt counts as failed.
const SEND_TIMEOUT: Duration = Duration::from_secs(20);

/// How the connection is protected, as the URL asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// `smtp://` without `tls`: plain text, for a relay on the same host or network.
    None,
    /// `smtp://...?tls=opportunistic`: STARTTLS when the server offers it.
    Opportunistic,
    /// `smtp://...?tls=required`: STARTTLS or no mail.
    Required,
    /// `smtps://`: TLS from the first byte.
    Implicit,
}

/// Where mail goes, without the credentials: what may be logged and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = if self.tls == TlsMode::Implicit {
            "smtps"
        } else {
            "smtp"
        };
        let tls = match self.tls {
            TlsMode::None => " (no TLS)",
            TlsMode::Opportunistic => " (STARTTLS when offered)",
            TlsMode::Required => " (STARTTLS required)",
            TlsMode::Implicit => " (TLS)",
        };
        write!(f, "{scheme}://{}:{}{tls}", self.host, self.port)
    }
}

/// Reads scheme, host, port and TLS mode from the URL; errors never repeat the URL (it may hold
/// a password).
pub fn endpoint(url: &str) -> Result<Endpoint, MailConfigError> {
    let invalid = |why: &str| MailConfigError(format!("invalid --smtp-url: {why}"));
    let parsed = url::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    let tls_param = parsed
        .query_pairs()
        .find(|(key, _)| key == "tls")
        .map(|(_, value)| value.into_owned());
    let tls = match (parsed.scheme(), tls_param.as_deref()) {
        ("smtp", None) => TlsMode::None,
        ("smtp", Some("opportunistic")) => TlsMode::Opportunistic,
        ("smtp", Some("required")) => TlsMode::Required,
        ("smtps", None) => TlsMode::Implicit,
        ("smtp" | "smtps", Some(_)) => {
            return Err(invalid(
                "`tls` must be `required` or `opportunistic`, and only with smtp://",
            ));
        }
        _ => return Err(invalid("the scheme must be smtp:// or smtps://")),
    };
    let host = parsed
        .host_str()
        .filter(|host| !host.is_empty())
        .ok_or_else(|| invalid("it names no host"))?
        .to_owned();
    if parsed.password().is_some() && parsed.username().is_empty() {
        return Err(invalid("a password needs a user name before it"));
    }
    let port = parsed.port().unwrap_or(match tls {
        TlsMode::None => 25,
        TlsMode::Opportunistic | TlsMode::Required => 587,
        TlsMode::Implicit => 465,
    });
    Ok(Endpoint { host, port, tls })
}

/// An SMTP server Charter hands its mail to.
#[derive(Clone)]
pub struct SmtpTransport {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    endpoint: Endpoint,
}

impl std::fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpTransport")
            .field("endpoint", &self.endpoint.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpTransport {
    /// The transport for `url`, trusting `extra_root` (a PEM certificate) besides the public
    /// roots when given.
    pub fn new(url: &str, extra_root: Option<&[u8]>) -> Result<Self, MailConfigError> {
        let endpoint = endpoint(url)?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailConfigError(format!("invalid --smtp-url: {}", e)))?
            .port(endpoint.port)
            .timeout(Some(SEND_TIMEOUT));
        if let Some(pem) = extra_root {
            builder = builder.tls(tls_with_root(&endpoint, pem)?);
        }
        Ok(Self {
            transport: builder.build(),
            endpoint,
        })
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Hands one message to the server; the error says why it was not accepted.
    pub async fn send(&self, message: Message) -> Result<(), String> {
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| describe_error(&e))
    }
}

/// The TLS settings of the URL's mode, with one more trusted root.
fn tls_with_root(endpoint: &Endpoint, pem: &[u8]) -> Result<Tls, MailConfigError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject as _;
    let unreadable = || MailConfigError("--smtp-ca-file holds no PEM certificate".into());
    let certificates = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| unreadable())?;
    if certificates.is_empty() {
        return Err(unreadable());
    }
    let certificate = Certificate::from_pem(pem).map_err(|_| unreadable())?;
    let parameters = TlsParameters::builder(endpoint.host.clone())
        .add_root_certificate(certificate)
        .build_rustls()
        .map_err(|e| MailConfigError(format!("cannot use --smtp-ca-file: {e}")))?;
    Ok(match endpoint.tls {
        TlsMode::None => {
            return Err(MailConfigError(
                "--smtp-ca-file needs a TLS connection: use smtps:// or smtp://...?tls=required"
                    .into(),
            ));
        }
        TlsMode::Opportunistic => Tls::Opportunistic(parameters),
        TlsMode::Required => Tls::Required(parameters),
        TlsMode::Implicit => Tls::Wrapper(parameters),
    })
}

/// A short, single-line reason: lettre's error and its causes, at most 500 characters.
fn describe_error(error: &lettre::transport::smtp::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    let single_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    single_line.chars().take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_names_host_port_and_tls_but_never_the_password() {
        let starttls =
            endpoint("smtp://user:s3cret@mail.example.com:587?tls=required").expect("valid");
        assert_eq!(
            starttls,
            Endpoint {
                host: "mail.example.com".into(),
                port: 587,
                tls: TlsMode::Required
            }
        );
        let shown = starttls.to_string();
        assert!(
            !shown.contains("s3cret") && !shown.contains("user"),
            "{shown}"
        );
        assert_eq!(
            endpoint("smtps://u:p@mail.example.com")
                .expect("valid")
                .port,
            465
        );
        assert_eq!(endpoint("smtp://127.0.0.1").expect("valid").port, 25);
    }

    #[test]
    fn bad_urls_are_refused_without_repeating_them() {
        for url in [
            "http://user:s3cret@mail.example.com",
            "smtp://user:s3cret@mail.example.com?tls=maybe",
            "smtps://user:s3cret@mail.example.com?tls=required",
            "not a url s3cret",
            "smtp://:s3cret@mail.example.com",
        ] {
            let error = SmtpTransport::new(url, None).expect_err(url);
            assert!(!error.0.contains("s3cret"), "{url}: {}", error.0);
            assert!(error.0.starts_with("invalid --smtp-url"), "{}", error.0);
        }
    }

    #[tokio::test]
    async fn a_ca_file_needs_a_certificate_and_a_tls_connection() {
        let pem = include_bytes!("../../tests/fixtures/test-ca.crt");
        let tls_url = "smtp://u:p@127.0.0.1:2525?tls=required";
        assert!(SmtpTransport::new(tls_url, Some(pem)).is_ok());
        let plain = SmtpTransport::new("smtp://127.0.0.1:2525", Some(pem)).expect_err("plain");
        assert!(plain.0.contains("needs a TLS connection"), "{}", plain.0);
        let garbage = SmtpTransport::new(tls_url, Some(b"not a certificate")).expect_err("pem");
        assert!(garbage.0.contains("no PEM certificate"), "{}", garbage.0);
    }
}
