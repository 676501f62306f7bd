import ArgumentParser
import RectifyConfig
import Foundation

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check a configuration file, or show the settings in effect.",
        subcommands: [Check.self, Show.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a configuration file: every key known, every value allowed.",
            discussion: "Exits 0 and says the file is valid; otherwise prints one line naming the key and what it allows.")

        @Argument(help: "The file (default: RECTIFY_CONFIG, else /etc/rectify/rectify.yaml).") var file: String?

        func run() async throws {
            guard let path = SettingsSource.path(file: file) else {
                throw CommandError("no configuration file given, RECTIFY_CONFIG is unset and \(SettingsSource.defaultPath) does not exist")
            }
            var settings = Settings()
            do {
                try SettingsSource.apply(fileAt: path, to: &settings)
            } catch let error as SettingsError {
                throw CommandError("\(error)")
            }
            try PeriodicEntryKinds.check(settings)
            print("\(path): valid")
        }
    }
}

extension ConfigCommand {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting as this command line would use it (defaults, file, environment, flags).",
            discussion: "Passwords are shown as ***.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            var settings = try database.settings()
            if let url = database.databaseURL { settings.databaseURL = url }
            for key in SettingKey.all {
                print("\(key.path): \(key.show(settings))")
            }
        }
    }
}
