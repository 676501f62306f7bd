import ArgumentParser

/// `rectify task …`: the rectification tasks and their history. Each subcommand has its own file.
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task", abstract: "Look at rectification tasks and record the province's decisions on them.",
        subcommands: [TaskShowCommand.self, TaskExtendCommand.self])
}
