import Foundation
import RectifySchedule

/// Reads and shows the `scheduler.entries` setting: entry names mapped to their cron schedule
/// and job, from YAML or, in `RECTIFY_SCHEDULER_ENTRIES`, the same as a JSON object.
///
/// ```yaml
/// entries:
///   nightly_cleanup:
///     cron: "30 3 * * *"
///     time_zone: Asia/Shanghai
///     kind: noop
///     args: {note: nightly}   # optional, default {}
///     queue: default          # optional, default default
///     catch_up_limit: 3       # optional, default 3
/// ```
enum PeriodicEntries {
    /// The entries of a YAML mapping or JSON text, sorted by name, or an error naming the entry and field.
    static func parse(_ value: Any) -> Result<[PeriodicEntry], ScheduleError> {
        var mapping = value
        if let text = value as? String {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
                return .failure(ScheduleError(.invalidEntry, "must be a mapping of entry names (as JSON in the environment)"))
            }
            mapping = object
        }
        if mapping is NSNull { return .success([]) }
        guard let entries = mapping as? [String: Any] else { return .failure(ScheduleError(.invalidEntry, "must be a mapping of entry names")) }
        var parsed: [PeriodicEntry] = []
        for name in entries.keys.sorted() {
            guard name != MonthlyRun.entryName else {
                return .failure(ScheduleError(.invalidEntry, "\(name): is the monthly run, set by scheduler.day, time and time_zone"))
            }
            guard let fields = entries[name] as? [String: Any] else { return .failure(ScheduleError(.invalidEntry, "\(name): must be a mapping")) }
            let known: Set = ["cron", "time_zone", "kind", "args", "queue", "catch_up_limit"]
            if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
                return .failure(ScheduleError(.invalidEntry, "\(name).\(unknown): unknown field (known: \(known.sorted().joined(separator: ", ")))"))
            }
            guard let cron = fields["cron"] as? String else { return .failure(ScheduleError(.invalidEntry, "\(name).cron: required, e.g. \"0 2 1 * *\"")) }
            guard let zoneName = fields["time_zone"] as? String, let zone = TimeZone(identifier: zoneName) else {
                return .failure(ScheduleError(.invalidEntry, "\(name).time_zone: required, an IANA time zone such as Asia/Shanghai"))
            }
            guard let kind = fields["kind"] as? String else { return .failure(ScheduleError(.invalidEntry, "\(name).kind: required")) }
            var argsJSON = "{}"
            if let args = fields["args"] {
                guard let object = args as? [String: Any], let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
                    return .failure(ScheduleError(.invalidEntry, "\(name).args: must be a mapping"))
                }
                argsJSON = String(decoding: data, as: UTF8.self)
            }
            let queue = fields["queue"] ?? "default"
            let limit = fields["catch_up_limit"] ?? 3
            guard let queue = queue as? String else { return .failure(ScheduleError(.invalidEntry, "\(name).queue: must be a queue name")) }
            guard !(limit is Bool), let limit = limit as? Int else { return .failure(ScheduleError(.invalidEntry, "\(name).catch_up_limit: must be a whole number")) }
            do {
                let expression = try CronExpression(cron, timeZone: zone)
                parsed.append(try PeriodicEntry(name: name, cron: expression, kind: kind, argsJSON: argsJSON, queue: queue, catchUpLimit: limit))
            } catch let error as ScheduleError {
                return .failure(ScheduleError(error.code, error.code == .invalidCron ? "\(name).cron: \(error.message)" : error.message))
            } catch {
                return .failure(ScheduleError(.invalidEntry, "\(name): \(error)"))
            }
        }
        return .success(parsed)
    }

    /// The entries as one line of JSON (`{}` when none), as `config show` prints them.
    static func show(_ entries: [PeriodicEntry]) -> String {
        let object = Dictionary(uniqueKeysWithValues: entries.map { entry -> (String, Any) in
            let args = (try? JSONSerialization.jsonObject(with: Data(entry.argsJSON.utf8))) ?? [:]
            return (entry.name, [
                "cron": entry.cron.text, "time_zone": entry.cron.timeZone.identifier, "kind": entry.kind, "args": args,
                "queue": entry.queue, "catch_up_limit": entry.catchUpLimit,
            ] as [String: Any])
        })
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
