import Foundation
import Hummingbird
import RectifyProgress
import RectifyReports

extension APIRoutes {
    func registerInbox(on group: RouterGroup<APIRequestContext>, routes: RouteRegistry) {
        let inbox = OfficeInbox(pool: pool)
        group.get(routes.add(.get, "/v1/notifications")) { request, context in
            let office = try context.requireOffice()
            let unread = try Self.boolean(request, "unread") ?? false
            let limit = try Self.integer(request, "limit", in: 1...200, default: 50)
            let before = try request.uri.queryParameters["before"].map { text -> Int64 in
                guard let id = Int64(String(text)), id > 0 else {
                    throw APIError(.badRequest, "invalid_field", "before must be a notification id", field: "before")
                }
                return id
            }
            let notes = try await inbox.list(for: office, unreadOnly: unread, limit: limit, before: before)
            let items: [[String: Any]] = notes.map { note in
                [
                    "id": note.id, "kind": note.kind, "period": note.period, "level": note.level ?? NSNull(),
                    "unit": note.unit ?? NSNull(), "unit_name": note.unitName ?? NSNull(),
                    "tasks": (try? JSONSerialization.jsonObject(with: Data(note.tasksJSON.utf8))) ?? [],
                    "created_at": Self.iso8601(note.createdAt), "read": note.read,
                ]
            }
            return try Self.json(object: ["notifications": items, "next_before": notes.count == limit ? notes.last.map { $0.id as Any } ?? NSNull() : NSNull()])
        }
        group.post(routes.add(.post, "/v1/notifications/{id}/read")) { _, context in
            let office = try context.requireOffice()
            let id = try Self.id(context)
            try await inbox.markRead(id, for: office)
            return try Self.json(object: ["id": id, "read": true])
        }
    }
}
