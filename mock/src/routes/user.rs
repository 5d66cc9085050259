use super::ApiRequest;
use crate::http::Resp;
use crate::render;
use crate::state::State;

/// `GET /user`: read scopes (`require(&[])`); private fields depend on scope.
pub fn retrieve(state: &mut State, req: &ApiRequest) -> Result<Resp, Resp> {
    let caller = req.require(&[])?;
    let seller = state
        .seller(&caller.seller_id)
        .ok_or_else(Resp::unauthorized)?;
    let mut user = render::user(seller, &caller.scopes);
    let links: Vec<String> = state
        .data
        .products
        .iter()
        .filter(|p| p.seller_id == seller.user_id && p.published && !p.deleted)
        .map(|p| {
            p.custom_permalink
                .clone()
                .unwrap_or_else(|| p.unique_permalink.clone())
        })
        .collect();
    if let Some(obj) = user.as_object_mut() {
        obj.insert("links".into(), serde_json::json!(links));
    }
    Ok(Resp::success("user", user))
}
