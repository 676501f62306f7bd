import Metrics
import Prometheus
import Synchronization

/// The process's metrics backend: swift-metrics bootstrapped once with swift-prometheus, so
/// that the worker's and the HTTP server's counters and timers reach `/metrics`.
enum MetricsBootstrap {
    private static let registry = Mutex<PrometheusCollectorRegistry?>(nil)

    /// The registry every metric of this process goes to; bootstraps swift-metrics on first use.
    static func prometheus() -> PrometheusCollectorRegistry {
        registry.withLock { existing in
            if let existing { return existing }
            let created = PrometheusCollectorRegistry()
            let factory = DescribedMetricsFactory(registry: created, durationBuckets: [
                .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
                .seconds(30), .seconds(60),
            ])
            MetricsSystem.bootstrap(factory)
            existing = created
            return created
        }
    }
}
