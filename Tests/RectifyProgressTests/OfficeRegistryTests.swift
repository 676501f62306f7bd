import Foundation
import RectifyDomain
import RectifyLedger
import RectifyProgress
import RectifyPostgres
import RectifyTesting
import Testing

@Suite("Offices and their tokens", .database)
struct OfficeRegistryTests {
    @Test("an office takes its region's level, its token works until revoked, and only a hash is stored")
    func lifecycle() async throws {
        let database = try await TestDatabase.fresh("offices")
        try await database.withPool { pool in
            let ledger = #"""
                {"format": "rectify-ledger/1", "regions": [
                  {"code": "130000", "name": "Hebei", "level": "province", "parent": null},
                  {"code": "130100", "name": "Shijiazhuang", "level": "city", "parent": "130000"}]}
                """#
            _ = try await LedgerImporter(pool: pool, logger: TestLogging.logger).importLedger(try LedgerReader.read(Data(ledger.utf8)))
            let registry = OfficeRegistry(pool: pool)

            let (office, token) = try await registry.add(region: "130100", name: "Shijiazhuang Rectification Office", role: nil)
            #expect(office.role == "city")
            #expect(token.hasPrefix("rct_") && token.count == 68)
            #expect(try await registry.office(forToken: token)?.id == office.id)
            #expect(try await registry.office(forToken: token + "x") == nil)
            let plaintext = try await pool.query("SELECT count(*) FROM rectify_offices WHERE position(convert_to(\(token), 'UTF8') IN token_hash) > 0")
            #expect(try plaintext[0].decode(Int.self, at: 0) == 0, "the token itself is never stored")

            let mismatch = try await #require(throws: OfficeError.self) {
                try await registry.add(region: "130100", name: "X", role: "county")
            }
            #expect(mismatch.message == "region 130100 is a city; --role county does not match it")
            // An unknown role is named first, whatever else is missing.
            let badRole = try await #require(throws: OfficeError.self) { try await registry.add(region: nil, name: "X", role: "admin") }
            #expect(badRole.message == "--role admin is not county, city, province or ops")
            let unknown = try await #require(throws: OfficeError.self) { try await registry.add(region: "999999", name: "X", role: nil) }
            #expect(unknown.message.hasPrefix("region 999999 is not in the ledger"))

            #expect(try await registry.revoke(id: office.id).revokedAt != nil)
            #expect(try await registry.office(forToken: token) == nil)
            await #expect(throws: OfficeError.self) { try await registry.revoke(id: office.id) }
            #expect(try await registry.list().count == 1)
        }
    }
}
