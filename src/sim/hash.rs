//! Deterministic hashing: every generated value is a pure function of the seed and a few
//! coordinates, so a world can be regenerated (or served lazily) without storing it.

/// SplitMix64 finaliser: a cheap, well-mixed bijection on `u64`.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Hash of two values (order matters).
pub(crate) fn h2(a: u64, b: u64) -> u64 {
    mix(mix(a) ^ b)
}

/// Hash of three values (order matters).
pub(crate) fn h3(a: u64, b: u64, c: u64) -> u64 {
    mix(h2(a, b) ^ c)
}

/// Uniform float in `[0, 1)` from a hash.
pub(crate) fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// A small stream of hashes derived from one seed: `next()` never repeats within a stream.
pub(crate) struct Stream(u64);

impl Stream {
    /// Starts a stream at `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// Next hash of the stream.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Next uniform float in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        unit(self.next())
    }

    /// Next index in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
