/// How the command line prints durations and latencies: seconds as a `Double`, microseconds as milliseconds with
/// two decimals.
public enum Figures {
    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    public static func milliseconds(_ micros: UInt64) -> Double { (Double(micros) / 10).rounded() / 100 }
}
