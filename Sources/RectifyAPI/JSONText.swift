import RectifyDomain

/// The JSON of the hottest answer, a page of tasks, put together from the objects PostgreSQL
/// wrote for each task (see ``RectifyProgress/TaskDirectory/list(_:by:)``): Foundation's
/// `JSONEncoder` and decoding every column spent most of that request's CPU (BENCHMARKS.md).
enum JSONText {
    /// A page of tasks as `{"next_after": …, "tasks": [{…}, …]}`, keys in sorted order like the
    /// other answers.
    static func taskPage(_ tasks: [String], nextAfter: String?) -> String {
        var text = "{\"next_after\":"
        text.reserveCapacity(tasks.reduce(64) { $0 + $1.utf8.count + 1 })
        text += nextAfter.map(JSONObjectText.quoted) ?? "null"
        text += ",\"tasks\":["
        text += tasks.joined(separator: ",")
        text += "]}"
        return text
    }
}
