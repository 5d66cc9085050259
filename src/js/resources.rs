//! Resource objects (`client.products`, `client.sales`, ...). Each method returns a Promise from
//! a synchronous wrapper, so no `&self` borrow is held across an await and concurrent calls on
//! one client are fine. Endpoints are rows of `core::endpoints::spec`; these wrappers only give
//! them JS names and TypeScript types.

use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::call::{execute, run_call, CallOptions};
use super::client::Inner;
use super::errors::to_js;
use super::options::{call_options, Bag};
use super::pager::Paginator;
use super::params::{id, params};
use crate::core::endpoints::spec::{self as s, Spec, Value};
use crate::core::endpoints::{self, licenses::LicenseParams, Call};
use crate::core::error::{Error, ErrorCode};
use crate::core::license::{self, LicenseFacts, Policy};

/// Runs `call` (or throws the error that prevented building it) as a Promise.
fn spawn(inner: &Rc<Inner>, call: Result<Call, Error>, opts: &JsValue) -> Promise {
    let inner = inner.clone();
    let opts = call_options(opts);
    future_to_promise(async move {
        let opts = opts.map_err(|e| to_js(&e, None))?;
        let call = call.map_err(|e| to_js(&e, None))?;
        execute(&inner, &call, &opts).await
    })
}

/// Builds `spec` from id arguments (value, name) and a params object, then runs it.
fn run(
    inner: &Rc<Inner>,
    spec: &'static Spec,
    ids: &[(&JsValue, &str)],
    params_value: &JsValue,
    opts: &JsValue,
) -> Promise {
    let call = prepare(inner, spec, ids, params_value, &[]);
    spawn(inner, call, opts)
}

fn prepare(
    inner: &Rc<Inner>,
    spec: &'static Spec,
    ids: &[(&JsValue, &str)],
    params_value: &JsValue,
    extra: &[(String, Value)],
) -> Result<Call, Error> {
    let ids = ids
        .iter()
        .map(|(v, n)| id(v, n))
        .collect::<Result<Vec<_>, _>>()?;
    let mut p = params(params_value, &format!("{} params", spec.name))?;
    p.extend(extra.iter().cloned());
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    s::build(&inner.config, spec, &refs, &p)
}

/// Ids, params and options of a paginator, validated.
type PagerParts = (Vec<String>, Vec<(String, Value)>, CallOptions);

/// A paginator over `spec` (a page endpoint), keeping the caller's filters.
fn pager(
    inner: &Rc<Inner>,
    spec: &'static Spec,
    ids: &[(&JsValue, &str)],
    params_value: &JsValue,
    extra: &[(String, Value)],
    opts: &JsValue,
    items_key: &'static str,
) -> Result<JsValue, JsValue> {
    let check = || -> Result<PagerParts, Error> {
        let ids = ids
            .iter()
            .map(|(v, n)| id(v, n))
            .collect::<Result<Vec<_>, _>>()?;
        let mut p = params(params_value, &format!("{} params", spec.name))?;
        if p.iter().any(|(k, _)| k == "page_key" || k == "page") {
            return Err(Error::invalid_argument(
                "iterate() follows page_key itself; pass filters only",
            ));
        }
        p.extend(extra.iter().cloned());
        // Validate once up front, so a typo fails at the call, not at the first `next()`.
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        s::build(&inner.config, spec, &refs, &p)?;
        Ok((ids, p, call_options(opts)?))
    };
    let (ids, p, o) = check().map_err(|e| to_js(&e, None))?;
    Ok(Paginator::create(inner.clone(), spec, ids, p, o, items_key))
}

macro_rules! resource {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[wasm_bindgen]
        pub struct $name {
            inner: Rc<Inner>,
        }

        impl $name {
            pub fn new(inner: Rc<Inner>) -> Self {
                $name { inner }
            }
        }
    };
}

resource!(
    /// `client.user`
    UserResource
);

