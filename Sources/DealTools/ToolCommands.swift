import ArgumentParser

/// The tooling commands: the local cluster supervisor and the move of its stores, and what exercises a cluster (the
/// demo, load, chaos).
public enum ToolCommands {
    /// `dealreg up` listed first, then `dealreg store`.
    public static let cluster: [any ParsableCommand.Type] = [UpCommand.self, StoreCommand.self]
    public static let exercises: [any ParsableCommand.Type] = [DemoCommand.self, LoadCommand.self, ChaosCommand.self]
}
