import RectifyDomain
import RectifyProgress

/// Writes JSON by hand for the hottest answer, a page of tasks: Foundation's `JSONEncoder`
/// spent most of that request's CPU boxing, hashing and sorting keys (see BENCHMARKS.md).
struct JSONText {
    private(set) var text = ""

    init(capacity: Int) {
        text.reserveCapacity(capacity)
    }

    mutating func raw(_ fragment: String) { text += fragment }

    mutating func string(_ value: String) { text += JSONObjectText.quoted(value) }

    mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { text += "null" }
    }

    /// A page of tasks as `{"next_after": …, "tasks": [{…}, …]}`, keys in sorted order like the
    /// other answers.
    static func taskPage(_ tasks: [TaskDirectory.Summary], nextAfter: String?) -> String {
        var json = JSONText(capacity: 400 * tasks.count + 64)
        json.raw("{\"next_after\":")
        json.optionalString(nextAfter)
        json.raw(",\"tasks\":[")
        for (index, task) in tasks.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw("{\"category\":")
            json.string(task.category)
            json.raw(",\"closed_on\":")
            json.optionalString(task.closedOn)
            json.raw(",\"deadline\":")
            json.string(task.deadline)
            json.raw(",\"id\":")
            json.string(task.id)
            json.raw(",\"lead_unit\":")
            json.string(task.leadUnit)
            json.raw(",\"lead_unit_name\":")
            json.string(task.leadUnitName)
            json.raw(",\"overdue\":" + (task.overdue ? "true" : "false"))
            json.raw(",\"progress\":\(task.progress)")
            json.raw(",\"region\":")
            json.string(task.region)
            json.raw(",\"region_name\":")
            json.string(task.regionName)
            json.raw(",\"round\":")
            json.string(task.round)
            json.raw(",\"status\":")
            json.string(task.status)
            json.raw(",\"title\":")
            json.string(task.title)
            json.raw("}")
        }
        json.raw("]}")
        return json.text
    }
}
