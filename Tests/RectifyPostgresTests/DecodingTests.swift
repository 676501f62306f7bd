import Foundation
import RectifyPostgres
import RectifyTesting
import Testing

@Suite("Decoding rows from a real server", .database)
struct DecodingTests {
    @Test("integers, text, bool, double, timestamps, dates, UUID, JSON and arrays decode to Swift types")
    func decodesEachType() async throws {
        let database = try await TestDatabase.fresh("decoding")
        try await database.withPool { pool in
            let row = try #require(try await pool.query("""
                SELECT 42::int2, 70000::int4, 9000000000::int8, 'héllo'::text, true, 2.5::float8,
                       '2026-11-23 07:44:01.123456+08'::timestamptz, '2026-02-28'::date,
                       'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{"region": "130000", "count": 3}'::jsonb,
                       ARRAY[1, 2, 3]::int8[], ARRAY['a b', NULL, 'c"d']::text[], 12.75::numeric
                """).first)
            #expect(try row.decode(Int16.self, at: 0) == 42)
            #expect(try row.decode(Int32.self, at: 1) == 70000)
            #expect(try row.decode(Int64.self, at: 2) == 9_000_000_000)
            #expect(try row.decode(String.self, at: 3) == "héllo")
            #expect(try row.decode(Bool.self, at: 4) == true)
            #expect(try row.decode(Double.self, at: 5) == 2.5)
            let timestamp = try row.decode(Date.self, at: 6)
            #expect(abs(timestamp.timeIntervalSince1970 - 1_795_391_041.123456) < 0.000001)
            #expect(try row.decode(Date.self, at: 7) == Date(timeIntervalSince1970: 1_772_236_800))
            #expect(try row.decode(UUID.self, at: 8) == UUID(uuidString: "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"))
            struct Counted: Codable, Sendable, Equatable { var region: String; var count: Int }
            #expect(try row.decode(PostgresJSON<Counted>.self, at: 9).value == Counted(region: "130000", count: 3))
            #expect(try row.decode([Int].self, at: 10) == [1, 2, 3])
            #expect(try row.decode([String?].self, at: 11) == ["a b", nil, "c\"d"])
            #expect(try row.decode(Double.self, at: 12) == 12.75)
        }
    }

    @Test("bound parameters round-trip every bindable type, including NULL")
    func bindsRoundTrip() async throws {
        let database = try await TestDatabase.fresh("binds")
        try await database.withPool { pool in
            let moment = Date(timeIntervalSince1970: 1_795_391_041.5)
            let id = UUID()
            let missing: String? = nil
            let row = try #require(try await pool.query("""
                SELECT \(7)::int8, \("it's \"quoted\" \\ text"), \(false), \(0.125), \(moment), \(id),
                       \(missing), \([3, 1, 2])::int8[], \(["x", "y,z"])::text[]
                """).first)
            #expect(try row.decode(Int.self, at: 0) == 7)
            #expect(try row.decode(String.self, at: 1) == "it's \"quoted\" \\ text")
            #expect(try row.decode(Bool.self, at: 2) == false)
            #expect(try row.decode(Double.self, at: 3) == 0.125)
            #expect(try row.decode(Date.self, at: 4) == moment)
            #expect(try row.decode(UUID.self, at: 5) == id)
            #expect(try row.decode(String?.self, at: 6) == nil)
            #expect(try row.decode([Int].self, at: 7) == [3, 1, 2])
            #expect(try row.decode([String].self, at: 8) == ["x", "y,z"])
        }
    }

    @Test("NULL decodes as nil for optionals and is an error naming the column otherwise")
    func nulls() async throws {
        let database = try await TestDatabase.fresh("nulls")
        try await database.withPool { pool in
            let row = try #require(try await pool.query("SELECT NULL::int8 AS deadline_days").first)
            #expect(try row.decode(Int?.self, at: 0) == nil)
            let error = try #require(throws: PostgresError.self) { try row.decode(Int.self, at: 0) }
            #expect(error.code == .decoding)
            #expect(error.description.contains("deadline_days"))
            #expect(error.description.contains("NULL"))
        }
    }

    @Test("a column whose type does not match names the column, its type and the Swift type")
    func typeMismatch() async throws {
        let database = try await TestDatabase.fresh("mismatch")
        try await database.withPool { pool in
            let row = try #require(try await pool.query("SELECT 'CEI2-HE-001'::text AS task").first)
            let error = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: "task") }
            #expect(error.description == "column \"task\" (index 0) has type text, which cannot be decoded as Int")
        }
    }
}
