//! Object ids. Every id is `prefix * 10^15 + (seed mod 10^5) * 10^10 + index`, so the kind and
//! the index of an object are recovered by arithmetic: no id → object map is stored, and ids
//! look like Meta's (long numeric strings; ad accounts are `act_<16 digits>`).

/// The kinds of Graph nodes the simulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// Ad account (`act_<id>`).
    Account,
    /// Business manager.
    Business,
    /// Campaign.
    Campaign,
    /// Ad set.
    AdSet,
    /// Ad.
    Ad,
    /// Ad creative.
    Creative,
    /// Async insights report run.
    ReportRun,
    /// The system user (and `/me` of user tokens).
    User,
}

impl Kind {
    fn prefix(self) -> u64 {
        match self {
            Kind::Account => 1,
            Kind::Business => 2,
            Kind::User => 3,
            Kind::Campaign => 120,
            Kind::AdSet => 121,
            Kind::Ad => 122,
            Kind::Creative => 123,
            Kind::ReportRun => 124,
        }
    }

    fn from_prefix(p: u64) -> Option<Kind> {
        Some(match p {
            1 => Kind::Account,
            2 => Kind::Business,
            3 => Kind::User,
            120 => Kind::Campaign,
            121 => Kind::AdSet,
            122 => Kind::Ad,
            123 => Kind::Creative,
            124 => Kind::ReportRun,
            _ => return None,
        })
    }
}

const P15: u64 = 1_000_000_000_000_000;
const P10: u64 = 10_000_000_000;

/// Encodes and decodes ids for one seed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ids {
    salt: u64,
}

impl Ids {
    /// Ids for a world generated from `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self { salt: seed % 100_000 }
    }

    /// Numeric id of object `index` of `kind`.
    pub(crate) fn id(self, kind: Kind, index: usize) -> u64 {
        kind.prefix() * P15 + self.salt * P10 + index as u64
    }

    /// Decimal string id (ad accounts without `act_`).
    pub(crate) fn str(self, kind: Kind, index: usize) -> String {
        self.id(kind, index).to_string()
    }

    /// Ad account node id: `act_<id>`.
    pub(crate) fn act(self, index: usize) -> String {
        format!("act_{}", self.id(Kind::Account, index))
    }

    /// Kind and index of a numeric id of this world; `None` for foreign ids.
    pub(crate) fn decode(self, id: u64) -> Option<(Kind, usize)> {
        let kind = Kind::from_prefix(id / P15)?;
        if (id % P15) / P10 != self.salt {
            return None;
        }
        Some((kind, (id % P10) as usize))
    }

    /// Decodes a path segment: `act_<n>`, or a bare numeric id.
    pub(crate) fn decode_segment(self, seg: &str) -> Option<(Kind, usize)> {
        if let Some(rest) = seg.strip_prefix("act_") {
            let (kind, idx) = self.decode(rest.parse().ok()?)?;
            return (kind == Kind::Account).then_some((kind, idx));
        }
        let (kind, idx) = self.decode(seg.parse().ok()?)?;
        // A bare account id is not a node: Meta requires the `act_` prefix.
        (kind != Kind::Account).then_some((kind, idx))
    }

    /// Index of an ad account given as `act_<n>` or `<n>`.
    pub(crate) fn account_index(self, s: &str) -> Option<usize> {
        let n = s.strip_prefix("act_").unwrap_or(s).parse().ok()?;
        match self.decode(n)? {
            (Kind::Account, i) => Some(i),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_foreign_seeds() {
        let ids = Ids::new(7);
        let id = ids.id(Kind::Campaign, 42);
        assert_eq!(ids.decode(id), Some((Kind::Campaign, 42)));
        assert_eq!(Ids::new(8).decode(id), None);
        assert_eq!(ids.decode_segment(&ids.act(3)), Some((Kind::Account, 3)));
        assert_eq!(ids.decode_segment(&ids.str(Kind::Account, 3)), None);
        assert_eq!(ids.account_index(&ids.str(Kind::Account, 3)), Some(3));
    }
}
