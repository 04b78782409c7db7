//! Names and creative texts, derived from hashes when served (nothing is stored). A few
//! names carry quotes and non-ASCII letters on purpose, so clients' escaping gets exercised.

use super::catalog::*;
use super::hash::h3;
use super::ids::Kind;
use super::world::World;

fn word(w: &World, tag: u64, i: usize) -> &'static str {
    WORDS[(h3(w.seed, tag, i as u64) % WORDS.len() as u64) as usize]
}

/// Business name.
pub(crate) fn business(w: &World, b: usize) -> String {
    format!("{} Holdings {}", word(w, 10, b), b + 1)
}

/// Ad account name.
pub(crate) fn account(w: &World, a: usize) -> String {
    let (code, _) = w.currency(a);
    if a % 3 == 1 {
        format!("Café \"Zoë\" {} {} #{}", word(w, 11, a), code, a + 1)
    } else {
        format!("{} Retail {} #{}", word(w, 11, a), code, a + 1)
    }
}

/// Campaign name.
pub(crate) fn campaign(w: &World, c: usize) -> String {
    let obj = OBJECTIVES[w.campaigns[c].objective as usize];
    format!("{} | {} | {:04}", word(w, 12, c), obj.to_lowercase(), c + 1)
}

/// Ad set name.
pub(crate) fn adset(w: &World, s: usize) -> String {
    let set = &w.adsets[s];
    format!(
        "{} {}-{} | {} {}",
        COUNTRIES[set.country as usize],
        set.age_min,
        set.age_max,
        word(w, 13, s),
        s + 1
    )
}

/// Ad name.
pub(crate) fn ad(w: &World, d: usize) -> String {
    format!("{} ad {}", word(w, 14, d), d + 1)
}

/// Creative name.
pub(crate) fn creative(w: &World, d: usize) -> String {
    format!("Creative {} – {}", d + 1, word(w, 15, d))
}

/// Creative headline.
pub(crate) fn creative_title(w: &World, d: usize) -> String {
    format!("{} deals, up to {}% off", word(w, 16, d), 10 + h3(w.seed, 17, d as u64) % 60)
}

/// Creative primary text.
pub(crate) fn creative_body(w: &World, d: usize) -> String {
    format!("Discover our {} collection.\nFree shipping on orders over 50.", word(w, 18, d).to_lowercase())
}

/// Creative call to action.
pub(crate) fn creative_cta(w: &World, d: usize) -> &'static str {
    CTAS[(h3(w.seed, 19, d as u64) % CTAS.len() as u64) as usize]
}

/// Creative object type.
pub(crate) fn creative_object_type(w: &World, d: usize) -> &'static str {
    OBJECT_TYPES[(h3(w.seed, 20, d as u64) % OBJECT_TYPES.len() as u64) as usize]
}

/// Creative status: deleted ads mostly have deleted creatives.
pub(crate) fn creative_status(w: &World, d: usize) -> &'static str {
    if w.ads[d].configured == DELETED && h3(w.seed, 21, d as u64).is_multiple_of(2) {
        "DELETED"
    } else {
        "ACTIVE"
    }
}

/// Creative image URL.
pub(crate) fn creative_image(w: &World, d: usize) -> String {
    format!("https://scontent.example.invalid/v/t45/{}.jpg", w.ids.id(Kind::Creative, d))
}

/// Creative thumbnail URL.
pub(crate) fn creative_thumbnail(w: &World, d: usize) -> String {
    format!(
        "https://scontent.example.invalid/v/t45/{}_thumb.jpg?stp=dst-jpg_p64x64",
        w.ids.id(Kind::Creative, d)
    )
}

/// The Facebook page an account's ads promote: every ad of the account points at it, so it is
/// the `action_target_id` and `action_destination` of all its actions.
pub(crate) fn page_id(w: &World, a: usize) -> String {
    format!("10{:013}", h3(w.seed, 19, a as u64) % 10_000_000_000_000)
}
