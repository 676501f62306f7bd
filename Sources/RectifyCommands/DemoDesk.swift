import Foundation
import Logging
import RectifyAccounts
import RectifyAPI
import RectifyConfig
import RectifyLedger
import RectifyPostgres
import RectifyQueue
import RectifySchedule
import RectifyWorker
import ServiceLifecycle

/// The demo's people on the desk, one per kind of office, each with a password made anew on
/// every run and shown once; and the desk served with workers until Ctrl-C (`--serve`).
enum DemoDesk {
    /// A demo person and the password made for this run.
    struct Account {
        var role: String
        var name: String
        var office: String
        var login: String
        var password: String
    }

    /// Who the demo signs in as: the province, a city, a county, and ops.
    private static let people: [(region: String?, role: String, name: String, login: String)] = [
        ("130000", "province", "赵敏", "province"),
        ("130100", "city", "钱磊", "shijiazhuang"),
        ("130126", "county", "孙丽", "lingshou"),
        (nil, "ops", "李强", "ops"),
    ]

    /// Creates the demo people (and the ops office) once, and gives each a new password.
    static func accounts(pool: PostgresPool) async throws -> [Account] {
        let offices = OfficeRegistry(pool: pool)
        var byRegion: [String: Office] = [:]
        var ops: Office?
        for office in try await offices.list() {
            if let region = office.region { byRegion[region] = byRegion[region] ?? office } else if office.isOps { ops = ops ?? office }
        }
        if ops == nil { ops = try await offices.add(region: nil, name: "运维值班室", role: Office.opsRole).office }
        let registry = PeopleRegistry(pool: pool)
        let existing = try await registry.list()
        var accounts: [Account] = []
        for person in people {
            guard let office = person.region.map({ byRegion[$0] }) ?? ops else { continue }
            let link: String
            if let found = existing.first(where: { $0.login == person.login && $0.disabledAt == nil }) {
                link = try await registry.newLink(person: found.id)
            } else {
                link = try await registry.add(office: office.id, name: person.name, login: person.login).linkSecret
            }
            let password = newPassword()
            try await registry.setPassword(link: link, password: password)
            accounts.append(Account(role: person.role, name: person.name, office: office.name, login: person.login, password: password))
        }
        return accounts
    }

    /// Prints where the desk is and how to sign in.
    static func printAccounts(_ accounts: [Account], url: String, serving: Bool) {
        print("desk     \(url)/desk/signin" + (serving ? "" : "  (rectify demo --serve keeps it running)"))
        for account in accounts {
            print("  \(account.role.padding(toLength: 9, withPad: " ", startingAt: 0)) \(account.login.padding(toLength: 13, withPad: " ", startingAt: 0)) "
                + "\(account.password)  \(account.name), \(account.office)")
        }
        print("         passwords are made anew on every run and shown only here")
        fflush(nil)  // seen at once also when the output goes to a pipe or a file
    }

    /// Serves the desk and the API on `settings`' address with workers beside it, until SIGINT or SIGTERM.
    static func serve(pool: PostgresPool, settings: Settings, api: APIServer.Settings, logger: Logger) async throws {
        var registry = JobRegistry()
        JobKinds.register(into: &registry)
        let worker = Worker(pool: pool, registry: registry, configuration: settings.worker, logger: logger)
        let application = APIServer.application(pool: pool, settings: api, logger: logger) { port in
            print("serving  http://\(api.host):\(port)/desk/signin until Ctrl-C")
            fflush(nil)
        }
        try await ServiceRun.untilSignalled([application, worker], logger: logger)
    }

    /// 12 letters and digits in three groups (no 0/O, 1/l/I): readable aloud, 60 bits.
    private static func newPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        let characters = (0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return [0, 4, 8].map { String(characters[$0..<($0 + 4)]) }.joined(separator: "-")
    }
}
