import NIOCore
import NIOPosix
import QuartermasterCommands

/// The `quartermaster` executable: everything lives in `QuartermasterCommands`.
@main
struct Quartermaster {
    static func main() async {
        // Swift concurrency runs its jobs on NIO's event loops, so a request handler and the
        // socket it answers on share a thread instead of handing off between two pools
        // (docs/PERFORMANCE.md, fourth pass). No task may block its thread: blocking storage
        // work (the SQLite audit and lease commits) runs on dispatch queues of its own.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await QuartermasterCommand.main()
    }
}
