import Foundation
import Glibc
public import RectifyPostgres
public import RectifyDomain
import RectifyQueue
public import RectifyReports
public import RectifySchedule
public import RectifyWorker

/// Every setting rectify reads, with its default. The configuration file and then the
/// environment fill it in (see ``SettingsSource``); each command's flags override on top.
public struct Settings: Sendable {
    /// The database (`database.url`); `nil` means the embedded cluster.
    public var databaseURL: String?
    /// Keepalives and server-side timeouts of every connection (`database.*_seconds`).
    public var databaseTimeouts = PostgresTimeouts()
    /// How long a borrower waits for a pooled connection before failing
    /// (`database.pool_acquire_timeout_seconds`).
    public var poolAcquireTimeout = PostgresPoolConfiguration().acquireTimeout
    /// The worker's settings. Its queues by default are `default` (200 at once) and `reports`
    /// (4 at once), where the monthly run's jobs go.
    public var worker: WorkerConfiguration = {
        var worker = WorkerConfiguration()
        worker.queues = ["default": WorkerConfiguration.defaultConcurrency, MonthlyRun.queue: 4]
        return worker
    }()
    /// The periodic entries (the monthly run and `scheduler.entries`), how the scheduler elects
    /// its leader, and the N of name-and-shame.
    public var scheduler = SchedulerConfiguration()
    /// Whether `rectify work` also runs the scheduler (`scheduler.enabled`).
    public var schedulerEnabled = false
    /// The HTTP API's address and the largest request body it reads.
    public var httpHost = "127.0.0.1"
    public var httpPort = 8080
    public var httpBodyLimitBytes = 64 << 10
    /// Seconds a request's head may take to arrive (`http.header_timeout_seconds`), and the
    /// slowest a body may arrive (`http.min_body_rate_bytes`, bytes a second).
    public var httpHeaderTimeout = Duration.seconds(10)
    public var httpMinimumBodyRate = 4096
    /// Requests a second per client address and per office token, with bursts of ten times
    /// that (`http.rate_limit_per_address`, `http.rate_limit_per_token`; 0 turns one off).
    public var httpRateLimitPerAddress = 50
    public var httpRateLimitPerToken = 20
    /// Reverse proxies whose `X-Forwarded-For` is believed (`http.trusted_proxies`).
    public var httpTrustedProxies: [String] = []
    /// The desk's address as people reach it (`desk.url`), for the links `rectify user add` prints.
    public var deskURL = "http://127.0.0.1:8080"
    /// Whether the desk's cookies are `Secure` and `__Host-` (`desk.secure_cookies`): on when
    /// people reach it over TLS, also through a reverse proxy; default off.
    public var deskSecureCookies = false
    /// How long sessions last without a request and at most (`desk.session_idle_seconds`,
    /// `desk.session_lifetime_seconds`); default 30 minutes and 12 hours.
    public var deskSessionIdle = Duration.seconds(30 * 60)
    public var deskSessionLifetime = Duration.seconds(12 * 3600)
    /// Who signs the rendered reports and how a notice is numbered (`reports.*`); its dates are
    /// in the scheduler's time zone.
    public var reports = ReportConfiguration()
    /// Days of public notice (公示) after the province accepts a task, before it closes.
    public var publicNoticeDays = 7
    /// The public notice in seconds instead (`closeout.public_notice_seconds`), for a test that
    /// walks a month in minutes; `nil` in production.
    public var publicNoticeSeconds: Int?
    /// How long the public notice lasts: whole days, or the test setting's exact seconds.
    public var publicNotice: PublicNoticeLength { publicNoticeSeconds.map { .exactly(.seconds($0)) } ?? .days(publicNoticeDays) }

    /// The defaults.
    public init() {}

    /// ``reports`` with its dates in the scheduler's time zone.
    public var reportConfiguration: ReportConfiguration {
        var configuration = reports
        configuration.timeZone = scheduler.timeZone
        return configuration
    }
}

