//! Sending email: the configured SMTP server, or none (mail then waits in the outbox for an admin).

pub mod deliver;
pub mod smtp;

use std::path::PathBuf;

use lettre::message::Mailbox;

pub use deliver::{DeliveryReport, deliver_due};
pub use smtp::SmtpTransport;

/// The sender address when `--mail-from` is not given.
pub const DEFAULT_FROM: &str = "Charter <charter@localhost>";

/// A mail setting that cannot work; the message never contains the SMTP password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MailConfigError(pub String);

/// How Charter sends mail, as the flags say.
#[derive(Clone)]
pub struct MailSettings {
    /// `smtp://` or `smtps://` with credentials; none keeps mail in the outbox.
    pub smtp_url: Option<String>,
    /// A PEM certificate to trust besides the public roots (a private mail server's CA).
    pub smtp_ca_file: Option<PathBuf>,
    /// The sender, `Name <address>` or a bare address.
    pub from: String,
}

impl Default for MailSettings {
    /// No SMTP server, the default sender.
    fn default() -> Self {
        Self {
            smtp_url: None,
            smtp_ca_file: None,
            from: DEFAULT_FROM.to_owned(),
        }
    }
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = self
            .smtp_url
            .as_deref()
            .map(|url| match smtp::endpoint(url) {
                Ok(endpoint) => endpoint.to_string(),
                Err(_) => "(invalid)".to_owned(),
            });
        f.debug_struct("MailSettings")
            .field("smtp_url", &url)
            .field("smtp_ca_file", &self.smtp_ca_file)
            .field("from", &self.from)
            .finish()
    }
}

/// Where messages go.
#[derive(Debug, Clone)]
pub enum Transport {
    Smtp(SmtpTransport),
    /// No SMTP server is configured: messages are held in the outbox, never dropped.
    None,
}

/// The sender and the transport every outgoing message uses.
#[derive(Debug, Clone)]
pub struct Mailer {
    pub from: Mailbox,
    pub transport: Transport,
}

impl Mailer {
    /// The mailer the settings describe; a bad URL, an unreadable CA file or a bad sender is a
    /// configuration error. Needs a tokio runtime (the SMTP connection pool runs on it).
    pub fn from_settings(settings: &MailSettings) -> Result<Self, MailConfigError> {
        let from = settings.from.parse::<Mailbox>().map_err(|e| {
            MailConfigError(format!("invalid --mail-from {:?}: {e}", settings.from))
        })?;
        let transport = match &settings.smtp_url {
            None => {
                if settings.smtp_ca_file.is_some() {
                    return Err(MailConfigError(
                        "--smtp-ca-file is given without --smtp-url".into(),
                    ));
                }
                Transport::None
            }
            Some(url) => {
                let ca = match &settings.smtp_ca_file {
                    Some(path) => Some(std::fs::read(path).map_err(|e| {
                        MailConfigError(format!(
                            "cannot read --smtp-ca-file {}: {e}",
                            path.display()
                        ))
                    })?),
                    None => None,
                };
                Transport::Smtp(SmtpTransport::new(url, ca.as_deref())?)
            }
        };
        Ok(Self { from, transport })
    }

    /// Where mail goes, for the start-up line: never the credentials.
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(smtp) => format!("mail goes to {}", smtp.endpoint()),
            Transport::None => {
                "no SMTP server configured (--smtp-url): mail is held in the outbox".to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: Option<&str>, from: &str) -> MailSettings {
        MailSettings {
            smtp_url: url.map(str::to_owned),
            smtp_ca_file: None,
            from: from.into(),
        }
    }

    #[test]
    fn without_a_url_mail_is_held() {
        let mailer = Mailer::from_settings(&settings(None, DEFAULT_FROM)).expect("valid");
        assert!(matches!(mailer.transport, Transport::None));
        assert_eq!(mailer.from.email.to_string(), "charter@localhost");
        assert!(mailer.describe().contains("held in the outbox"));
    }

    #[test]
    fn a_bad_sender_or_a_missing_ca_file_is_a_configuration_error() {
        let bad_from =
            Mailer::from_settings(&settings(None, "not an address")).expect_err("refused");
        assert!(bad_from.0.contains("--mail-from"), "{}", bad_from.0);
        let mut missing = settings(Some("smtps://u:s3cret@mail.example.com"), DEFAULT_FROM);
        missing.smtp_ca_file = Some("/nonexistent/ca.pem".into());
        let error = Mailer::from_settings(&missing).expect_err("refused");
        assert!(
            error.0.contains("cannot read --smtp-ca-file"),
            "{}",
            error.0
        );
        assert!(!format!("{missing:?}").contains("s3cret"));
    }
}
