/// How long a failed job waits before its next attempt: `base × 2^(attempt−1)`, capped at
/// `maximum`, with ±10% jitter (computed by the database's `rectify_retry_delay`).
public struct RetryPolicy: Sendable, Hashable {
    /// The delay after the first failed attempt; default 1 s.
    public var base: Duration
    /// The longest delay; default 1 hour.
    public var maximum: Duration

    /// Creates a policy.
    public init(base: Duration = .seconds(1), maximum: Duration = .seconds(3600)) {
        self.base = base
        self.maximum = maximum
    }
}

extension Duration {
    /// Whole milliseconds, for binding as `bigint` and multiplying by `interval '1 millisecond'`.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Seconds as a floating-point number.
    public var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
