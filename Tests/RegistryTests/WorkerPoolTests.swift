import Testing

@testable import Registry

/// The credit a worker holds never exceeds what it announced, whatever it answers.
struct WorkerPoolTests {
    @Test func onlyAnAnswerToAHeldCheckGivesCreditBack() {
        var pool = WorkerPool()
        let now = ContinuousClock.now
        let worker: [UInt8] = [1]
        _ = pool.ready(worker, name: "w", capacity: 2, watermark: 0, at: now)
        for check in [10, 11, 12] as [UInt64] { pool.enqueue(check) }
        let first = pool.nextAssignment()
        let second = pool.nextAssignment()
        let third = pool.nextAssignment()
        #expect(first?.check == 10 && second?.check == 11)
        #expect(third == nil, "no credit left")
        let madeUp = pool.answered(worker, check: 99, at: now)
        #expect(!madeUp, "a made-up check id")
        #expect(pool.workers[worker]?.credit == 0)
        let answered = pool.answered(worker, check: 10, at: now)
        let twice = pool.answered(worker, check: 10, at: now)
        #expect(answered && !twice, "the same answer twice earns once")
        #expect(pool.workers[worker]?.credit == 1)
        // Announced afresh: full credit, and the check it held comes back to be queued again; its late answer
        // earns nothing.
        let requeued = pool.ready(worker, name: "w", capacity: 2, watermark: 0, at: now)
        let late = pool.answered(worker, check: 11, at: now)
        #expect(requeued == [11] && !late)
        #expect(pool.workers[worker]?.credit == 2)
    }
}
