import Foundation
import RectifyDomain
import RectifyLedger
import RectifyProgress
import RectifyReports

/// The progress form of a task's page (报送进展): what it asks, and how its fields become a
/// submission through the same rules as `POST /v1/progress`.
enum DeskProgressForm {
    /// A field the person filled in wrongly, said in their language.
    struct Invalid: Error {
        var message: String
    }

    /// The form for a task that is `current` at `progress`, reporting for one of `periods`;
    /// `values` refills what the person typed after a refusal.
    static func render(
        task: String, current: TaskStatus, progress: Int, periods: [Period], values: [String: String], csrf: String,
        language l: DeskLanguage
    ) -> String {
        let e = HTMLText.escape
        let chosenPeriod = values["period"] ?? periods[0].description
        let periodOptions = periods.map { period in
            "<option value=\"\(period)\"\(period.description == chosenPeriod ? " selected" : "")>\(l.period(period))</option>"
        }.joined()
        let chosenStatus = values["status"] ?? (current == .notStarted ? TaskStatus.inProgress.rawValue : current.rawValue)
        let statuses: [TaskStatus] = [.inProgress, .pendingAcceptance]
        let statusOptions = statuses.map { status in
            "<option value=\"\(status.rawValue)\"\(status.rawValue == chosenStatus ? " selected" : "")>\(l.status(status))</option>"
        }.joined()
        let content = """
            <label for="period">\(l.t("报送月份", "Month reported"))</label><select id="period" name="period">\(periodOptions)</select>
            <label for="progress">\(l.t("完成进度（%）", "Progress (%)"))</label>
            <input id="progress" name="progress" type="number" min="0" max="100" step="1" inputmode="numeric" required value="\(e(values["progress"] ?? "\(progress)"))">
            <label for="status">\(l.t("状态", "Status"))</label><select id="status" name="status">\(statusOptions)</select>
            <p class="muted">\(l.t("整改完成后选择“待验收”，由省整改办验收。", "Choose “pending acceptance” once the work is done; the province then checks it."))</p>
            <label for="summary">\(l.t("进展情况", "What was done"))</label>
            <textarea id="summary" name="summary" maxlength="4000" required>\(e(values["summary"] ?? ""))</textarea>
            <label for="evidence">\(l.t("佐证材料（PDF、JPG、PNG、DOCX、XLSX，每个不超过 20 MB，合计不超过 100 MB）",
                                        "Evidence (PDF, JPG, PNG, DOCX, XLSX; 20 MB a file, 100 MB in all)"))</label>
            <input id="evidence" name="evidence" type="file" multiple accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf,image/jpeg,image/png">
            <p><button>\(l.t("报送进展", "Send progress"))</button></p>
            """
        return "<section id=\"report\"><h2>\(l.t("报送进展", "Report progress"))</h2>"
            + DeskLayout.form(
                action: "/desk/tasks/\(DeskForm.encode(task))/progress", csrf: csrf, attributes: " enctype=\"multipart/form-data\"",
                content: content) + "</section>"
    }

    /// The submission the form's fields make, with a fresh submission id.
    ///
    /// - Throws: ``Invalid`` naming the field that is missing or wrong.
    static func submission(task: String, fields: [String: String], language l: DeskLanguage) throws -> ProgressSubmission {
        guard let period = fields["period"].flatMap(Period.init) else {
            throw Invalid(message: l.t("请选择报送月份。", "Choose the month reported."))
        }
        guard let text = fields["progress"]?.trimmingCharacters(in: .whitespaces), let progress = Int(text), (0...100).contains(progress) else {
            throw Invalid(message: l.t("完成进度应为 0 到 100 的整数。", "Progress must be a whole number from 0 to 100."))
        }
        guard let status = fields["status"].flatMap(TaskStatus.init(rawValue:)), status == .inProgress || status == .pendingAcceptance else {
            throw Invalid(message: l.t("请选择状态。", "Choose a status."))
        }
        let summary = (fields["summary"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !summary.isEmpty, summary.count <= 4000 else {
            throw Invalid(message: l.t("请填写进展情况（不超过 4000 字）。", "Say what was done (at most 4,000 characters)."))
        }
        guard !ControlCharacters.contained(in: summary, lineBreaks: true) else {
            throw Invalid(message: l.t("进展情况含有不可见的控制字符，请删除后再报送。", "What was done holds a control character; remove it."))
        }
        return ProgressSubmission(
            submissionID: "desk-" + UUID().uuidString.lowercased(), task: task, period: period, progress: progress, status: status,
            summary: summary)
    }

    /// Keeps the form's files as the office's evidence, each checked by its content.
    ///
    /// - Throws: ``Invalid`` naming a file that is not a PDF, JPEG, PNG, DOCX or XLSX.
    static func store(
        _ uploads: [DeskMultipart.Upload], office: Int64, store: EvidenceStore, language l: DeskLanguage
    ) async throws -> [ProgressSubmission.Evidence] {
        var evidence: [ProgressSubmission.Evidence] = []
        for upload in uploads.prefix(50) {
            let name = String(upload.filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "file").prefix(200)
            guard !ControlCharacters.contained(in: String(name)) else { throw Invalid(message: l.t("文件名含有控制字符。", "A file name holds a control character.")) }
            do {
                let file = try await store.store(upload.bytes, name: String(name), office: office)
                evidence.append(ProgressSubmission.Evidence(name: String(name), sha256: file.sha256))
            } catch is EvidenceStore.Refusal {
                throw Invalid(message: l.t("“\(name)”不是 PDF、JPEG、PNG、DOCX 或 XLSX 文件。", "“\(name)” is not a PDF, JPEG, PNG, DOCX or XLSX file."))
            }
        }
        return evidence
    }

    /// A refusal of the progress rules, in the person's language.
    static func explain(_ error: ProgressError, language l: DeskLanguage) -> String {
        switch error.code {
        case .periodInFuture: l.t("该月份尚未开始。", "That month has not begun.")
        case .periodBeforeFeedback: l.t("该月份早于本轮督察反馈，无需报送。", "That month is before the round's feedback.")
        case .progressBelowAccepted: l.t("完成进度不能低于省里已验收的进度。", "Progress cannot be below what the province accepted.")
        case .transitionForbidden: l.t("该任务当前状态下不能这样更改。", "The task's status does not allow this change.")
        case .outOfScope: l.t("该任务不在本单位的范围内。", "The task is outside your office's scope.")
        default: error.message
        }
    }
}
