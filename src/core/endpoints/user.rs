use super::Call;
use crate::core::config::{AuthNeed, ClientConfig};
use crate::core::request::{Form, Method};
use crate::core::response::Unwrap;

/// `GET /user`.
pub fn retrieve(cfg: &ClientConfig) -> Call {
    Call {
        request: cfg.build(Method::Get, "/user", Form::new(), AuthNeed::Required),
        unwrap: Unwrap::Field("user"),
        safe_to_retry: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retrieve_user() {
        let cfg = ClientConfig::direct(Some("t0ken".into()), None, false).unwrap();
        let call = retrieve(&cfg);
        assert_eq!(call.request.url, "https://api.gumroad.com/v2/user");
        assert_eq!(call.request.method, Method::Get);
        assert_eq!(call.request.header("Authorization"), Some("Bearer t0ken"));
        assert_eq!(call.unwrap, Unwrap::Field("user"));
        assert!(call.safe_to_retry);
    }
}
