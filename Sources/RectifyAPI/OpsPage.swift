import Foundation
import RectifyQueue
import RectifyReports
import RectifySchedule

/// The ops page's HTML, rendered on the server: plain tables and forms, no JavaScript.
enum OpsPage {
    /// The signed-in ops person, and the token their forms carry.
    struct Operator {
        var name: String
        var csrf: String
    }

    /// What an action's redirect may say: a fixed list, so a link cannot put words on the page.
    enum OpsNotice: String {
        case retried, discarded, unchanged

        var text: String {
            switch self {
            case .retried: "The job is waiting to run again."
            case .discarded: "The job is discarded."
            case .unchanged: "The job was not changed: its state does not allow that action."
            }
        }
    }

    /// Everything the overview shows.
    struct Overview {
        var stats: [String: QueueStats]
        var oldest: [String: Job]
        var failures: [Job]
        var workers: [WorkerRecord]
        var periodic: [PeriodicSchedule.EntryStatus]
        var runs: [MonthlyRun.ScheduledPeriod]
        var subjects: [Int64: String]
        var signedIn: Operator
        var notice: OpsNotice?
        var now: Date
        var lease: Duration
    }

    /// Names people use for the job kinds.
    static let kindNames: [String: String] = [
        "apply_progress": "Apply submitted progress",
        "close_after_public_notice": "Close after public notice (销号)",
        "monthly_schedule": "Monthly scheduling report (月度调度)",
        "name_and_shame": "Name-and-shame notice (点名通报)",
        "accountability_tally": "Accountability tally (问责统计)",
        "public_disclosure": "Public disclosure (整改落实情况公开)",
        "monthly_run": "Monthly run (月度调度, 点名通报, 问责统计, 公开)",
        "noop": "No-op (test job)",
    ]

    static func kindName(_ kind: String) -> String { kindNames[kind] ?? kind }

    static func overview(_ page: Overview) -> String {
        var body = header(page.signedIn, notice: page.notice)
        body += queuesSection(page)
        body += failuresSection(page)
        body += workersSection(page)
        body += periodicSection(page)
        body += runsSection(page)
        return document(title: "rectify — ops", body: body)
    }