#[wasm_bindgen]
impl UserResource {
    /// `GET /user`: the account the token belongs to.
    #[wasm_bindgen(unchecked_return_type = "Promise<User>")]
    pub fn retrieve(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::USER_RETRIEVE,
            &[],
            &JsValue::UNDEFINED,
            &options,
        )
    }
}

resource!(
    /// `client.products`
    ProductsResource
);

#[wasm_bindgen]
impl ProductsResource {
    /// `GET /products`: one page (`{ products, next_page_key? }`).
    #[wasm_bindgen(unchecked_return_type = "Promise<ProductsPage>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ProductListParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(&self.inner, &s::PRODUCTS_LIST, &[], &params, &options)
    }

    /// Every product, following `page_key` (`for await (const p of client.products.iterate())`).
    #[wasm_bindgen(unchecked_return_type = "PageIterator<Product>")]
    pub fn iterate(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, never>")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        pager(
            &self.inner,
            &s::PRODUCTS_LIST,
            &[],
            &params,
            &[],
            &options,
            "products",
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Product>")]
    pub fn retrieve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::PRODUCTS_RETRIEVE,
            &[(&product_id, "productId")],
            &JsValue::UNDEFINED,
            &options,
        )
    }

    /// `POST /products` (2026): creates a draft; publish it with `enable`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Product>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ProductCreateParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(&self.inner, &s::PRODUCTS_CREATE, &[], &params, &options)
    }

    /// `PUT /products/:id` (2026): partial update.
    #[wasm_bindgen(unchecked_return_type = "Promise<Product>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ProductUpdateParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::PRODUCTS_UPDATE,
            &[(&product_id, "productId")],
            &params,
            &options,
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<DeleteResult>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::PRODUCTS_DELETE,
            &[(&product_id, "productId")],
            &JsValue::UNDEFINED,
            &options,
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Product>")]
    pub fn enable(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::PRODUCTS_ENABLE,
            &[(&product_id, "productId")],
            &JsValue::UNDEFINED,
            &options,
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Product>")]
    pub fn disable(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::PRODUCTS_DISABLE,
            &[(&product_id, "productId")],
            &JsValue::UNDEFINED,
            &options,
        )
    }
}

/// CRUD of a collection nested under a product (offer codes, variant categories).
macro_rules! nested_crud {
    ($name:ident, $list:ident, $get:ident, $create:ident, $update:ident, $delete:ident,
     $item:literal, $list_ty:literal, $create_ty:literal, $update_ty:literal, $id_name:literal) => {
        #[wasm_bindgen]
        impl $name {
            #[wasm_bindgen(unchecked_return_type = $list_ty)]
            pub fn list(
                &self,
                #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
                #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
            ) -> Promise {
                run(
                    &self.inner,
                    &s::$list,
                    &[(&product_id, "productId")],
                    &JsValue::UNDEFINED,
                    &options,
                )
            }

            #[wasm_bindgen(unchecked_return_type = $item)]
            pub fn retrieve(
                &self,
                #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
                #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
                #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
            ) -> Promise {
                run(
                    &self.inner,
                    &s::$get,
                    &[(&product_id, "productId"), (&id, $id_name)],
                    &JsValue::UNDEFINED,
                    &options,
                )
            }

            #[wasm_bindgen(unchecked_return_type = $item)]
            pub fn create(
                &self,
                #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
                #[wasm_bindgen(unchecked_param_type = $create_ty)] params: JsValue,
                #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
            ) -> Promise {
                run(
                    &self.inner,
                    &s::$create,
                    &[(&product_id, "productId")],
                    &params,
                    &options,
                )
            }

            #[wasm_bindgen(unchecked_return_type = $item)]
            pub fn update(
                &self,
                #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
                #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
                #[wasm_bindgen(unchecked_param_type = $update_ty)] params: JsValue,
                #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
            ) -> Promise {
                run(
                    &self.inner,
                    &s::$update,
                    &[(&product_id, "productId"), (&id, $id_name)],
                    &params,
                    &options,
                )
            }

            #[wasm_bindgen(unchecked_return_type = "Promise<DeleteResult>")]
            pub fn delete(
                &self,
                #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
                #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
                #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
            ) -> Promise {
                run(
                    &self.inner,
                    &s::$delete,
                    &[(&product_id, "productId"), (&id, $id_name)],
                    &JsValue::UNDEFINED,
                    &options,
                )
            }
        }
    };
}

