public import ArgumentParser

/// `rectify`: the job queue and workers of the rectification programme. The `rectify`
/// executable runs it (`Sources/RectifyCLI`); so does the fault suite's worker, with job kinds
/// of its own (``JobKinds/additional``).
public struct Rectify: AsyncParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "rectify",
        abstract: "PostgreSQL-backed job queue and workers for the inspection-rectification programme.",
        discussion: """
            Every verb takes --database-url (else DATABASE_URL, else database.url in the configuration \
            file, else the embedded local cluster that rectify starts itself in RECTIFY_HOME), and \
            --config FILE (else RECTIFY_CONFIG, else /etc/rectify/rectify.yaml if it exists).
            """,
        subcommands: [
            DemoCommand.self, MigrateCommand.self, ImportCommand.self, WorkCommand.self, ScheduleCommand.self, ServeCommand.self,
            EnqueueCommand.self, QueueCommand.self, ReportCommand.self, TaskCommand.self, OfficeCommand.self, UserCommand.self, ConfigCommand.self, BenchCommand.self,
        ]
    )
}
