import ArgumentParser

/// The tooling commands: the local cluster supervisor, and what exercises a cluster (the demo, load, chaos).
public enum ToolCommands {
    /// `dealreg up`, listed first.
    public static let cluster: [any ParsableCommand.Type] = [UpCommand.self]
    public static let exercises: [any ParsableCommand.Type] = [DemoCommand.self, LoadCommand.self, ChaosCommand.self]
}
