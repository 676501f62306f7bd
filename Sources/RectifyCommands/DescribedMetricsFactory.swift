import CoreMetrics
import Prometheus

/// A swift-metrics backend on a Prometheus registry that gives every metric its `# HELP` line
/// (swift-prometheus' own factory leaves help empty, which `promtool check metrics` flags).
/// Only `rectify_` names are expected; others get a generic help text.
struct DescribedMetricsFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry
    var durationBuckets: [Duration]
    var valueBuckets: [Double] = [0.001, 0.01, 0.1, 1, 10, 100, 1000]

    /// Help text of every metric rectify records through swift-metrics.
    static let help: [String: String] = [
        "rectify_jobs_started_total": "Jobs a worker started, by queue and job kind.",
        "rectify_jobs_finished_total": "Job attempts that ended, by queue, job kind and outcome (completed, retryable, discarded, cancelled, snoozed, released, lease_lost, unrecorded).",
        "rectify_job_run_seconds": "How long job handlers ran, by queue and job kind.",
        "rectify_job_wait_seconds": "How long jobs waited from due to started, by queue and job kind.",
        "rectify_http_requests_total": "HTTP requests answered, by route template, method and status.",
        "rectify_http_request_duration_seconds": "HTTP request latency, by route template, method and status.",
    ]

    private func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: Self.help[label] ?? "rectify metric \(label).")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: descriptor(label), labels: dimensions) }
        return registry.makeValueHistogram(descriptor: descriptor(label), labels: dimensions, buckets: valueBuckets)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        registry.makeDurationHistogram(descriptor: descriptor(label), labels: dimensions, buckets: durationBuckets)
    }

    func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
        if let histogram = handler as? ValueHistogram { registry.unregisterValueHistogram(histogram) }
    }

    func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }
}