resource!(
    /// `client.offerCodes`: a product's offer codes (the list includes universal codes).
    OfferCodesResource
);
nested_crud!(
    OfferCodesResource,
    OFFER_CODES_LIST,
    OFFER_CODES_RETRIEVE,
    OFFER_CODES_CREATE,
    OFFER_CODES_UPDATE,
    OFFER_CODES_DELETE,
    "Promise<OfferCode>",
    "Promise<OfferCode[]>",
    "OfferCodeCreateParams",
    "OfferCodeUpdateParams",
    "offerCodeId"
);

resource!(
    /// `client.variantCategories`
    VariantCategoriesResource
);
nested_crud!(
    VariantCategoriesResource,
    VARIANT_CATEGORIES_LIST,
    VARIANT_CATEGORIES_RETRIEVE,
    VARIANT_CATEGORIES_CREATE,
    VARIANT_CATEGORIES_UPDATE,
    VARIANT_CATEGORIES_DELETE,
    "Promise<VariantCategory>",
    "Promise<VariantCategory[]>",
    "VariantCategoryParams",
    "Partial<VariantCategoryParams>",
    "variantCategoryId"
);

resource!(
    /// `client.variants`: the variants of a variant category.
    VariantsResource
);

#[wasm_bindgen]
impl VariantsResource {
    #[wasm_bindgen(unchecked_return_type = "Promise<Variant[]>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] category_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::VARIANTS_LIST,
            &[
                (&product_id, "productId"),
                (&category_id, "variantCategoryId"),
            ],
            &JsValue::UNDEFINED,
            &options,
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Variant>")]
    pub fn retrieve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] category_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] variant_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::VARIANTS_RETRIEVE,
            &[
                (&product_id, "productId"),
                (&category_id, "variantCategoryId"),
                (&variant_id, "variantId"),
            ],
            &JsValue::UNDEFINED,
            &options,
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Variant>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] category_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "VariantCreateParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::VARIANTS_CREATE,
            &[
                (&product_id, "productId"),
                (&category_id, "variantCategoryId"),
            ],
            &params,
            &options,
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Variant>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] category_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] variant_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Partial<VariantCreateParams>")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::VARIANTS_UPDATE,
            &[
                (&product_id, "productId"),
                (&category_id, "variantCategoryId"),
                (&variant_id, "variantId"),
            ],
            &params,
            &options,
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<DeleteResult>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] category_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] variant_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::VARIANTS_DELETE,
            &[
                (&product_id, "productId"),
                (&category_id, "variantCategoryId"),
                (&variant_id, "variantId"),
            ],
            &JsValue::UNDEFINED,
            &options,
        )
    }
}

resource!(
    /// `client.customFields`: looked up by name.
    CustomFieldsResource
);

#[wasm_bindgen]
impl CustomFieldsResource {
    #[wasm_bindgen(unchecked_return_type = "Promise<CustomField[]>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::CUSTOM_FIELDS_LIST,
            &[(&product_id, "productId")],
            &JsValue::UNDEFINED,
            &options,
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<CustomField>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CustomFieldCreateParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::CUSTOM_FIELDS_CREATE,
            &[(&product_id, "productId")],
            &params,
            &options,
        )
    }

    /// Only `required` can change.
    #[wasm_bindgen(unchecked_return_type = "Promise<CustomField>")]
    pub fn update(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CustomFieldUpdateParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::CUSTOM_FIELDS_UPDATE,
            &[(&product_id, "productId"), (&name, "name")],
            &params,
            &options,
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<DeleteResult>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::CUSTOM_FIELDS_DELETE,
            &[(&product_id, "productId"), (&name, "name")],
            &JsValue::UNDEFINED,
            &options,
        )
    }
}