    static func job(_ job: Job, subject: String?, signedIn: Operator, notice: OpsNotice?, now: Date) -> String {
        var body = header(signedIn, notice: notice)
        body += "<p><a href=\"/ops\">← Ops overview</a></p>"
        body += "<section id=\"job\"><h2>Job \(job.id): \(HTMLText.escape(kindName(job.kind)))</h2>"
        if let subject { body += "<p class=\"subject\">\(HTMLText.escape(subject))</p>" }
        body += "<table class=\"facts\">"
        body += row("State", badge(job.state.rawValue))
        body += row("Queue", HTMLText.escape(job.queue))
        body += row("Attempts", "\(job.attempt) of \(job.maxAttempts)")
        body += row("Created", time(job.createdAt, now: now))
        body += row("Due", time(job.runAt, now: now))
        if let attemptedAt = job.attemptedAt { body += row("Last attempt", time(attemptedAt, now: now) + (job.attemptedBy.map { " by " + HTMLText.escape($0) } ?? "")) }
        if let finishedAt = job.finishedAt { body += row("Finished", time(finishedAt, now: now)) }
        body += row("Arguments", "<code>\(HTMLText.escape(job.argsJSON))</code>")
        body += "</table>"
        body += actions(job, csrf: signedIn.csrf)
        body += "<h3>Error history</h3>"
        if job.errors.isEmpty {
            body += "<p class=\"empty\">No failed attempts.</p>"
        } else {
            body += tableHead(["Attempt", "When", "Worker", "Error"])
            for error in job.errors.reversed() {
                body += "<tr><td>\(error.attempt)</td><td>\(time(error.at, now: now))</td><td>\(HTMLText.escape(error.worker ?? "—"))</td>"
                body += "<td class=\"error\">\(HTMLText.escape(error.error))</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "</section>"
        return document(title: "rectify — job \(job.id)", body: body)
    }

    // MARK: - Sections

    private static func header(_ signedIn: Operator, notice: OpsNotice?) -> String {
        var html = "<header><h1>rectify <span>ops</span></h1><div class=\"who\">"
        html += "Signed in as <strong>\(HTMLText.escape(signedIn.name))</strong> "
        html += DeskLayout.form(action: "/desk/signout", csrf: signedIn.csrf, inline: true, content: "<button type=\"submit\">Sign out</button>")
        html += "</div></header>"
        if let notice { html += "<p class=\"notice\">\(HTMLText.escape(notice.text))</p>" }
        return html
    }

    /// The finished jobs the queues' table counts: the last day's, from the counts the queue keeps
    /// by the hour (`rectify queue stats` gives those of the whole retention).
    static let finishedWindow = Duration.seconds(86_400)

    private static func queuesSection(_ page: Overview) -> String {
        let states = JobState.allCases
        var html = "<section id=\"queues\"><h2>Queues</h2>"
        html += "<p class=\"empty\">completed, discarded and cancelled: jobs finished in the last 24 hours, counted by the hour (so up to 25 hours).</p>"
        guard !page.stats.isEmpty else { return html + "<p class=\"empty\">No jobs in any queue.</p></section>" }
        html += "<table><thead><tr><th>Queue</th>"
        for state in states { html += "<th class=\"num\">\(state.rawValue)</th>" }
        html += "<th>Oldest waiting job</th></tr></thead><tbody>"
        for (queue, stats) in page.stats.sorted(by: { $0.key < $1.key }) {
            html += "<tr><td><strong>\(HTMLText.escape(queue))</strong>"
            if stats.paused {
                html += " <span class=\"badge paused\" title=\"No worker claims from this queue until rectify queue resume \(HTMLText.escape(queue))\">paused</span>"
            }
            html += "</td>"
            for state in states {
                let count = stats[state]
                let warn = (state == .discarded || state == .retryable) && count > 0
                html += "<td class=\"num\(warn ? " warn" : "")\">\(count)</td>"
            }
            if let oldest = page.oldest[queue] {
                html += "<td><a href=\"/ops/jobs/\(oldest.id)\">\(HTMLText.escape(kindName(oldest.kind))) #\(oldest.id)</a>, waiting "
                html += "\(duration(stats.oldestAvailableAgeSeconds))</td>"
            } else {
                html += "<td class=\"empty\">none waiting</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table></section>"
    }

    private static func failuresSection(_ page: Overview) -> String {
        var html = "<section id=\"failures\"><h2>Recent failures</h2>"
        guard !page.failures.isEmpty else { return html + "<p class=\"empty\">No failed attempts. </p></section>" }
        html += tableHead(["Job", "About", "State", "Attempts", "When", "Last error"])
        for job in page.failures {
            let when = job.finishedAt ?? job.errors.last?.at ?? job.createdAt
            html += "<tr><td><a href=\"/ops/jobs/\(job.id)\">\(HTMLText.escape(kindName(job.kind))) #\(job.id)</a></td>"
            html += "<td>\(HTMLText.escape(page.subjects[job.id] ?? argsSummary(job)))</td>"
            html += "<td>\(badge(job.state.rawValue))</td><td class=\"num\">\(job.attempt)/\(job.maxAttempts)</td>"
            html += "<td>\(time(when, now: page.now))</td><td class=\"error\">\(HTMLText.escape(job.errors.last?.error ?? ""))</td></tr>"
        }
        return html + "</tbody></table></section>"
    }

    private static func workersSection(_ page: Overview) -> String {
        var html = "<section id=\"workers\"><h2>Live workers</h2>"
        guard !page.workers.isEmpty else {
            return html + "<p class=\"empty warn\">No worker has sent a heartbeat in the last \(duration(Double(page.lease.milliseconds) / 500)).</p></section>"
        }
        html += tableHead(["Worker", "Host", "PID", "Queues", "Started", "Last heartbeat"])
        for worker in page.workers {
            html += "<tr><td>\(HTMLText.escape(worker.id))</td><td>\(HTMLText.escape(worker.host))</td><td class=\"num\">\(worker.pid)</td>"
            html += "<td>\(HTMLText.escape(worker.queues.joined(separator: ", ")))</td><td>\(time(worker.startedAt, now: page.now))</td>"
            html += "<td>\(time(worker.lastSeenAt, now: page.now))</td></tr>"
        }
        return html + "</tbody></table></section>"
    }

    private static func periodicSection(_ page: Overview) -> String {
        var html = "<section id=\"periodic\"><h2>Periodic schedules</h2>"
        guard !page.periodic.isEmpty else { return html + "<p class=\"empty\">No periodic entry is configured or registered.</p></section>" }
        html += tableHead(["Entry", "Schedule", "Job", "Last due", "Jobs of that due time", "Next due"])
        for status in page.periodic {
            let entry = status.entry
            html += "<tr><td><strong>\(HTMLText.escape(entry.name))</strong>"
            if !status.registered {
                html += " <span class=\"badge scheduled\" title=\"Only in this server's configuration: no scheduling leader (rectify work --scheduler) has registered it yet\">not registered</span>"
            }
            html += "</td><td><code>\(HTMLText.escape(entry.cron.text))</code> (\(HTMLText.escape(entry.cron.timeZone.identifier)))</td>"
            html += "<td>\(HTMLText.escape(kindName(entry.kind))) on \(HTMLText.escape(entry.queue))</td>"
            html += "<td>\(status.lastDue.map { time($0, now: page.now) } ?? "<span class=\"empty\">never</span>")</td><td>"
            if let jobs = status.fires.first?.jobs, !jobs.isEmpty {
                html += jobs.map { "<a href=\"/ops/jobs/\($0.id)\">#\($0.id)</a> \(badge($0.state ?? "pruned"))" }.joined(separator: " ")
            } else {
                html += "<span class=\"empty\">—</span>"
            }
            html += "</td><td>\(status.nextDue.map { time($0, now: page.now) } ?? "<span class=\"empty\">never</span>")</td></tr>"
        }
        return html + "</tbody></table></section>"
    }

    private static func runsSection(_ page: Overview) -> String {
        var html = "<section id=\"runs\"><h2>Monthly runs</h2>"
        guard !page.runs.isEmpty else { return html + "<p class=\"empty\">No month has been scheduled yet.</p></section>" }
        html += tableHead(["Period", "Scheduled", "By", "Jobs"])
        for run in page.runs {
            html += "<tr><td><strong>\(HTMLText.escape(run.period))</strong></td><td>\(time(run.scheduledAt, now: page.now))</td>"
            html += "<td>\(HTMLText.escape(run.scheduledBy))</td><td><ul class=\"runs\">"
            for job in run.runs {
                let name = HTMLText.escape(kindName(job.kind))
                let link = job.jobID.map { "<a href=\"/ops/jobs/\($0)\">\(name) #\($0)</a>" } ?? name
                html += "<li>\(link) \(badge(job.state ?? "pruned"))</li>"
            }
            html += "</ul></td></tr>"
        }
        return html + "</tbody></table></section>"
    }

    private static func actions(_ job: Job, csrf: String) -> String {
        let canRetry = [.discarded, .cancelled, .retryable, .scheduled].contains(job.state)
        let canDiscard = !job.state.isFinished
        guard canRetry || canDiscard else { return "" }
        var html = "<div class=\"actions\">"
        if canRetry {
            html += DeskLayout.form(action: "/ops/jobs/\(job.id)/retry", csrf: csrf, inline: true, content: "<button type=\"submit\">Retry now</button>") + " "
        }
        if canDiscard {
            html += DeskLayout.form(
                action: "/ops/jobs/\(job.id)/discard", csrf: csrf, inline: true, content: "<button type=\"submit\" class=\"danger\">Discard</button>")
        }
        return html + "</div>"
    }

    // MARK: - Pieces

    private static func argsSummary(_ job: Job) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(job.argsJSON.utf8)) as? [String: Any], !object.isEmpty else { return "—" }
        return object.keys.sorted().map { "\($0) \(object[$0].map { "\($0)" } ?? "")" }.joined(separator: ", ")
    }

