public import Foundation
import Prometheus
import RectifyDomain
public import RectifyPostgres
import RectifyQueue
import RectifyReports
import RectifySchedule

/// The queue's and the programme's state as Prometheus gauges, read from the database: served
/// at `/metrics` by `rectify serve`, printed by `rectify queue stats --prometheus` for
/// node_exporter's textfile collector, and used by the alert rules in Deploy/prometheus.
public enum ProgrammeGauges {
    /// The gauges in Prometheus' text format. Workers count as live when seen within two
    /// `lease`s; the month that just ended is reckoned in `timeZone`.
    public static func exposition(pool: PostgresPool, lease: Duration, timeZone: TimeZone) async throws -> String {
        let registry = PrometheusCollectorRegistry()
        for (queue, stats) in try await JobQueue(pool: pool).stats().sorted(by: { $0.key < $1.key }) {
            for state in JobState.allCases {
                gauge(registry, "queue_jobs", labels: [("queue", queue), ("state", state.rawValue)],
                      help: "Jobs per queue and state (finished states: those kept for the retention period).")
                    .set(Double(stats[state]))
            }
            gauge(registry, "queue_oldest_available_age_seconds", labels: [("queue", queue)],
                  help: "Seconds the oldest available job has waited since it became due; 0 when none waits.")
                .set(stats.oldestAvailableAgeSeconds)
            gauge(registry, "queue_paused", labels: [("queue", queue)],
                  help: "1 while an operator has paused the queue (no worker claims from it), else 0.")
                .set(stats.paused ? 1.0 : 0.0)
        }
        let live = try await JobQueue(pool: pool).workers(seenWithin: lease * 2).count
        gauge(registry, "workers_live", help: "Worker processes seen within two leases.").set(Double(live))
        let period = Period(containing: Date(), in: timeZone).previous
        let scheduled = try await MonthlyRun.isScheduled(period, pool: pool)
        gauge(registry, "monthly_run_scheduled", labels: [("period", "\(period)")],
              help: "1 when the monthly run of the month that just ended has been scheduled, else 0.")
            .set(scheduled ? 1.0 : 0.0)
        // The programme's own figures: every number at the top of the latest report of each kind.
        for figure in try await ReportStore(pool: pool).latestFigures() {
            gauge(registry, "report_figure", labels: [("kind", figure.kind), ("period", figure.period), ("figure", figure.name)],
                  help: "The figures of the latest report of each kind (tasks_overdue, units_named, persons_held, ...).")
                .set(figure.value)
        }
        gauge(registry, "metrics_generated_timestamp_seconds", help: "When these figures were read from the database.")
            .set(Date().timeIntervalSince1970)
        return registry.emitToString()
    }

    /// The gauge `rectify_<name>` with `labels`.
    private static func gauge(
        _ registry: PrometheusCollectorRegistry, _ name: String, labels: [(String, String)] = [], help: String
    ) -> Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(namespace: "rectify", metricName: name, unitName: "", helpText: help), labels: labels)
    }
}
