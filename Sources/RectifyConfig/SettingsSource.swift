public import Foundation
import Yams

/// Where settings come from, lowest first: defaults, then the configuration file, then the
/// environment. (Each command's flags override the result.)
///
/// The file is `--config FILE`, else `RECTIFY_CONFIG`, else `/etc/rectify/rectify.yaml` when it
/// exists. Unknown keys and bad values are refused with the key and what it allows.
public enum SettingsSource {
    /// The configuration file used when none is named, if it exists.
    public static let defaultPath = "/etc/rectify/rectify.yaml"

    /// The settings for a command: `file` (or the default file), then the environment.
    public static func load(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Settings {
        var settings = Settings()
        if let path = path(file: file, environment: environment) { try apply(fileAt: path, to: &settings) }
        try apply(environment: environment, to: &settings)
        return settings
    }

    /// The configuration file to read: `file`, else `RECTIFY_CONFIG`, else ``defaultPath`` when it
    /// exists; `nil` when there is none.
    public static func path(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        file ?? environment["RECTIFY_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (FileManager.default.fileExists(atPath: defaultPath) ? defaultPath : nil)
    }

    /// Applies the settings in a YAML file; throws on the first unknown key or bad value.
    public static func apply(fileAt path: String, to settings: inout Settings) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SettingsError(location: path, message: "cannot be read (\((error as NSError).localizedDescription))")
        }
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw SettingsError(location: path, message: "is not valid YAML (\(Self.oneLine(error)))")
        }
        guard let document else { return }  // an empty file sets nothing
        guard let sections = document as? [String: Any] else {
            throw SettingsError(location: path, message: "must be a mapping of sections (database:, worker:, scheduler:, …)")
        }
        let keys = Dictionary(uniqueKeysWithValues: SettingKey.all.map { ($0.path, $0) })
        let knownSections = Set(SettingKey.all.map { String($0.path.prefix { $0 != "." }) }).sorted()
        for section in sections.keys.sorted() {
            guard knownSections.contains(section) else {
                throw SettingsError(
                    location: "\(path): \(section)", message: "unknown section (known: \(knownSections.joined(separator: ", ")))")
            }
            if sections[section] is NSNull { continue }  // a section with every key commented out
            guard let entries = sections[section] as? [String: Any] else {
                throw SettingsError(location: "\(path): \(section)", message: "must be a mapping of keys")
            }
            for name in entries.keys.sorted() {
                let dotted = "\(section).\(name)"
                guard let key = keys[dotted] else {
                    let known = SettingKey.all.map(\.path).filter { $0.hasPrefix(section + ".") }
                    throw SettingsError(location: "\(path): \(dotted)", message: "unknown key (known: \(known.joined(separator: ", ")))")
                }
                if let problem = key.apply(&settings, entries[name]!) {
                    throw SettingsError(location: "\(path): \(dotted)", message: problem)
                }
            }
        }
    }

    /// Applies `RECTIFY_…` variables (and `DATABASE_URL`); throws on the first bad value.
    public static func apply(environment: [String: String], to settings: inout Settings) throws {
        for key in SettingKey.all {
            guard let value = environment[key.environmentName], !value.isEmpty else { continue }
            if let problem = key.apply(&settings, value) {
                throw SettingsError(location: key.environmentName, message: problem)
            }
        }
    }

    private static func oneLine(_ error: any Error) -> String {
        "\(error)".split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
