import ArgumentParser

/// `rectify task …`: the rectification tasks and their history. Each subcommand has its own file.
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "Look at rectification tasks.",
        subcommands: [TaskShowCommand.self])
}
