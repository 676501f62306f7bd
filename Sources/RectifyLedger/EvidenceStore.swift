import Foundation
import Crypto
public import RectifyPostgres

/// Evidence files kept in PostgreSQL by their SHA-256, in chunks of 1 MiB; who uploaded each;
/// and who may read one: the office that uploaded it, and offices in scope of a submission that
/// cites it.
public struct EvidenceStore: Sendable {
    /// A file as stored.
    public struct File: Sendable, Hashable {
        public var sha256: String
        public var kind: EvidenceKind
        public var size: Int
    }

    /// Why a file was refused; nothing is stored then.
    public enum Refusal: Error, Sendable, Equatable {
        /// Not a PDF, JPEG, PNG, DOCX or XLSX by its content.
        case kind
        /// Over ``EvidenceKind/maximumFileBytes``, or empty.
        case size
    }

    static let chunkBytes = 1 << 20
    private let pool: PostgresPool

    /// Creates the store on a pool.
    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Stores `bytes` as a file `office` uploaded under `name`; a file already kept is not
    /// stored again. Returns the file.
    ///
    /// - Throws: ``Refusal`` for a file of another kind, an empty one or one over 20 MiB.
    public func store(_ bytes: [UInt8], name: String, office: Int64) async throws -> File {
        guard !bytes.isEmpty, bytes.count <= EvidenceKind.maximumFileBytes else { throw Refusal.size }
        guard let kind = EvidenceKind.of(bytes) else { throw Refusal.kind }
        let sha = Secrets.hex(Array(SHA256.hash(data: bytes)))
        try await pool.transaction { connection in
            let inserted = try await connection.query("""
                INSERT INTO rectify_evidence_files (sha256, media_type, size) VALUES (\(sha), \(kind.mediaType), \(bytes.count))
                ON CONFLICT (sha256) DO NOTHING
                """).affectedRows
            if inserted == 1 {
                var seq = 0
                for start in stride(from: 0, to: bytes.count, by: Self.chunkBytes) {
                    let chunk = bytes[start..<min(start + Self.chunkBytes, bytes.count)]
                    try await connection.query("""
                        INSERT INTO rectify_evidence_chunks (sha256, seq, data) VALUES (\(sha), \(seq), \(Secrets.hex(chunk, prefix: "\\x"))::bytea)
                        """)
                    seq += 1
                }
            }
            try await connection.query("""
                INSERT INTO rectify_evidence_uploads (office, sha256, name) VALUES (\(office), \(sha), \(name))
                ON CONFLICT (office, sha256) DO NOTHING
                """)
        }
        return File(sha256: sha, kind: kind, size: bytes.count)
    }

    /// The hashes among `hashes` that `office` did not upload, on the caller's connection.
    public static func notUploaded(_ hashes: [String], by office: Int64, on connection: PostgresConnection) async throws -> [String] {
        guard !hashes.isEmpty else { return [] }
        let found = Set(try await connection.query("""
            SELECT sha256 FROM rectify_evidence_uploads WHERE office = \(office) AND sha256 = ANY(\(hashes)::text[])
            """).map { try $0.decode(String.self, at: 0) })
        return hashes.filter { !found.contains($0) }
    }

    /// The file, if `region`'s or `unit`'s office `office` may read it: it uploaded it, or a
    /// submission citing it is for a task in its scope (`unrestricted` for ops).
    public func readable(_ sha256: String, office: Int64, region: String?, unit: String?, unrestricted: Bool = false) async throws -> File? {
        guard Secrets.isHex64(sha256) else { return nil }
        let rows = try await pool.query("""
            SELECT f.media_type, f.size FROM rectify_evidence_files f
            WHERE f.sha256 = \(sha256) AND (
                \(unrestricted)
                OR EXISTS (SELECT FROM rectify_evidence_uploads u WHERE u.sha256 = f.sha256 AND u.office = \(office))
                OR EXISTS (SELECT FROM rectify_progress_submissions s JOIN rectify_tasks t ON t.id = s.task
                           WHERE s.evidence @> jsonb_build_array(jsonb_build_object('sha256', f.sha256))
                             AND (t.lead_unit IN (SELECT unit FROM rectify_unit_scope WHERE region = \(region)::text)
                                  OR (t.lead_unit = \(unit)::text) IS TRUE)))
            """)
        guard let row = rows.first else { return nil }
        let (type, size) = try row.decode((String, Int).self)
        guard let kind = EvidenceKind.allCases.first(where: { $0.mediaType == type }) else { return nil }
        return File(sha256: sha256, kind: kind, size: size)
    }

    /// The file's bytes, one chunk of up to 1 MiB at a time, in order.
    public func chunks(_ sha256: String) -> AsyncThrowingStream<[UInt8], any Error> {
        let pool = self.pool
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var seq = 0
                    while true {
                        let rows = try await pool.query("""
                            SELECT encode(data, 'hex') FROM rectify_evidence_chunks WHERE sha256 = \(sha256) AND seq = \(seq)
                            """)
                        guard let hex = try rows.first?.decode(String.self, at: 0) else { break }
                        continuation.yield(Self.bytes(hex: hex))
                        seq += 1
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    static func bytes(hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for code in hex.utf8 {
            let value: UInt8 = code <= 57 ? code - 48 : code - 87
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes
    }
}
