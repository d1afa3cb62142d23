import QuartermasterCommands

/// The `quartermaster` executable: everything lives in `QuartermasterCommands`.
@main
struct Quartermaster {
    static func main() async {
        await QuartermasterCommand.main()
    }
}
