import ArgumentParser

struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "Act on rectification tasks.",
        subcommands: [TaskExtendCommand.self])
}