resource!(
    /// `client.sales`
    SalesResource
);

#[wasm_bindgen]
impl SalesResource {
    /// `GET /sales`: one page of 10 (`{ sales, next_page_key? }`).
    #[wasm_bindgen(unchecked_return_type = "Promise<SalesPage>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SalesListParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(&self.inner, &s::SALES_LIST, &[], &params, &options)
    }

    /// Every sale matching the filters, following `page_key`.
    #[wasm_bindgen(unchecked_return_type = "PageIterator<Sale>")]
    pub fn iterate(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "SalesFilter")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        pager(
            &self.inner,
            &s::SALES_LIST,
            &[],
            &params,
            &[],
            &options,
            "sales",
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Sale>")]
    pub fn retrieve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] sale_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::SALES_RETRIEVE,
            &[(&sale_id, "saleId")],
            &JsValue::UNDEFINED,
            &options,
        )
    }

    #[wasm_bindgen(js_name = markAsShipped, unchecked_return_type = "Promise<Sale>")]
    pub fn mark_as_shipped(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] sale_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "MarkAsShippedParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::SALES_MARK_AS_SHIPPED,
            &[(&sale_id, "saleId")],
            &params,
            &options,
        )
    }

    /// Full refund, or partial with `amount_cents`. Never retried automatically.
    #[wasm_bindgen(unchecked_return_type = "Promise<Sale>")]
    pub fn refund(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] sale_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RefundParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::SALES_REFUND,
            &[(&sale_id, "saleId")],
            &params,
            &options,
        )
    }

    #[wasm_bindgen(js_name = resendReceipt, unchecked_return_type = "Promise<void>")]
    pub fn resend_receipt(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] sale_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::SALES_RESEND_RECEIPT,
            &[(&sale_id, "saleId")],
            &JsValue::UNDEFINED,
            &options,
        )
    }
}

resource!(
    /// `client.subscribers`
    SubscribersResource
);

#[wasm_bindgen]
impl SubscribersResource {
    /// Every active subscriber, or one page of 100 with `paginated: true`.
    #[wasm_bindgen(unchecked_return_type = "Promise<SubscribersPage>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SubscribersListParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::SUBSCRIBERS_LIST,
            &[(&product_id, "productId")],
            &params,
            &options,
        )
    }

    /// Every active subscriber, page by page (100 per request).
    #[wasm_bindgen(unchecked_return_type = "PageIterator<Subscriber>")]
    pub fn iterate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] product_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "{ email?: string }")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        pager(
            &self.inner,
            &s::SUBSCRIBERS_LIST,
            &[(&product_id, "productId")],
            &params,
            &[("paginated".to_string(), Value::Bool(true))],
            &options,
            "subscribers",
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Subscriber>")]
    pub fn retrieve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] subscriber_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::SUBSCRIBERS_RETRIEVE,
            &[(&subscriber_id, "subscriberId")],
            &JsValue::UNDEFINED,
            &options,
        )
    }
}

resource!(
    /// `client.resourceSubscriptions`: webhooks.
    ResourceSubscriptionsResource
);

#[wasm_bindgen]
impl ResourceSubscriptionsResource {
    #[wasm_bindgen(unchecked_return_type = "Promise<ResourceSubscription[]>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResourceName")] resource_name: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        let call = id(&resource_name, "resourceName").and_then(|name| {
            s::build(
                &self.inner.config,
                &s::RESOURCE_SUBSCRIPTIONS_LIST,
                &[],
                &[("resource_name".into(), Value::Str(name))],
            )
        });
        spawn(&self.inner, call, &options)
    }

    /// `PUT /resource_subscriptions` (Gumroad creates with PUT).
    #[wasm_bindgen(unchecked_return_type = "Promise<ResourceSubscription>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ResourceSubscriptionCreateParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::RESOURCE_SUBSCRIPTIONS_CREATE,
            &[],
            &params,
            &options,
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<DeleteResult>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id_value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::RESOURCE_SUBSCRIPTIONS_DELETE,
            &[(&id_value, "id")],
            &JsValue::UNDEFINED,
            &options,
        )
    }
}

