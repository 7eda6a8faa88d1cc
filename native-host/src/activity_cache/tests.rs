//! The disk store against a temporary directory: modes, names, the cap, damaged entries.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

use super::*;
use paceline_core::analysis::Streams;
use paceline_core::analysis::source::{DeviceSummary, Origin, SourcePlatform};

fn data(activity: &str) -> ActivityData {
    ActivityData {
        key: CacheKey {
            platform: SourcePlatform::TrainingPeaks,
            athlete: "123".into(),
            activity: activity.into(),
            file_id: Some("77".into()),
        },
        origin: Origin::DeviceFile,
        file_name: Some("ride.fit".into()),
        start: Some("2026-11-19T07:30:00Z".into()),
        streams: Streams {
            sample_rate_s: 1.0,
            // Varied, so every entry has about the same, non-trivial size after gzip.
            power_w: (0..3000)
                .map(|i| Some(((i * 7919 + activity.len() * 13) % 1000) as f64))
                .collect(),
            ..Streams::default()
        },
        segments: Vec::new(),
        summary: DeviceSummary::default(),
        notes: Vec::new(),
        curves: None,
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

fn size_of_one() -> u64 {
    cache_codec::encode(&data("a")).unwrap().len() as u64
}

/// The file names in `dir`.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_put_comes_back_and_survives_a_new_process() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("paceline/activities");
    let d = data("1001");
    {
        let cache = DiskCache::open(dir.clone(), DEFAULT_CAP_BYTES).unwrap();
        assert_eq!(block_on(cache.get(&d.key)), None);
        block_on(cache.put(&d));
    }
    let again = DiskCache::open(dir.clone(), DEFAULT_CAP_BYTES).unwrap();
    assert_eq!(block_on(again.get(&d.key)), Some(d));
    assert_eq!(names(&dir), ["tp.123.1001.f77.plc"]);
}

#[cfg(unix)]
#[test]
fn the_directory_is_0700_and_files_0600_and_an_open_directory_is_repaired() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("activities");
    let cache = DiskCache::open(dir.clone(), DEFAULT_CAP_BYTES).unwrap();
    assert_eq!(mode(&dir), 0o700);
    block_on(cache.put(&data("1")));
    let file = dir.join("tp.123.1.f77.plc");
    assert_eq!(mode(&file), 0o600);

    // Opened up by someone: the next start closes it again.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    DiskCache::open(dir.clone(), DEFAULT_CAP_BYTES).unwrap();
    assert_eq!(mode(&dir), 0o700);
}

#[cfg(unix)]
#[test]
fn a_symlinked_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("elsewhere");
    std::fs::create_dir(&real).unwrap();
    let link = tmp.path().join("activities");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let err = DiskCache::open(link, DEFAULT_CAP_BYTES).unwrap_err();
    assert!(format!("{err:#}").contains("not a directory"), "{err:#}");
}

#[test]
fn remote_ids_cannot_leave_the_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a/b/activities");
    let cache = DiskCache::open(dir.clone(), DEFAULT_CAP_BYTES).unwrap();
    let mut hostile = Vec::new();
    for id in ["../../../escape", "..", "/etc/passwd", "a\\..\\b", "x\0y"] {
        let mut d = data(id);
        d.key.athlete = id.into();
        d.key.file_id = Some(id.into());
        block_on(cache.put(&d));
        assert_eq!(block_on(cache.get(&d.key)), Some(d.clone()), "{id:?}");
        hostile.push(d);
    }
    // Every entry is a plain file directly in the directory, and nothing appeared above it.
    assert_eq!(names(&dir).len(), hostile.len());
    for n in names(&dir) {
        assert!(
            n.ends_with(ENTRY_SUFFIX) && !n.contains('/') && !n.contains('\\'),
            "{n}"
        );
        assert!(!n.starts_with('.') && !n.contains(".."), "{n}");
    }
    assert_eq!(names(&tmp.path().join("a/b")), ["activities"]);
    assert_eq!(names(tmp.path()), ["a"]);
}

