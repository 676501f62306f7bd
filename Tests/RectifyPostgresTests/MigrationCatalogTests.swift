import RectifyPostgres
import Testing

@Suite("The migration catalog")
struct MigrationCatalogTests {
    private func migrator(_ component: String, follows: [String] = []) -> Migrator {
        Migrator(component: component, follows: follows, migrations: [Migration(version: 2, name: "b", sql: ""), Migration(version: 1, name: "a", sql: "")])
    }

    @Test("each component runs after the ones it follows; the rest keep the order given")
    func order() {
        let catalog = MigrationCatalog([
            migrator("reports", follows: ["ledger", "progress"]), migrator("queue"), migrator("progress", follows: ["ledger"]),
            migrator("ledger"),
        ])
        #expect(catalog.migrators.map(\.component) == ["queue", "ledger", "progress", "reports"])
        #expect(catalog.expectedVersions == ["queue": 2, "ledger": 2, "progress": 2, "reports": 2])
    }
}
