import Foundation
import Testing

/// Each table has one owning module: the module whose SQL creates it. Other modules go through
/// the owner's Swift API, or read the views and call the functions it publishes; naming another
/// module's table in `REFERENCES` (a foreign key, declared through the migrator's `follows`) is
/// allowed. Nothing but the owner writes, locks or alters a table or view.
///
/// The test reads every module's Swift sources, finds the tables, views and functions each
/// creates, and then every place a module names those of another.
@Suite("One owner per table")
struct TableOwnershipTests {
    /// Programs built only for the tests, which write the tables the tests make for them.
    static let testOnly: Set<String> = ["RectifyFaultWorker"]

    /// Views their owner keeps for itself: no other module reads them.
    static let internalViews: Set<String> = ["rectify_task_listing_source"]

    /// Public SQL text that stays, with why: the queue library's expression for its own users'
    /// statements sent along an enqueue (rectify's modules call `rectify_enqueued_job_id()`).
    static let publishedFragments: Set<String> = ["RectifyQueue.enqueuedJobID"]

    static var sources: URL { ReadmeLayoutTests.root.appendingPathComponent("Sources") }

    /// Every Swift file's text, by module, without comments (Swift's `//` and SQL's `--`),
    /// which may name any table.
    static func modules() throws -> [String: String] {
        var texts: [String: String] = [:]
        let manager = FileManager.default
        for module in try manager.contentsOfDirectory(atPath: sources.path).sorted() {
            let folder = sources.appendingPathComponent(module)
            guard let files = manager.enumerator(atPath: folder.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                let code = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
                    let trimmed = line.drop { $0 == " " }
                    if trimmed.hasPrefix("//") || trimmed.hasPrefix("--") { return "" }
                    return line.range(of: " -- ").map { line[..<$0.lowerBound] } ?? line
                }
                texts[module, default: ""] += code.joined(separator: "\n") + "\n"
            }
        }
        return texts
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        let expression = try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    @Test("a module's SQL names only its own tables, views other modules publish, and foreign keys")
    func ownership() throws {
        let modules = try Self.modules()
        var owners: [String: Set<String>] = [:]
        var views: Set<String> = []
        for (module, text) in modules {
            for name in Self.matches(#"CREATE\s+(?:TEMP\s+|TEMPORARY\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(rectify_[a-z0-9_]+)"#, in: text) {
                owners[name, default: []].insert(module)
            }
            for name in Self.matches(#"CREATE\s+(?:OR\s+REPLACE\s+)?(?:VIEW|FUNCTION)\s+(rectify_[a-z0-9_]+)"#, in: text) {
                owners[name, default: []].insert(module)
                if !Self.internalViews.contains(name) { views.insert(name) }
            }
        }
        #expect(owners.filter { $0.value.count > 1 }.isEmpty, "tables created by more than one module: \(owners.filter { $0.value.count > 1 })")
        #expect(owners["rectify_tasks"] == ["RectifyLedger"] && owners["rectify_jobs"] == ["RectifyQueue"], "the scan finds the schema")

        var found: Set<String> = []
        let write = #"(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|LOCK\s+TABLE|ALTER\s+(?:TABLE|VIEW))\s+(?:ONLY\s+)?(rectify_[a-z0-9_]+)"#
        for (module, text) in modules where !Self.testOnly.contains(module) {
            for name in Set(Self.matches(write, in: text)) {
                if let owner = owners[name]?.first, owner != module { found.insert("\(module) writes \(name) of \(owner)") }
            }
            let references = Set(Self.matches(#"REFERENCES\s+(rectify_[a-z0-9_]+)"#, in: text))
            for name in Set(Self.matches(#"\b(rectify_[a-z0-9_]+)\b"#, in: text)) {
                guard let owner = owners[name]?.first, owner != module, !views.contains(name) else { continue }
                // A name only ever used in foreign keys is a declared dependency, not a read.
                let uses = Self.matches(#"\b(\#(name))\b"#, in: text).count
                let asReference = Self.matches(#"REFERENCES\s+(\#(name))\b"#, in: text).count
                if references.contains(name) && uses == asReference { continue }
                found.insert("\(module) names \(name) of \(owner)")
            }
        }
        #expect(found.isEmpty, "go through the owner's API or a view it publishes:\n\(found.sorted().joined(separator: "\n"))")
    }

    @Test("no module publishes SQL text for others to paste into their statements")
    func noSharedFragments() throws {
        var shared: Set<String> = []
        let constant = try NSRegularExpression(
            pattern: #"(?:public|package)\s+(?:static\s+)?(?:let|var)\s+(\w+)\s*(?::\s*String\s*)?=\s*(\"\"\".*?\"\"\"|\"[^\"\n]*\")"#,
            options: [.dotMatchesLineSeparators])
        // SQL as this code base writes it: upper-case keywords, or a sequence function, on a table.
        let sql = try NSRegularExpression(pattern: #"\b(SELECT|FROM|WHERE|JOIN|currval|nextval)\b[^\n]*rectify_"#, options: [])
        for (module, text) in try Self.modules() {
            for match in constant.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let name = String(text[Range(match.range(at: 1), in: text)!])
                let value = String(text[Range(match.range(at: 2), in: text)!])
                if name.hasSuffix("SQL") || sql.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil {
                    shared.insert("\(module).\(name)")
                }
            }
        }
        let unexpected = shared.subtracting(Self.publishedFragments).sorted()
        #expect(unexpected.isEmpty, "publish a view or a Swift API instead: \(unexpected)")
        #expect(shared.isSuperset(of: Self.publishedFragments), "the scan finds the queue's enqueued-job expression")
    }
}

/// The README's module table says what Package.swift says.
@Suite("The README's layout")
struct ReadmeLayoutTests {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Each non-test target of Package.swift and the Rectify targets (and CLibPQ) it depends on.
    static func packageGraph() throws -> [String: Set<String>] {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var graph: [String: Set<String>] = [:]
        let target = try NSRegularExpression(
            pattern: #"\.(target|executableTarget|systemLibrary)\(\s*(?://[^\n]*\n\s*)*name: "(\w+)",\s*(?:dependencies: \[(.*?)\])?"#,
            options: [.dotMatchesLineSeparators])
        for match in target.matches(in: manifest, range: NSRange(manifest.startIndex..., in: manifest)) {
            let name = String(manifest[Range(match.range(at: 2), in: manifest)!])
            let dependencies = Range(match.range(at: 3), in: manifest).map { String(manifest[$0]) } ?? ""
            graph[name] = Set(TableOwnershipTests.matches(#""(Rectify\w+|CLibPQ)""#, in: dependencies))
        }
        return graph
    }

    /// The README's "Layout" table: each target and the targets its "calls" column names.
    static func readmeGraph() throws -> [String: Set<String>] {
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = readme.components(separatedBy: "## Layout").dropFirst().first ?? ""
        var graph: [String: Set<String>] = [:]
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3 else { continue }
            let name = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            let calls = cells[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            graph[name] = Set(calls.map { $0 == "CLibPQ" ? $0 : "Rectify" + $0 })
        }
        return graph
    }

    @Test("every target is in the table, with the targets it depends on")
    func graphsAgree() throws {
        let package = try Self.packageGraph()
        let readme = try Self.readmeGraph()
        #expect(package.count > 10, "the manifest was read")
        #expect(Set(readme.keys) == Set(package.keys), "targets: README \(readme.keys.sorted()), Package.swift \(package.keys.sorted())")
        for (name, dependencies) in package.sorted(by: { $0.key < $1.key }) {
            #expect(readme[name] == dependencies, "\(name): README says \(readme[name]?.sorted() ?? []), Package.swift \(dependencies.sorted())")
        }
    }
}
