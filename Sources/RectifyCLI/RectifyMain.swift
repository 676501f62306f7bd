import ArgumentParser
import RectifyCommands

/// The `rectify` executable: the commands, with rectify's own job kinds only.
@main
struct RectifyMain {
    static func main() async {
        await Rectify.main()
    }
}