/// A setting that has a bad value, named by its key (or environment variable).
public struct SettingsError: Error, Equatable, CustomStringConvertible {
    /// Where: `rectify.yaml: scheduler.day` or `RECTIFY_SCHEDULER_DAY`.
    public var location: String
    /// What is wrong and what is allowed.
    public var message: String
    public var description: String { "\(location): \(message)" }

    /// Creates an error at a location.
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }
}

/// How each setting is named in the file (`section.key`) and the environment
/// (`RECTIFY_SECTION_KEY`), what it allows, and where it goes in ``Settings``.
public struct SettingKey: Sendable {
    /// The key in the file, `section.key`.
    public let path: String
    /// What values it allows, for errors and docs.
    public let allowed: String
    /// Stores a value read from YAML (a `String`, `Int`, `Double`, `Bool` or mapping) or from
    /// the environment (always a `String`); `nil` with a message when the value is not allowed.
    let apply: @Sendable (inout Settings, Any) -> String?
    /// The setting's value in `settings`, as it would be written in the file.
    public let show: @Sendable (Settings) -> String

    /// The environment variable: `RECTIFY_` and the path in capitals, dots as underscores.
    public var environmentName: String {
        path == "database.url" ? "DATABASE_URL" : "RECTIFY_" + path.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    /// Every key, in the order of the example file.
    public static let all: [SettingKey] = [
        text("database.url", "a PostgreSQL URL or conninfo string", { $0.databaseURL.map(Self.maskingPassword) ?? "" }) { $0.databaseURL = $1 },
        optionalSeconds("database.statement_timeout_seconds", 1...86_400, \.databaseTimeouts.statementTimeout) {
            $0.databaseTimeouts.statementTimeout = $1
        },
        optionalSeconds("database.idle_in_transaction_timeout_seconds", 1...86_400, \.databaseTimeouts.idleInTransactionTimeout) {
            $0.databaseTimeouts.idleInTransactionTimeout = $1
        },
        optionalSeconds("database.tcp_user_timeout_seconds", 1...3600, \.databaseTimeouts.tcpUserTimeout) {
            $0.databaseTimeouts.tcpUserTimeout = $1
        },
        optionalSeconds("database.keepalives_idle_seconds", 1...3600, \.databaseTimeouts.keepalivesIdle) {
            $0.databaseTimeouts.keepalivesIdle = $1
        },
        seconds("database.pool_acquire_timeout_seconds", 0.1...3600, \.poolAcquireTimeout) { $0.poolAcquireTimeout = $1 },
        SettingKey(path: "worker.queues", allowed: "queue names mapped to positive concurrencies, e.g. default: 200", apply: { settings, value in
            guard let queues = Self.queues(value) else { return "must map queue names to positive whole numbers (default: 200, reports: 4)" }
            settings.worker.queues = queues
            return nil
        }, show: { $0.worker.queues.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") }),
        seconds("worker.lease_seconds", 1...86_400, \.worker.lease) { $0.worker.lease = $1; $0.worker.heartbeatInterval = $1 / 3 },
        seconds("worker.heartbeat_seconds", 0.1...86_400, \.worker.heartbeatInterval) { $0.worker.heartbeatInterval = $1 },
        seconds("worker.poll_seconds", 0.05...3600, \.worker.pollInterval) { $0.worker.pollInterval = $1 },
        seconds("worker.rescue_interval_seconds", 0.1...3600, \.worker.rescueInterval) { $0.worker.rescueInterval = $1 },
        seconds("worker.promote_interval_seconds", 0.05...3600, \.worker.promoteInterval) { $0.worker.promoteInterval = $1 },
        seconds("worker.shutdown_grace_seconds", 0...3600, \.worker.shutdownGracePeriod) { $0.worker.shutdownGracePeriod = $1 },
        seconds("worker.job_timeout_seconds", 0.1...(7 * 86_400), \.worker.jobTimeout) { $0.worker.jobTimeout = $1 },
        seconds("retry.base_seconds", 0.001...86_400, \.worker.retry.base) { $0.worker.retry.base = $1 },
        seconds("retry.max_seconds", 1...(30 * 86_400), \.worker.retry.maximum) { $0.worker.retry.maximum = $1 },
        integer("retention.finished_jobs_days", 1...3650, { "\($0.worker.retention.components.seconds / 86_400)" }) {
            $0.worker.retention = .seconds($1 * 86_400)
        },
        SettingKey(path: "scheduler.enabled", allowed: "true or false", apply: { settings, value in
            guard let flag = Self.boolean(value) else { return "must be true or false" }
            settings.schedulerEnabled = flag
            return nil
        }, show: { "\($0.schedulerEnabled)" }),
        integer("scheduler.day", 1...28, { "\($0.scheduler.day)" }) { $0.scheduler.day = $1 },
        SettingKey(path: "scheduler.time", allowed: "HH:MM, 24-hour", apply: { settings, value in
            let parts = "\(value)".split(separator: ":").map { Int($0) }
            guard parts.count == 2, let hour = parts[0], let minute = parts[1], (0...23).contains(hour), (0...59).contains(minute) else {
                return "\"\(value)\" is not a time HH:MM (00:00–23:59)"
            }
            (settings.scheduler.hour, settings.scheduler.minute) = (hour, minute)
            return nil
        }, show: { String(format: "%02d:%02d", $0.scheduler.hour, $0.scheduler.minute) }),
        SettingKey(path: "scheduler.time_zone", allowed: "an IANA time zone, e.g. Asia/Shanghai", apply: { settings, value in
            guard let zone = TimeZone(identifier: "\(value)") else { return "\"\(value)\" is not a time zone (e.g. Asia/Shanghai)" }
            settings.scheduler.timeZone = zone
            return nil
        }, show: { $0.scheduler.timeZone.identifier }),
        integer("scheduler.catch_up_limit", 1...120, { "\($0.scheduler.monthlyCatchUpLimit)" }) { $0.scheduler.monthlyCatchUpLimit = $1 },
        SettingKey(path: "scheduler.entries", allowed: "entry names mapped to {cron, time_zone, kind, args, queue, catch_up_limit}", apply: { settings, value in
            switch PeriodicEntries.parse(value) {
            case .success(let entries): settings.scheduler.entries = entries
            case .failure(let error): return error.message
            }
            return nil
        }, show: { PeriodicEntries.show($0.scheduler.entries) }),
        seconds("scheduler.lease_seconds", 1...3600, \.scheduler.leaseDuration) { $0.scheduler.leaseDuration = $1 },
        seconds("scheduler.interval_seconds", 0.1...3600, \.scheduler.interval) { $0.scheduler.interval = $1 },
        integer("name_and_shame.stalled_after_months", 1...24, { "\($0.scheduler.stalledAfterMonths ?? 2)" }) {
            $0.scheduler.stalledAfterMonths = $1
        },
        text("http.host", "an address to listen on, e.g. 127.0.0.1 or 0.0.0.0", { $0.httpHost }) { $0.httpHost = $1 },
        integer("http.port", 1...65_535, { "\($0.httpPort)" }) { $0.httpPort = $1 },
        integer("http.body_limit_bytes", 1024...(64 << 20), { "\($0.httpBodyLimitBytes)" }) { $0.httpBodyLimitBytes = $1 },
        seconds("http.header_timeout_seconds", 1...300, \.httpHeaderTimeout) { $0.httpHeaderTimeout = $1 },
        integer("http.min_body_rate_bytes", 1...(1 << 20), { "\($0.httpMinimumBodyRate)" }) { $0.httpMinimumBodyRate = $1 },
        integer("http.rate_limit_per_address", 0...100_000, { "\($0.httpRateLimitPerAddress)" }) { $0.httpRateLimitPerAddress = $1 },
        integer("http.rate_limit_per_token", 0...100_000, { "\($0.httpRateLimitPerToken)" }) { $0.httpRateLimitPerToken = $1 },
        SettingKey(path: "http.trusted_proxies", allowed: "a list of IP addresses, or one text with commas", apply: { settings, value in
            let items = (value as? [Any])?.map { "\($0)" } ?? "\(value)".split(separator: ",").map(String.init)
            let addresses = items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if let bad = addresses.first(where: { !Self.isIPAddress($0) }) { return "\"\(bad)\" is not an IP address" }
            settings.httpTrustedProxies = addresses
            return nil
        }, show: { $0.httpTrustedProxies.joined(separator: ", ") }),
        text("desk.url", "the desk's address as people reach it, e.g. https://rectify.example.gov.cn", { $0.deskURL }) {
            $0.deskURL = $1.hasSuffix("/") ? String($1.dropLast()) : $1
        },
        SettingKey(path: "desk.secure_cookies", allowed: "true or false", apply: { settings, value in
            guard let flag = Self.boolean(value) else { return "must be true or false" }
            settings.deskSecureCookies = flag
            return nil
        }, show: { "\($0.deskSecureCookies)" }),
        seconds("desk.session_idle_seconds", 1...86_400, \.deskSessionIdle) { $0.deskSessionIdle = $1 },
        seconds("desk.session_lifetime_seconds", 1...(7 * 86_400), \.deskSessionLifetime) { $0.deskSessionLifetime = $1 },
        text("reports.issuer", "the issuing office's name", { $0.reports.issuer }) { $0.reports.issuer = $1 },
        SettingKey(path: "reports.number_format", allowed: "a notice's document number with {year} and {number}", apply: { settings, value in
            let format = "\(value)"
            if let problem = ReportConfiguration.problem(numberFormat: format) { return problem }
            settings.reports.numberFormat = format
            return nil
        }, show: { $0.reports.numberFormat }),
        text("reports.addressees", "the documents' 主送 line", { $0.reports.addressees }) { $0.reports.addressees = $1 },
        text("reports.copied_to", "the documents' 抄送 line", { $0.reports.copiedTo }) { $0.reports.copiedTo = $1 },
        text("reports.requirements", "the 工作要求 paragraph", { $0.reports.requirements }) { $0.reports.requirements = $1 },
        text("reports.reply", "what a named unit must send back and by when", { $0.reports.reply }) { $0.reports.reply = $1 },
        text("reports.consequences", "what being named again brings", { $0.reports.consequences }) { $0.reports.consequences = $1 },
        SettingKey(path: "reports.problems", allowed: "the 存在问题 the figures do not show, or \"\" for none", apply: { settings, value in
            guard let text = value as? String else { return "must be text, or \"\" for none" }
            settings.reports.problems = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return nil
        }, show: { $0.reports.problems }),
        text("reports.disclosure_work", "how the province took up the feedback", { $0.reports.disclosureWork }) {
            $0.reports.disclosureWork = $1
        },
        text("reports.disclosure_next_steps", "the disclosure's 下一步 paragraph", { $0.reports.disclosureNextSteps }) {
            $0.reports.disclosureNextSteps = $1
        },
        text("reports.disclosure_publisher", "who publishes the disclosure", { $0.reports.disclosurePublisher }) {
            $0.reports.disclosurePublisher = $1
        },
        SettingKey(path: "reports.separate_rows", allowed: "a list of county-level region codes shown as rows of their own", apply: { settings, value in
            let codes = (value as? [Any])?.map { "\($0)" } ?? "\(value)".split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard codes.allSatisfy({ $0.count == 6 && $0.allSatisfy({ $0.isASCII && $0.isNumber }) }) else {
                return "\"\(value)\" is not a list of 6-digit region codes, e.g. [130682, 130181]"
            }
            settings.reports.separateRows = codes.filter { !$0.isEmpty }
            return nil
        }, show: { $0.reports.separateRows.joined(separator: ",") }),
        integer("closeout.public_notice_days", 1...90, { "\($0.publicNoticeDays)" }) { $0.publicNoticeDays = $1 },
        integer("closeout.public_notice_seconds", 1...(90 * 86_400), { $0.publicNoticeSeconds.map { "\($0)" } ?? "" }) {
            $0.publicNoticeSeconds = $1
        },
    ]

    /// An IPv4 or IPv6 address as written (no names, no prefixes).
    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    private static func text(
        _ path: String, _ allowed: String, _ show: @escaping @Sendable (Settings) -> String,
        _ store: @escaping @Sendable (inout Settings, String) -> Void
    ) -> SettingKey {
        SettingKey(path: path, allowed: allowed, apply: { settings, value in
            guard let text = value as? String, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return "must be \(allowed)" }
            store(&settings, text)
            return nil
        }, show: show)
    }

    private static func integer(
        _ path: String, _ range: ClosedRange<Int>, _ show: @escaping @Sendable (Settings) -> String,
        _ store: @escaping @Sendable (inout Settings, Int) -> Void
    ) -> SettingKey {
        let allowed = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        return SettingKey(path: path, allowed: allowed, apply: { settings, value in
            guard !(value is Bool), let number = (value as? Int) ?? Int("\(value)") else { return "\"\(value)\" is not \(allowed)" }
            guard range.contains(number) else { return "\(number) is outside \(range.lowerBound)–\(range.upperBound)" }
            store(&settings, number)
            return nil
        }, show: show)
    }

    /// Seconds, or 0 for off (`nil`).
    private static func optionalSeconds(
        _ path: String, _ range: ClosedRange<Double>, _ field: any KeyPath<Settings, Duration?> & Sendable,
        _ store: @escaping @Sendable (inout Settings, Duration?) -> Void
    ) -> SettingKey {
        let allowed = "0 (off) or seconds from \(range.lowerBound.formatted()) to \(range.upperBound.formatted())"
        return SettingKey(path: path, allowed: allowed, apply: { settings, value in
            guard !(value is Bool), let number = (value as? Double) ?? (value as? Int).map(Double.init) ?? Double("\(value)"),
                number.isFinite
            else { return "\"\(value)\" is not \(allowed)" }
            if number == 0 {
                store(&settings, nil)
                return nil
            }
            guard range.contains(number) else { return "\(number.formatted()) is not \(allowed)" }
            store(&settings, .milliseconds(Int64((number * 1000).rounded())))
            return nil
        }, show: { settings in
            guard let duration = settings[keyPath: field] else { return "0" }
            let seconds = Double(duration.milliseconds) / 1000
            return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
        })
    }

    private static func seconds(
        _ path: String, _ range: ClosedRange<Double>, _ field: any KeyPath<Settings, Duration> & Sendable,
        _ store: @escaping @Sendable (inout Settings, Duration) -> Void
    ) -> SettingKey {
        let allowed = "seconds from \(range.lowerBound.formatted()) to \(range.upperBound.formatted())"
        return SettingKey(path: path, allowed: allowed, apply: { settings, value in
            guard !(value is Bool), let number = (value as? Double) ?? (value as? Int).map(Double.init) ?? Double("\(value)"),
                  number.isFinite else { return "\"\(value)\" is not a number of seconds" }
            guard range.contains(number) else { return "\(number.formatted()) is outside \(allowed)" }
            store(&settings, .milliseconds(Int64((number * 1000).rounded())))
            return nil
        }, show: { settings in
            let seconds = Double(settings[keyPath: field].milliseconds) / 1000
            return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
        })
    }

    /// A connection string with its password replaced by `***`.
    static func maskingPassword(_ url: String) -> String {
        url.replacingOccurrences(of: #"(://[^:/@]+:)[^@]*@"#, with: "$1***@", options: .regularExpression)
            .replacingOccurrences(of: #"password=\S+"#, with: "password=***", options: .regularExpression)
    }

    private static func boolean(_ value: Any) -> Bool? {
        if let flag = value as? Bool { return flag }
        switch "\(value)".lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: return nil
        }
    }

    /// A mapping from YAML, or `name=n,name=n` from the environment.
    private static func queues(_ value: Any) -> [String: Int]? {
        var queues: [String: Int] = [:]
        if let mapping = value as? [String: Any] {
            for (name, concurrency) in mapping {
                guard !name.isEmpty, !(concurrency is Bool), let count = concurrency as? Int, count > 0 else { return nil }
                queues[name] = count
            }
        } else if let text = value as? String {
            for entry in text.split(separator: ",") {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, let count = Int(parts[1]), count > 0 else { return nil }
                queues[parts[0]] = count
            }
        }
        return queues.isEmpty ? nil : queues
    }
}
