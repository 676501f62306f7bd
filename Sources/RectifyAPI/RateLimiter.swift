import Foundation
import Synchronization
import RectifyQueue

/// How many requests a client may make: a steady rate, and a burst a client may spend at once
/// after a quiet spell (a token bucket of that capacity, refilled at the rate).
public struct RateLimit: Sendable, Hashable {
    /// Requests a second, sustained; 0 turns the limit off.
    public var perSecond: Double
    /// The bucket's capacity: requests a client may make at once after a quiet spell.
    public var burst: Int

    /// Creates a limit.
    public init(perSecond: Double, burst: Int) {
        self.perSecond = perSecond
        self.burst = burst
    }

    /// No limit.
    public static let off = RateLimit(perSecond: 0, burst: 0)
    /// True when this limit allows everything.
    public var isOff: Bool { perSecond <= 0 }
}

/// One token bucket per key (a client's address, an office's token), in this process's
/// memory: limits are per process, so N servers behind a balancer allow N times as much.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let limit: RateLimit
    private let buckets = Mutex<[String: Bucket]>([:])
    /// Past this many keys, buckets that have refilled are forgotten (they hold no state).
    private let maximumKeys = 100_000

    init(limit: RateLimit) {
        self.limit = limit
    }

    /// Takes one request from `key`'s bucket: `nil` when allowed, else how many whole seconds
    /// until the next request will be.
    func take(_ key: String, now: ContinuousClock.Instant = .now) -> Int? {
        guard !limit.isOff else { return nil }
        let capacity = Double(max(limit.burst, 1))
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = max(0, bucket.updated.duration(to: now).secondsDouble)
            bucket.tokens = min(capacity, bucket.tokens + elapsed * limit.perSecond)
            bucket.updated = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                if buckets.count >= maximumKeys { forgetFull(&buckets, capacity: capacity, now: now) }
                buckets[key] = bucket
                return nil
            }
            buckets[key] = bucket
            return max(1, Int(((1 - bucket.tokens) / limit.perSecond).rounded(.up)))
        }
    }

    private func forgetFull(_ buckets: inout [String: Bucket], capacity: Double, now: ContinuousClock.Instant) {
        buckets = buckets.filter { _, bucket in
            bucket.tokens + bucket.updated.duration(to: now).secondsDouble * limit.perSecond < capacity
        }
        if buckets.count >= maximumKeys { buckets.removeAll(keepingCapacity: true) }
    }
}
