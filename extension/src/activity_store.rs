//! The extension's [`ActivityCache`]: completed activities' data kept in IndexedDB by
//! `extension/js/activity-cache.js`, so a second analysis of the same activity (a season curve
//! over the same rides) does not download its device file or streams again.
//!
//! The store is background.js's: an object with `get(name)` resolving to a `Uint8Array` or
//! `null`, and `put(name, bytes)`, handed over once per module start through
//! [`set_activity_store`]. Names are [`CacheKey::storage_name`], bytes the
//! [`cache_codec`] form; the JS side caps the total size. Every failure (no store, a rejected
//! promise, a damaged entry) is a miss: the call fetches as if there were no cache.

use std::cell::RefCell;
use std::sync::Arc;

use paceline_core::analysis::cache_codec;
use paceline_core::analysis::source::{ActivityCache, ActivityData, CacheKey};
use paceline_core::http::BoxFuture;
use paceline_core::tools::ToolContext;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The JS store (see the module docs).
    #[derive(Clone, Debug)]
    pub type ActivityStore;

    #[wasm_bindgen(method, catch, js_name = get)]
    fn get_entry(this: &ActivityStore, name: &str) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(method, catch, js_name = put)]
    fn put_entry(
        this: &ActivityStore,
        name: &str,
        bytes: &js_sys::Uint8Array,
    ) -> Result<js_sys::Promise, JsValue>;
}

thread_local! {
    static STORE: RefCell<Option<ActivityStore>> = const { RefCell::new(None) };
}

/// Sets (or, with `null`, removes) the store the analysis tools cache activities in.
/// background.js calls it after every start of the module.
#[wasm_bindgen(js_name = setActivityStore)]
pub fn set_activity_store(store: Option<ActivityStore>) {
    STORE.with(|s| *s.borrow_mut() = store);
}

/// `ctx` with the activity cache, when background.js has given a store.
// The wasm module is single-threaded: core's `Arc`s need no `Send`/`Sync` here.
#[allow(clippy::arc_with_non_send_sync)]
pub(crate) fn with_cache(ctx: ToolContext) -> ToolContext {
    match STORE.with(|s| s.borrow().clone()) {
        Some(store) => ctx.with_activity_cache(Arc::new(JsCache(store))),
        None => ctx,
    }
}

#[derive(Debug)]
struct JsCache(ActivityStore);

impl ActivityCache for JsCache {
    fn get<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, Option<ActivityData>> {
        Box::pin(async move {
            let name = key.storage_name()?;
            let value = JsFuture::from(self.0.get_entry(&name).ok()?).await.ok()?;
            let bytes = value.dyn_into::<js_sys::Uint8Array>().ok()?.to_vec();
            // An entry of another format version or a damaged one is a miss; the put after
            // the refetch replaces it.
            cache_codec::decode(&bytes).filter(|d| &d.key == key)
        })
    }

    fn put<'a>(&'a self, data: &'a ActivityData) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let (Some(name), Some(bytes)) = (data.key.storage_name(), cache_codec::encode(data))
            else {
                return;
            };
            // A copy, not a view into the module's memory, which may move while JS awaits.
            let array = js_sys::Uint8Array::from(bytes.as_slice());
            if let Ok(promise) = self.0.put_entry(&name, &array) {
                // A failed write only means the next call fetches again.
                let _ = JsFuture::from(promise).await;
            }
        })
    }
}