    /// A table's opening up to its body, with a header cell per label.
    private static func tableHead(_ labels: [String]) -> String {
        "<table><thead><tr>" + labels.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>"
    }

    private static func row(_ label: String, _ value: String) -> String { "<tr><th>\(label)</th><td>\(value)</td></tr>" }

    private static func badge(_ state: String) -> String { "<span class=\"badge \(HTMLText.escape(state))\">\(HTMLText.escape(state))</span>" }

    private static func time(_ date: Date, now: Date) -> String {
        let formatter = ISO8601DateFormatter()
        let seconds = now.timeIntervalSince(date)
        let relative = seconds >= 0 ? "\(duration(seconds)) ago" : "in \(duration(-seconds))"
        return "<time datetime=\"\(formatter.string(from: date))\" title=\"\(formatter.string(from: date))\">\(relative)</time>"
    }

    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<1: return "under 1 s"
        case ..<120: return "\(Int(seconds)) s"
        case ..<7200: return "\(Int(seconds / 60)) min"
        case ..<172_800: return "\(Int(seconds / 3600)) h"
        default: return "\(Int(seconds / 86_400)) days"
        }
    }


    private static func document(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title))</title><style>\(style)</style></head>
        <body><main>\(body)<footer>Rendered \(ISO8601DateFormatter().string(from: Date())) · <a href="/ops">Refresh</a> · <a href="/metrics">/metrics</a> · <a href="/openapi.yaml">API</a></footer></main></body></html>
        """
    }

    private static let style = """
        body{margin:0;background:#f4f5f7;color:#1d2330;font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif}
        main{max-width:1200px;margin:0 auto;padding:16px 24px 40px}@media(max-width:600px){main{padding:12px 10px 32px}}
        header{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:8px;border-bottom:2px solid #1d2330;padding-bottom:8px}
        h1{font-size:22px;margin:0}h1 span{color:#8a5a00;font-weight:600}
        h2{font-size:17px;margin:24px 0 8px}h3{font-size:15px;margin:18px 0 6px}
        section{background:#fff;border:1px solid #d9dce3;border-radius:6px;padding:4px 16px 14px;margin-top:16px;overflow-x:auto}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eceef2;vertical-align:top}
        thead th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:#5b6475;border-bottom:1px solid #c9cdd6}
        table.facts th{width:140px;color:#5b6475;font-weight:500}
        .num{text-align:right;font-variant-numeric:tabular-nums}.warn{color:#b42318;font-weight:600}
        .error{font-family:ui-monospace,monospace;font-size:12px;color:#7a1d12;white-space:pre-wrap;word-break:break-word;max-width:480px}
        .empty{color:#6b7280}.hint{color:#6b7280;font-size:12px}.subject{font-size:15px}
        .notice{background:#fff6d6;border:1px solid #e8c95a;padding:8px 12px;border-radius:4px}
        .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#e5e7eb;color:#374151}
        .badge.completed{background:#d1fadf;color:#05603a}.badge.running{background:#d1e9ff;color:#175cd3}
        .badge.available,.badge.scheduled{background:#eef2f6;color:#364152}.badge.retryable,.badge.paused{background:#fef0c7;color:#93370d}
        .badge.discarded,.badge.cancelled{background:#fee4e2;color:#b42318}
        ul.runs{list-style:none;margin:0;padding:0}ul.runs li{margin:2px 0}
        form.inline{display:inline}button{font:inherit;padding:4px 12px;border:1px solid #1d2330;background:#fff;border-radius:4px;cursor:pointer}
        button.danger{border-color:#b42318;color:#b42318}.actions{margin:12px 0}
        input{font:inherit;padding:3px 6px;border:1px solid #c9cdd6;border-radius:4px}
        code{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
        a{color:#175cd3;text-decoration:none}a:hover{text-decoration:underline}
        footer{margin-top:24px;color:#6b7280;font-size:12px}
        """
}