resource!(
    /// `client.maton.connections` (Maton clients): connection management at `ctrl.maton.ai`.
    ConnectionsResource
);

#[wasm_bindgen]
impl ConnectionsResource {
    #[wasm_bindgen(unchecked_return_type = "Promise<MatonConnection[]>")]
    pub fn list(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "{ app?: string; status?: string }")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(&self.inner, &s::CONNECTIONS_LIST, &[], &params, &options)
    }

    /// Starts a connection (default app `gumroad`); open its `url` to finish the OAuth flow.
    #[wasm_bindgen(unchecked_return_type = "Promise<MatonConnection>")]
    pub fn create(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "{ app?: string }")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        let call = params_or_default_app(&params)
            .and_then(|p| s::build(&self.inner.config, &s::CONNECTIONS_CREATE, &[], &p));
        spawn(&self.inner, call, &options)
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<MatonConnection>")]
    pub fn retrieve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] connection_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::CONNECTIONS_RETRIEVE,
            &[(&connection_id, "connectionId")],
            &JsValue::UNDEFINED,
            &options,
        )
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<Record<string, unknown>>")]
    pub fn delete(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] connection_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        run(
            &self.inner,
            &s::CONNECTIONS_DELETE,
            &[(&connection_id, "connectionId")],
            &JsValue::UNDEFINED,
            &options,
        )
    }
}

fn params_or_default_app(v: &JsValue) -> Result<Vec<(String, Value)>, Error> {
    let mut p = params(v, "maton.connections.create params")?;
    if !p.iter().any(|(k, _)| k == "app") {
        p.push(("app".into(), Value::Str("gumroad".into())));
    }
    Ok(p)
}

resource!(
    /// `client.maton` (Maton clients).
    MatonResource
);

#[wasm_bindgen]
impl MatonResource {
    #[wasm_bindgen(getter)]
    pub fn connections(&self) -> ConnectionsResource {
        ConnectionsResource::new(self.inner.clone())
    }
}

resource!(
    /// `client.licenses`
    LicensesResource
);

fn license_call(
    inner: &Rc<Inner>,
    spec: &'static Spec,
    params_value: &JsValue,
    options: &JsValue,
) -> Promise {
    run(inner, spec, &[], params_value, options)
}

