//! Which days of an insights window are loaded, so the cursor only ever advances over a
//! contiguous prefix of completed chunks. Chunks may complete out of order (they travel in
//! batches with other accounts' requests) and may be split in two when Meta answers "too much
//! data"; rows of a chunk are upserted as they arrive, but the cursor never moves past a day
//! that is not in the warehouse.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::plan::DateWindow;

/// The chunks of one insights window and how far the cursor may go.
#[derive(Debug, Clone)]
pub struct ChunkLedger {
    /// Chunks by first day: (last day, completed).
    chunks: BTreeMap<NaiveDate, (NaiveDate, bool)>,
    /// Last day the cursor has been advanced to by this ledger.
    committed: Option<NaiveDate>,
}

impl ChunkLedger {
    /// A ledger over `chunks`, which must be consecutive and non-overlapping.
    pub fn new(chunks: &[DateWindow]) -> Self {
        Self { chunks: chunks.iter().map(|c| (c.since, (c.until, false))).collect(), committed: None }
    }

    /// Replaces the chunk starting at `chunk.since` by `parts` (the same days, split).
    pub fn split(&mut self, chunk: DateWindow, parts: &[DateWindow]) {
        debug_assert_eq!(parts.first().map(|p| p.since), Some(chunk.since));
        debug_assert_eq!(parts.last().map(|p| p.until), Some(chunk.until));
        self.chunks.remove(&chunk.since);
        for p in parts {
            self.chunks.insert(p.since, (p.until, false));
        }
    }

    /// Marks a chunk complete. Returns the day the cursor may now advance to, when it moved.
    pub fn complete(&mut self, chunk: DateWindow) -> Option<NaiveDate> {
        if let Some(entry) = self.chunks.get_mut(&chunk.since) {
            entry.1 = true;
        }
        let frontier = self.chunks.values().take_while(|(_, done)| *done).map(|(until, _)| *until).last();
        match frontier {
            Some(day) if Some(day) > self.committed => {
                self.committed = Some(day);
                Some(day)
            }
            _ => None,
        }
    }

    /// Whether every chunk is complete.
    pub fn is_done(&self) -> bool {
        self.chunks.values().all(|(_, done)| *done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(a: &str, b: &str) -> DateWindow {
        DateWindow { since: a.parse().unwrap(), until: b.parse().unwrap() }
    }

    fn d(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn cursor_only_moves_over_a_contiguous_prefix() {
        let (a, b, c) =
            (w("2026-01-01", "2026-01-10"), w("2026-01-11", "2026-01-20"), w("2026-01-21", "2026-01-25"));
        let mut l = ChunkLedger::new(&[a, b, c]);
        assert_eq!(l.complete(b), None, "b is done but a is not");
        assert_eq!(l.complete(a), d("2026-01-20"), "a completes the prefix a+b");
        assert!(!l.is_done());
        assert_eq!(l.complete(c), d("2026-01-25"));
        assert!(l.is_done());
        assert_eq!(l.complete(c), None, "no second advance");
    }

    #[test]
    fn split_chunks_must_all_complete() {
        let (a, b) = (w("2026-01-01", "2026-01-10"), w("2026-01-11", "2026-01-20"));
        let mut l = ChunkLedger::new(&[a, b]);
        let (a1, a2) = a.halves().unwrap();
        l.split(a, &[a1, a2]);
        assert_eq!(l.complete(a2), None);
        assert_eq!(l.complete(b), None);
        assert_eq!(l.complete(a1), d("2026-01-20"));
        assert!(l.is_done());
    }
}