#[test]
fn the_least_recently_used_entries_go_when_over_the_cap() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("activities");
    let one = size_of_one();
    // Room for two entries and a half.
    let cache = DiskCache::open(dir.clone(), one * 5 / 2).unwrap();
    let (a, b, c) = (data("a"), data("b"), data("c"));
    block_on(cache.put(&a));
    block_on(cache.put(&b));
    // Make the order unambiguous whatever the file system's time resolution: b used last
    // a minute ago, a two minutes ago; then a is read, which makes it the most recent.
    let ago = |s| SystemTime::now() - Duration::from_secs(s);
    let set = |k: &ActivityData, t| {
        std::fs::File::options()
            .write(true)
            .open(cache.path_of(&k.key).unwrap())
            .unwrap()
            .set_modified(t)
            .unwrap()
    };
    set(&a, ago(120));
    set(&b, ago(60));
    assert!(block_on(cache.get(&a.key)).is_some());
    block_on(cache.put(&c));
    assert_eq!(
        block_on(cache.get(&b.key)),
        None,
        "b was the least recently used"
    );
    assert!(block_on(cache.get(&a.key)).is_some());
    assert!(block_on(cache.get(&c.key)).is_some());
    let total: u64 = names(&dir)
        .iter()
        .map(|n| std::fs::metadata(dir.join(n)).unwrap().len())
        .sum();
    assert!(total <= one * 5 / 2, "{total} bytes kept");

    // A cap smaller than one entry keeps nothing, and says nothing either.
    let tiny = DiskCache::open(tmp.path().join("tiny"), 10).unwrap();
    block_on(tiny.put(&a));
    assert!(names(&tiny.dir).is_empty());
}

#[test]
fn damaged_old_and_misplaced_entries_are_misses_and_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("activities");
    let cache = DiskCache::open(dir.clone(), DEFAULT_CAP_BYTES).unwrap();
    let d = data("9");
    let path = cache.path_of(&d.key).unwrap();

    std::fs::write(&path, b"not an entry").unwrap();
    assert_eq!(block_on(cache.get(&d.key)), None);
    assert!(!path.exists(), "a damaged entry is removed");

    let mut old = cache_codec::encode(&d).unwrap();
    // Version 1 (lossy f32 streams) is no longer read; version 2 still is (without curves).
    old[3] = 1;
    std::fs::write(&path, &old).unwrap();
    assert_eq!(block_on(cache.get(&d.key)), None);
    assert!(!path.exists(), "an entry of an older format is removed");

    // Another activity's entry under this name is not taken for this one.
    std::fs::write(&path, cache_codec::encode(&data("10")).unwrap()).unwrap();
    assert_eq!(block_on(cache.get(&d.key)), None);

    // Then the activity is fetched and put again, and found.
    block_on(cache.put(&d));
    assert_eq!(block_on(cache.get(&d.key)), Some(d));
}

#[cfg(unix)]
#[test]
fn an_entry_that_is_a_symlink_is_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("activities");
    let cache = DiskCache::open(dir.clone(), DEFAULT_CAP_BYTES).unwrap();
    let d = data("5");
    let outside = tmp.path().join("outside.plc");
    std::fs::write(&outside, cache_codec::encode(&d).unwrap()).unwrap();
    std::os::unix::fs::symlink(&outside, cache.path_of(&d.key).unwrap()).unwrap();
    assert_eq!(block_on(cache.get(&d.key)), None);
    assert!(outside.exists(), "the target is left alone");
}

#[test]
fn a_write_into_a_vanished_directory_fails_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("activities");
    let cache = DiskCache::open(dir.clone(), DEFAULT_CAP_BYTES).unwrap();
    std::fs::remove_dir(&dir).unwrap();
    let d = data("1");
    // Neither call fails or panics: the tool goes on without the cache.
    block_on(cache.put(&d));
    assert_eq!(block_on(cache.get(&d.key)), None);
    assert!(!dir.exists());
}

#[test]
fn stale_temporary_files_are_cleared_at_open() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("activities");
    DiskCache::open(dir.clone(), DEFAULT_CAP_BYTES).unwrap();
    let stale = dir.join(format!("{TEMP_PREFIX}1-0"));
    let fresh = dir.join(format!("{TEMP_PREFIX}2-0"));
    std::fs::write(&stale, b"half").unwrap();
    std::fs::write(&fresh, b"half").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(SystemTime::now() - STALE_TEMP * 2)
        .unwrap();
    DiskCache::open(dir.clone(), DEFAULT_CAP_BYTES).unwrap();
    assert!(!stale.exists());
    assert!(fresh.exists(), "another process may still be writing it");
}

#[test]
fn the_directory_follows_xdg_then_home() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    };
    if cfg!(windows) {
        let d = default_dir(env(&[("LOCALAPPDATA", "C:\\Users\\a\\AppData\\Local")])).unwrap();
        assert!(d.ends_with("Paceline/cache/activities"), "{}", d.display());
        return;
    }
    assert_eq!(
        default_dir(env(&[("XDG_CACHE_HOME", "/x/cache"), ("HOME", "/h")])).unwrap(),
        PathBuf::from("/x/cache/paceline/activities")
    );
    // A relative XDG value is ignored, as the XDG spec says.
    let home = default_dir(env(&[("XDG_CACHE_HOME", "rel"), ("HOME", "/h")])).unwrap();
    assert!(home.starts_with("/h"), "{}", home.display());
    assert!(default_dir(env(&[])).is_err());
}
