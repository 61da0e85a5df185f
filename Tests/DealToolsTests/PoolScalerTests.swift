import Testing

@testable import DealTools

/// The elastic pool's decisions, from the registry's status sampled once a second: no process, no clock.
struct PoolScalerTests {
    /// A case of the table: the pool, what the registry shows at each second, and the actions expected, by second.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        var settings = PoolScaler.Settings(
            minimum: 1, maximum: 3, queueThreshold: 10, sustain: .seconds(3), idleAfter: .seconds(5))
        /// The pool's size at the start (the minimum when nil).
        var size: Int?
        /// Checks waiting for a worker at each second.
        let queued: [Int]
        /// Whether the pool answered checks in each second; by default, in the seconds it had checks queued.
        var answering: [Bool]?
        /// Workers the registry knows at each second; by default, as many as the pool has (each starts at once).
        var ready: [Int]?
        let expected: [Int: PoolScaler.Action]

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "a queue above the threshold at every sample for the window adds a worker",
            queued: [60, 40, 50, 70], expected: [3: .add(queued: 40, over: .seconds(3))]),
        Case(name: "a brief spike adds none", queued: [50, 0, 50, 50, 0, 50, 0, 90, 90, 5], expected: [:]),
        Case(name: "a queue at the threshold is not above it", queued: Array(repeating: 10, count: 8), expected: [:]),
        Case(
            name: "each worker added needs a window of its own",
            queued: Array(repeating: 50, count: 9),
            expected: [3: .add(queued: 50, over: .seconds(3)), 7: .add(queued: 50, over: .seconds(3))]),
        Case(
            name: "a pool at its maximum adds none",
            settings: PoolScaler.Settings(minimum: 1, maximum: 2, queueThreshold: 10, sustain: .seconds(3)),
            queued: Array(repeating: 500, count: 20), expected: [3: .add(queued: 500, over: .seconds(3))]),
        Case(
            name: "a worker still starting holds the next until the registry sees it",
            queued: Array(repeating: 50, count: 10), ready: [1, 1, 1, 1, 1, 1, 2, 2, 2, 2],
            expected: [3: .add(queued: 50, over: .seconds(3)), 9: .add(queued: 50, over: .seconds(3))]),
        Case(
            name: "an idle pool retires one worker a sample down to its minimum, never below", size: 3,
            queued: Array(repeating: 0, count: 12),
            expected: [5: .retire(idle: .seconds(5)), 6: .retire(idle: .seconds(6))]),
        Case(
            name: "a pool that keeps answering keeps its workers", size: 3, queued: Array(repeating: 0, count: 12),
            answering: Array(repeating: true, count: 12), expected: [:]),
        Case(
            name: "a lull shorter than the interval retires none", size: 2, queued: Array(repeating: 0, count: 10),
            answering: [false, false, false, false, true, false, false, false, false, true], expected: [:]),
        Case(name: "a pool at its minimum retires none", queued: Array(repeating: 0, count: 12), expected: [:]),
    ]

    @Test(arguments: cases)
    func decidesFromTheSamples(_ table: Case) {
        let start = ContinuousClock.now
        var scaler = PoolScaler(settings: table.settings, size: table.size, startingAt: start)
        var answered: UInt64 = 1000
        var actions: [Int: PoolScaler.Action] = [:]
        for (second, queued) in table.queued.enumerated() {
            if table.answering?[second] ?? (queued > 0) { answered += 1 }
            let sample = PoolScaler.Sample(
                queued: queued, answered: answered, ready: table.ready?[second] ?? scaler.size)
            actions[second] = scaler.observe(sample, at: start.advanced(by: .seconds(second)))
        }
        #expect(actions == table.expected)
        #expect((table.settings.minimum...table.settings.maximum).contains(scaler.size))
    }

    @Test func aRetiringWorkerStillRunningHoldsTheNextRetirement() {
        let start = ContinuousClock.now
        var scaler = PoolScaler(
            settings: PoolScaler.Settings(minimum: 1, maximum: 3, idleAfter: .seconds(5)), size: 3, startingAt: start)
        let idle = PoolScaler.Sample(queued: 0, answered: 7, ready: 3)
        #expect(scaler.observe(idle, at: start.advanced(by: .seconds(5))) == .retire(idle: .seconds(5)))
        let leaving = PoolScaler.Sample(queued: 0, answered: 7, ready: 3, leaving: 1)
        #expect(scaler.observe(leaving, at: start.advanced(by: .seconds(6))) == nil)
        let gone = PoolScaler.Sample(queued: 0, answered: 7, ready: 2)
        #expect(scaler.observe(gone, at: start.advanced(by: .seconds(7))) == .retire(idle: .seconds(7)))
        #expect(scaler.size == 1)
    }

    @Test func aRegistryOutOfSightStartsBothWindowsAgain() {
        let start = ContinuousClock.now
        var scaler = PoolScaler(
            settings: PoolScaler.Settings(
                minimum: 1, maximum: 3, queueThreshold: 10, sustain: .seconds(3), idleAfter: .seconds(5)),
            size: 2, startingAt: start)
        let busy = PoolScaler.Sample(queued: 50, answered: 1, ready: 2)
        #expect(scaler.observe(busy, at: start) == nil)
        #expect(scaler.observe(busy, at: start.advanced(by: .seconds(2))) == nil)
        scaler.lostSight(at: start.advanced(by: .seconds(3)))
        #expect(scaler.observe(busy, at: start.advanced(by: .seconds(4))) == nil, "the queue's window starts again")
        let idle = PoolScaler.Sample(queued: 0, answered: 1, ready: 2)
        #expect(scaler.observe(idle, at: start.advanced(by: .seconds(8))) == nil, "active at 4 s: idle for 4 s")
        #expect(scaler.observe(idle, at: start.advanced(by: .seconds(9))) == .retire(idle: .seconds(5)))
    }

    @Test(arguments: [
        ("3", WorkerCount(minimum: 3, maximum: 3)), ("1..3", WorkerCount(minimum: 1, maximum: 3)),
        ("2..2", WorkerCount(minimum: 2, maximum: 2)),
    ])
    func readsAFixedOrElasticWorkerCount(_ text: String, _ count: WorkerCount) {
        #expect(WorkerCount(argument: text) == count)
    }

    @Test(arguments: ["0", "3..1", "0..2", "1..", "..3", "1...3", "two"])
    func refusesAWorkerCountWithoutAtLeastOneWorker(_ text: String) {
        #expect(WorkerCount(argument: text) == nil)
    }
}
