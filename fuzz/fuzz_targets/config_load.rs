//! The config loader: YAML text, then after a line `#ENV` the environment as `NAME=value` lines
//! (used both for `${VAR}` and for `META_ADS_SYNC__…` overrides). No panic, and no error message
//! quotes an access token given by the environment.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meta_ads_sync::config::from_yaml;

const TOKEN_VAR: &str = "META_ADS_SYNC__META__ACCESS_TOKEN";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (yaml, env_text) = text.split_once("\n#ENV\n").unwrap_or((&text, ""));
    let env: Vec<(String, String)> = env_text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let lookup = |k: &str| env.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let Err(e) = from_yaml(yaml, lookup, env.clone()) else { return };
    let message = e.to_string();
    // A token long and distinct enough that finding it in a message means the message leaks it.
    let token = env.iter().rev().find(|(n, _)| n == TOKEN_VAR).map(|(_, v)| v.trim().to_string());
    if let Some(token) = token
        && token.len() >= 16
        && token.chars().all(|c| c.is_ascii_alphanumeric())
        && !yaml.contains(&token)
        && env.iter().filter(|(_, v)| v.contains(&token)).count() == 1
    {
        assert!(!message.contains(&token), "the error quotes the access token: {message}");
    }
});
