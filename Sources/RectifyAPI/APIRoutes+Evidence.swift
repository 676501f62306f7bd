import Foundation
import Hummingbird
import RectifyDomain
import NIOCore
import RectifyLedger

/// Evidence files through the API: an office uploads a file (its SHA-256 comes back, for a
/// submission to cite) and reads one it may see. Files are told by their content, kept by
/// their SHA-256 and streamed back in chunks.
extension APIRoutes {
    func registerEvidence(on group: RouterGroup<APIRequestContext>, routes: RouteRegistry) {
        let store = EvidenceStore(pool: pool)
        group.post(routes.add(.post, "/v1/evidence")) { request, context in
            let office = try context.requireOffice()
            let name = try Self.evidenceName(request.uri.queryParameters["name"].map(String.init))
            var request = request
            let buffer = try await request.collectBody(upTo: EvidenceKind.maximumFileBytes)
            let file: EvidenceStore.File
            do {
                file = try await store.store(Array(buffer.readableBytesView), name: name, office: office.id)
            } catch EvidenceStore.Refusal.kind {
                throw APIError(
                    .unsupportedMediaType, "unsupported_evidence", "evidence must be a PDF, JPEG, PNG, DOCX or XLSX file, told by its content")
            } catch EvidenceStore.Refusal.size {
                throw APIError(.badRequest, "invalid_field", "the file is empty", field: "body")
            }
            return try Self.json(
                EvidenceAnswer(sha256: file.sha256, name: name, mediaType: file.kind.mediaType, size: file.size), status: .created,
                headers: [.location: "/v1/evidence/\(file.sha256)"])
        }
        group.get(routes.add(.get, "/v1/evidence/{sha256}")) { _, context in
            let office = try context.requireOffice()
            let sha = context.parameters.get("sha256") ?? ""
            guard let file = try await store.readable(
                sha, office: office.id, region: office.region, unit: office.unit, unrestricted: office.isOps)
            else { throw APIError(.notFound, "not_found", "no evidence \(sha) this office may read") }
            return Self.evidenceResponse(file, store: store)
        }
    }

    /// An evidence file's name: 1–200 characters, no control characters, no path.
    static func evidenceName(_ name: String?) throws -> String {
        guard let name, (1...200).contains(name.count) else {
            throw APIError(.badRequest, "invalid_field", "name the file with ?name=, 1 to 200 characters", field: "name")
        }
        guard !ControlCharacters.contained(in: name), !name.contains("/"), !name.contains("\\") else {
            throw APIError(.unprocessableContent, "control_character", "the name may hold no control character and no path", field: "name")
        }
        return name
    }

    /// A file streamed from the database as it is read, chunk by chunk.
    static func evidenceResponse(_ file: EvidenceStore.File, store: EvidenceStore) -> Response {
        let body = store.chunks(file.sha256).map { ByteBuffer(bytes: $0) }
        return Response(
            status: .ok,
            headers: [.contentType: file.kind.mediaType, .contentLength: "\(file.size)", .cacheControl: "private, max-age=3600",
                      .contentDisposition: "attachment; filename=\"\(file.sha256.prefix(12)).\(file.kind.rawValue)\""],
            body: ResponseBody(asyncSequence: body))
    }
}

/// The answer to an upload.
struct EvidenceAnswer: Encodable {
    var sha256: String
    var name: String
    var mediaType: String
    var size: Int

    enum CodingKeys: String, CodingKey {
        case sha256, name, size
        case mediaType = "media_type"
    }
}
