//! `GumroadClient`: configuration shared by every resource object.

use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use super::errors::to_js;
use super::options::{Bag, MAX_RETRIES_LIMIT, MAX_TIMEOUT_MS};
use super::resources::{
    CustomFieldsResource, LicensesResource, MatonResource, OfferCodesResource, ProductsResource,
    ResourceSubscriptionsResource, SalesResource, SubscribersResource, UserResource,
    VariantCategoriesResource, VariantsResource,
};
use crate::core::config::ClientConfig;
use crate::core::error::{Error, Secrets};
use crate::core::retry::{DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS};

pub struct Inner {
    pub config: ClientConfig,
    pub secrets: Secrets,
    pub timeout_ms: u32,
    pub max_retries: u32,
    pub fetch: Option<Function>,
    /// The longest `Retry-After` worth waiting for before retrying (longer: fail now).
    pub max_retry_wait_secs: u32,
}

/// Options both constructors accept besides credentials.
const COMMON: [&str; 5] = [
    "baseUrl",
    "timeoutMs",
    "maxRetries",
    "fetch",
    "allowInsecureHttp",
];

/// A Gumroad API client. Create one per credential and reuse it; it holds no connection state.
#[wasm_bindgen]
pub struct GumroadClient {
    inner: Rc<Inner>,
}

fn build(bag: &Bag, config: ClientConfig) -> Result<GumroadClient, Error> {
    let secrets = config.secrets();
    Ok(GumroadClient {
        inner: Rc::new(Inner {
            config,
            secrets,
            timeout_ms: bag
                .uint("timeoutMs", MAX_TIMEOUT_MS)?
                .unwrap_or(DEFAULT_TIMEOUT_MS),
            max_retries: bag
                .uint("maxRetries", MAX_RETRIES_LIMIT)?
                .unwrap_or(DEFAULT_MAX_RETRIES),
            fetch: bag.function("fetch")?,
            max_retry_wait_secs: crate::core::retry::MAX_RETRY_AFTER_SECS,
        }),
    })
}

#[wasm_bindgen]
impl GumroadClient {
    /// A client for `api.gumroad.com` with an OAuth access token (optional: license
    /// verification needs none).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "GumroadClientOptions")] options: JsValue,
    ) -> Result<GumroadClient, JsValue> {
        let direct = || -> Result<GumroadClient, Error> {
            let mut allowed = vec!["accessToken"];
            allowed.extend(COMMON);
            let bag = Bag::new(&options, "client option", &allowed)?;
            let config = ClientConfig::direct(
                bag.string("accessToken")?,
                bag.string("baseUrl")?.as_deref(),
                bag.bool("allowInsecureHttp")?.unwrap_or(false),
            )?;
            build(&bag, config)
        };
        direct().map_err(|e| to_js(&e, None))
    }

    /// A client that goes through the Maton gateway with a Maton API key. Keep the key on a
    /// server: it grants access to every connected account.
    pub fn maton(
        #[wasm_bindgen(unchecked_param_type = "MatonClientOptions")] options: JsValue,
    ) -> Result<GumroadClient, JsValue> {
        let maton = || -> Result<GumroadClient, Error> {
            let mut allowed = vec!["apiKey", "connectionId", "ctrlBaseUrl"];
            allowed.extend(COMMON);
            let bag = Bag::new(&options, "client option", &allowed)?;
            let key = bag
                .string("apiKey")?
                .ok_or_else(|| Error::invalid_argument("apiKey is required"))?;
            let config = ClientConfig::maton_with_ctrl(
                key,
                bag.string("connectionId")?,
                bag.string("baseUrl")?.as_deref(),
                bag.string("ctrlBaseUrl")?.as_deref(),
                bag.bool("allowInsecureHttp")?.unwrap_or(false),
            )?;
            build(&bag, config)
        };
        maton().map_err(|e| to_js(&e, None))
    }

    /// The API root requests go to (never contains a credential).
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.config.base.as_str().to_string()
    }

    #[wasm_bindgen(getter)]
    pub fn user(&self) -> UserResource {
        UserResource::new(self.inner.clone())
    }

    #[wasm_bindgen(getter)]
    pub fn licenses(&self) -> LicensesResource {
        LicensesResource::new(self.inner.clone())
    }

    #[wasm_bindgen(getter)]
    pub fn products(&self) -> ProductsResource {
        ProductsResource::new(self.inner.clone())
    }

    #[wasm_bindgen(getter, js_name = offerCodes)]
    pub fn offer_codes(&self) -> OfferCodesResource {
        OfferCodesResource::new(self.inner.clone())
    }

    #[wasm_bindgen(getter, js_name = variantCategories)]
    pub fn variant_categories(&self) -> VariantCategoriesResource {
        VariantCategoriesResource::new(self.inner.clone())
    }

    #[wasm_bindgen(getter)]
    pub fn variants(&self) -> VariantsResource {
        VariantsResource::new(self.inner.clone())
    }

    #[wasm_bindgen(getter, js_name = customFields)]
    pub fn custom_fields(&self) -> CustomFieldsResource {
        CustomFieldsResource::new(self.inner.clone())
    }

    #[wasm_bindgen(getter)]
    pub fn sales(&self) -> SalesResource {
        SalesResource::new(self.inner.clone())
    }

    #[wasm_bindgen(getter)]
    pub fn subscribers(&self) -> SubscribersResource {
        SubscribersResource::new(self.inner.clone())
    }

    #[wasm_bindgen(getter, js_name = resourceSubscriptions)]
    pub fn resource_subscriptions(&self) -> ResourceSubscriptionsResource {
        ResourceSubscriptionsResource::new(self.inner.clone())
    }

    /// Maton connection management; only on clients made with `GumroadClient.maton()`
    /// (`undefined` otherwise).
    #[wasm_bindgen(getter = maton)]
    pub fn maton_resource(&self) -> Option<MatonResource> {
        self.inner
            .config
            .is_maton()
            .then(|| MatonResource::new(self.inner.clone()))
    }

    /// `parsePing` as a static method.
    #[wasm_bindgen(js_name = parsePing, unchecked_return_type = "PingEvent")]
    pub fn parse_ping_static(
        #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
        content_type: Option<String>,
    ) -> Result<JsValue, JsValue> {
        super::ping::parse_ping(body, content_type)
    }
}