#[wasm_bindgen]
impl LicensesResource {
    /// `POST /licenses/verify`. Counts a use unless `increment_uses_count: false`; a counting
    /// verify is never retried automatically.
    #[wasm_bindgen(unchecked_return_type = "Promise<LicenseResponse>")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LicenseVerifyParams")] params_value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        let call = verify_params(&params_value)
            .and_then(|p| endpoints::licenses::verify(&self.inner.config, &p));
        spawn(&self.inner, call, &options)
    }

    /// `PUT /licenses/enable` (token with `edit_products`).
    #[wasm_bindgen(unchecked_return_type = "Promise<LicenseResponse>")]
    pub fn enable(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LicenseParams")] params_value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        license_call(&self.inner, &s::LICENSES_ENABLE, &params_value, &options)
    }

    #[wasm_bindgen(unchecked_return_type = "Promise<LicenseResponse>")]
    pub fn disable(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LicenseParams")] params_value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        license_call(&self.inner, &s::LICENSES_DISABLE, &params_value, &options)
    }

    #[wasm_bindgen(js_name = decrementUsesCount, unchecked_return_type = "Promise<LicenseResponse>")]
    pub fn decrement_uses_count(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LicenseParams")] params_value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        license_call(&self.inner, &s::LICENSES_DECREMENT, &params_value, &options)
    }

    /// `PUT /licenses/rotate` (2026): a new key for the same purchase.
    #[wasm_bindgen(unchecked_return_type = "Promise<LicenseResponse>")]
    pub fn rotate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LicenseParams")] params_value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        license_call(&self.inner, &s::LICENSES_ROTATE, &params_value, &options)
    }

    /// Verifies without counting a use and applies the license policy (refunds, chargebacks,
    /// disputes, subscription state, `maxUses`). Resolves to a verdict for every answer about
    /// the license; rejects only when the license state cannot be known (network, auth, 5xx).
    #[wasm_bindgen(unchecked_return_type = "Promise<LicenseVerdict>")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LicenseCheckParams")] params_value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let prepared = check_params(&params_value)
            .and_then(|(p, max)| Ok((endpoints::licenses::verify(&inner.config, &p)?, max)));
        let opts = call_options(&options);
        future_to_promise(async move {
            let opts: CallOptions = opts.map_err(|e| to_js(&e, None))?;
            let (call, max_uses) = prepared.map_err(|e| to_js(&e, None))?;
            let policy = Policy {
                max_uses,
                now_unix: (js_sys::Date::now() / 1000.0) as i64,
            };
            match run_call(&inner, &call, &opts).await {
                Ok(value) => {
                    let facts: LicenseFacts = serde_wasm_bindgen::from_value(value.clone())
                        .map_err(|e| {
                            to_js(
                                &Error::new(ErrorCode::Decode, format!("license answer: {e}")),
                                Some(call.request.describe()),
                            )
                        })?;
                    let v = license::judge(&facts, &policy);
                    let out = verdict_object(v.valid, v.reason.as_str(), v.uses);
                    for k in ["purchase", "imported_customer"] {
                        let x = Reflect::get(&value, &k.into()).unwrap_or(JsValue::UNDEFINED);
                        if !x.is_undefined() {
                            let _ = Reflect::set(&out, &k.into(), &x);
                        }
                    }
                    Ok(out.into())
                }
                // An answer about the license is a verdict; anything else leaves the state
                // unknown and is thrown.
                Err(e) => match license::judge_error(&e) {
                    Some(r) => Ok(verdict_object(false, r.as_str(), 0).into()),
                    None => Err(to_js(&e, Some(call.request.describe()))),
                },
            }
        })
    }
}

fn verify_params(value: &JsValue) -> Result<LicenseParams, Error> {
    let bag = Bag::new(
        value,
        "license verify param",
        &[
            "product_id",
            "product_permalink",
            "license_key",
            "increment_uses_count",
        ],
    )?;
    Ok(LicenseParams {
        product_id: bag.string("product_id")?,
        product_permalink: bag.string("product_permalink")?,
        license_key: bag
            .string("license_key")?
            .ok_or_else(|| Error::invalid_argument("license_key is required"))?,
        increment_uses_count: bag.bool("increment_uses_count")?,
    })
}

fn verdict_object(valid: bool, reason: &str, uses: u64) -> Object {
    let out = Object::new();
    let _ = Reflect::set(&out, &"valid".into(), &valid.into());
    let _ = Reflect::set(&out, &"reason".into(), &reason.into());
    let _ = Reflect::set(&out, &"uses".into(), &(uses as f64).into());
    out
}

fn check_params(value: &JsValue) -> Result<(LicenseParams, Option<u64>), Error> {
    let bag = Bag::new(
        value,
        "license check param",
        &["product_id", "product_permalink", "license_key", "maxUses"],
    )?;
    let license_key = bag
        .string("license_key")?
        .ok_or_else(|| Error::invalid_argument("license_key is required"))?;
    let p = LicenseParams {
        product_id: bag.string("product_id")?,
        product_permalink: bag.string("product_permalink")?,
        license_key,
        increment_uses_count: Some(false),
    };
    Ok((p, bag.uint("maxUses", u32::MAX)?.map(u64::from)))
}
