//! An [`ActivityCache`] in memory, bounded in bytes: for the sandbox (whose sample data must
//! never reach the person's on-disk cache, and is rebuilt at every start anyway) and for tests.
//!
//! Entries are held in the [`crate::analysis::cache_codec`] byte form, so the cap
//! counts what the disk and IndexedDB stores would hold and every hit goes through the same
//! decoder as theirs.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{ActivityCache, ActivityData, CacheKey};
use crate::analysis::cache_codec;
use crate::http::BoxFuture;

/// The default cap of [`MemoryCache::default`]: 64 MiB, about 200 four-hour rides.
pub const DEFAULT_MEMORY_CAP_BYTES: u64 = 64 << 20;

/// A byte-capped, least-recently-used store of encoded [`ActivityData`].
#[derive(Debug)]
pub struct MemoryCache {
    cap_bytes: u64,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Entry name → (encoded bytes, last use).
    entries: HashMap<String, (Vec<u8>, u64)>,
    bytes: u64,
    /// A use counter: larger is more recent.
    tick: u64,
}

impl Default for MemoryCache {
    fn default() -> Self {
        Self::new(DEFAULT_MEMORY_CAP_BYTES)
    }
}

impl MemoryCache {
    /// An empty cache holding at most `cap_bytes` of encoded entries.
    pub fn new(cap_bytes: u64) -> Self {
        Self {
            cap_bytes,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// How many entries and bytes it holds.
    pub fn usage(&self) -> (usize, u64) {
        match self.inner.lock() {
            Ok(g) => (g.entries.len(), g.bytes),
            Err(_) => (0, 0),
        }
    }

    /// Stores already-encoded bytes under `name`, evicting the least recently used entries
    /// until the total fits. An entry larger than the whole cap is not stored.
    fn store(&self, name: String, bytes: Vec<u8>) {
        let size = bytes.len() as u64;
        if size > self.cap_bytes {
            return;
        }
        let Ok(mut g) = self.inner.lock() else {
            return;
        };
        g.tick += 1;
        let tick = g.tick;
        if let Some((old, _)) = g.entries.insert(name, (bytes, tick)) {
            g.bytes -= old.len() as u64;
        }
        g.bytes += size;
        while g.bytes > self.cap_bytes {
            let Some(oldest) = g
                .entries
                .iter()
                .min_by_key(|(_, (_, t))| *t)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some((gone, _)) = g.entries.remove(&oldest) {
                g.bytes -= gone.len() as u64;
            }
        }
    }
}

impl ActivityCache for MemoryCache {
    fn get<'a>(&'a self, key: &'a CacheKey) -> BoxFuture<'a, Option<ActivityData>> {
        Box::pin(async move {
            let name = key.storage_name()?;
            let mut g = self.inner.lock().ok()?;
            g.tick += 1;
            let tick = g.tick;
            let (bytes, used) = g.entries.get_mut(&name)?;
            *used = tick;
            let decoded = cache_codec::decode(bytes);
            if decoded.is_none() {
                // Unreadable (cannot happen for bytes we encoded, but a store never trusts its
                // entries): dropped, so it is refetched and rewritten.
                if let Some((gone, _)) = g.entries.remove(&name) {
                    g.bytes -= gone.len() as u64;
                }
            }
            decoded
        })
    }

    fn put<'a>(&'a self, data: &'a ActivityData) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if let (Some(name), Some(bytes)) = (data.key.storage_name(), cache_codec::encode(data))
            {
                self.store(name, bytes);
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Streams;
    use crate::analysis::source::{DeviceSummary, Origin, SourcePlatform};

    fn data(activity: &str, n: usize) -> ActivityData {
        ActivityData {
            key: CacheKey {
                platform: SourcePlatform::TrainingPeaks,
                athlete: "1".into(),
                activity: activity.into(),
                file_id: Some("9".into()),
            },
            origin: Origin::DeviceFile,
            file_name: None,
            start: None,
            streams: Streams {
                sample_rate_s: 1.0,
                // Varied so that gzip cannot make every entry the same tiny size.
                power_w: (0..n)
                    .map(|i| Some(((i * 7919) % 1000) as f64 + activity.len() as f64))
                    .collect(),
                ..Streams::default()
            },
            segments: Vec::new(),
            summary: DeviceSummary::default(),
            notes: Vec::new(),
            curves: None,
        }
    }

    /// A minimal executor: the cache's futures never wait.
    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        use std::task::{Context, Poll, Waker};
        let mut f = std::pin::pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    #[test]
    fn a_put_is_got_back_and_the_least_recently_used_goes_first() {
        let one = data("a", 2000);
        let size = cache_codec::encode(&one).map_or(0, |b| b.len() as u64);
        assert!(size > 0);
        // Room for two entries, not three.
        let cache = MemoryCache::new(size * 5 / 2);
        block_on(cache.put(&one));
        block_on(cache.put(&data("b", 2000)));
        assert_eq!(block_on(cache.get(&one.key)), Some(one.clone()));
        // "a" was just used, so "b" is evicted when "c" arrives.
        block_on(cache.put(&data("c", 2000)));
        assert_eq!(cache.usage().0, 2);
        assert!(block_on(cache.get(&one.key)).is_some());
        assert!(block_on(cache.get(&data("b", 1).key)).is_none());
        assert!(block_on(cache.get(&data("c", 1).key)).is_some());
        assert!(cache.usage().1 <= size * 5 / 2);
    }

    #[test]
    fn an_entry_without_curves_gets_them_on_its_first_read_and_is_rewritten() {
        let cache = MemoryCache::default();
        // Stored without curves, as every entry written before they were cached was.
        let d = data("a", 3000);
        block_on(cache.put(&d));
        assert_eq!(block_on(cache.get(&d.key)).expect("hit").curves, None);
        let hit = block_on(super::super::cached(Some(&cache), &d.key)).expect("hit");
        let mut fresh = d.clone();
        assert!(fresh.derive_curves());
        assert_eq!(hit, fresh);
        // Written back: the next read finds them without computing.
        let again = block_on(cache.get(&d.key)).expect("hit");
        assert!(again.curves.is_some());
        assert_eq!(again.curves, fresh.curves);
    }

    #[test]
    fn an_entry_larger_than_the_cap_is_not_kept() {
        let cache = MemoryCache::new(100);
        let d = data("a", 5000);
        block_on(cache.put(&d));
        assert_eq!(cache.usage(), (0, 0));
        assert_eq!(block_on(cache.get(&d.key)), None);
    }
}
