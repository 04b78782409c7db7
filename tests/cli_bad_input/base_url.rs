//! A plainly wrong `meta.base_url` ends `sync` with exit 2 (configuration), not 1, and one
//! line naming the URL and the setting to fix.

use crate::support::*;

#[test]
fn a_dead_base_url_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = dead_base_url();
    let env = vars(&[
        ("META_ACCESS_TOKEN", "EAAB-secret-token"),
        ("META_ADS_SYNC__META__BASE_URL", &url),
        ("META_ADS_SYNC__WAREHOUSE__URL", "sqlite://w.db"),
    ]);
    for args in [&["sync"][..], &["sync", "--account", "act_123"][..]] {
        let out = run(dir.path(), args, &env);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {t}");
        let errors: Vec<&str> = t.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{args:?}: one line: {t}");
        let line = errors[0];
        assert!(line.contains(&format!("cannot use the Graph API at {url}")), "{line}");
        assert!(line.contains("connection refused") && line.contains("check meta.base_url"), "{line}");
        assert!(!t.contains("FAILED") && !t.contains("EAAB-secret-token"), "{args:?}: {t}");
    }
}
