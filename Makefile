# The two quick-start commands are `make run` and `make test`; each installs what is missing first.
DATA ?= $(HOME)/.dealreg
WORKERS ?= 2
SWIFT_FLAGS ?= --explicit-target-dependency-import-check error

.PHONY: deps build release run run-release demo test test-steps lint bench bench-instructions bench-scaling bench-import bench-bookings bench-flood bench-accuracy bench-scale bench-ledger bench-hotpath bench-worker-start bench-enforcement-start calibrate generate fuzz chaos soak c-client multihost insider-receipts chaos-postgres bench-failover load-report

deps:
	@scripts/install-deps.sh

build: deps
	swift build $(SWIFT_FLAGS)

release: deps
	swift build -c release $(SWIFT_FLAGS)

## Builds and runs a local cluster (registry, WORKERS check workers, enforcement) on SQLite under DATA.
run: build
	.build/debug/dealreg up --data $(DATA) --workers $(WORKERS)

run-release: release
	.build/release/dealreg up --data $(DATA) --workers $(WORKERS)

lint:
	swift format lint --strict -r Sources Tests Package.swift

## The story of the product on a fresh local cluster, told step by step (registration, conflict, bypass, sanctions).
demo: build
	.build/debug/dealreg demo

## Lint, build and run every test (unit, in-process, end-to-end over real processes, on SQLite and on a throwaway
## PostgreSQL server started here and stopped afterwards), then short import, chaos, soak and multi-host runs.
test: deps lint
	scripts/check-c-proto.sh
	swift build --build-tests $(SWIFT_FLAGS)
	scripts/with-postgres.sh $(MAKE) --no-print-directory test-steps

## The steps of `test`, beside the PostgreSQL server it started (DEALREG_TEST_POSTGRES). The end-to-end suites run
## after the others: each holds a thread of the test pool while its processes work, and beside them the unit and
## in-process suites (parameterised by engine) waited past their time limits on 2 cores.
test-steps:
	swift test --skip-build --skip EndToEndTests
	swift test --skip-build --filter EndToEndTests
	DEALREG_INSIDER_REGISTRATIONS=10000 swift test --skip-build --filter InsiderTamperTests/aReceiptStillProves
	.build/debug/dealreg-fuzz --replay fuzz/corpus
	scripts/bench-import.sh 1000 debug
	scripts/bench-bookings.sh 500 500 64 debug
	.build/debug/dealreg-bench scale --registrations 20000 --checks 2000
	.build/debug/dealreg chaos --registrations 20000 --kills 20
	scripts/chaos-postgres.sh 4000 12 debug
	SAMPLE=5 WARMUP=30 scripts/soak.sh 60 100 debug 2000
	deploy/multihost.sh debug

## Issue 18's receipt at full size: 10,000 registrations after it, the receipt still proves; its event rewritten in
## a stopped copy, it fails (debug, about a minute and a half on 2 cores; `swift test` runs it with 1,000).
insider-receipts: deps
	swift build --build-tests $(SWIFT_FLAGS)
	DEALREG_INSIDER_REGISTRATIONS=10000 swift test --skip-build --filter InsiderTamperTests/aReceiptStillProves

## Crash consistency (issue 8): 200,000 registrations and 20,000 bookings while 100 services are killed (SIGKILL)
## and restarted; then every guarantee checked in the stores. Exits 1 when one is broken.
chaos: release
	.build/release/dealreg chaos --registrations 200000 --kills 100

## Crash consistency on PostgreSQL with two registries (issue 19): 200,000 registrations and 20,000 bookings while
## the active registry is killed or frozen, workers and enforcement killed, and the database server restarted, 100
## times in all; every guarantee checked in the services' schemas.
chaos-postgres: release
	scripts/with-postgres.sh scripts/chaos-postgres.sh 200000 100 release

## Failover (issue 19): 20 kills of the active registry of two under a steady load on PostgreSQL; the time from each
## kill to the next decision (p50, max), requests resent, and every guarantee of a chaos run (nothing acknowledged
## lost, no double protection, no gap in the seqs).
bench-failover: release
	scripts/with-postgres.sh scripts/chaos-postgres.sh 30000 20 release --victims registry --retry-after 1 \
	    --concurrency 16 --bookings 0

## Soak (issue 8): 30 minutes at 200 registrations/s; memory and file descriptors of every process sampled.
soak: release
	scripts/soak.sh 1800 200 release 20000

## A quarter-end ramp as an HTML report (issue 20): 100 to 3,000 registrations/s over 60 s against a release cluster
## of WORKERS check workers; load-report.html charts throughput, latency, errors and the registry's queue per second.
load-report: release
	scripts/load-report.sh load-report.html ramp:100..3000 60 $(WORKERS)

## Throughput against the transport ceiling, in one run (issue 4): WORKERS check workers, closed loop; then the same
## load on SQLite and on PostgreSQL side by side (issue 19).
bench: release
	scripts/bench-hotpath.sh 10 "1000 1000000" $(WORKERS) 64
	scripts/bench.sh $(WORKERS) 10 256
	scripts/with-postgres.sh scripts/bench-stores.sh $(WORKERS) 10 64

## The hot path in one run (issue 20): the C ceiling, the gRPC-swift peer (built once into .build-grpc-peer) and
## dealreg at 1,000 and 1,000,000 indexed registrations: decisions/s, p50/p99/p99.9, p99 at half rate, unloaded p50,
## CPU per registration of every process, resident memory, ratios to both peers.
bench-hotpath: release
	scripts/bench-hotpath.sh 10 "1000 1000000" $(WORKERS) 64

## How fast a check worker joins at 1,000,000 registrations (issue 20): replaying the whole log, from the host's
## snapshot, and from it after 10 s more of registrations.
bench-worker-start: release
	scripts/bench-worker-start.sh 1000000 10

## Enforcement at 1,000,000 registrations (issue 20): its memory once caught up, and its restart from its snapshot,
## from its store, and from its snapshot after 10 s more of registrations.
bench-enforcement-start: release
	scripts/bench-enforcement-start.sh 1000000 10

## Instructions per registration in the registry and enforcement, counted by callgrind (seconds are too noisy to
## compare two builds): BASE=path/to/other/.build/release measures that build too, in the same run.
bench-instructions: release
	$(if $(BASE),scripts/bench-instructions.sh $(BASE) 30 16 &&) scripts/bench-instructions.sh .build/release 30 16

## The scaling table of issue 4: 1, 2, 4 workers at 1,000 and 1,000,000 seeded registrations (about 15 minutes).
bench-scaling: release
	scripts/bench-scaling.sh 10 "1000 1000000" "1 2 4"

## The import load run of issue 2: 10,000 rows through a release cluster.
bench-import: release
	scripts/bench-import.sh 10000 release

## Enforcement under load (issue 6): 10,000 registrations, then 20,000 bookings 64 in flight; audit verify time.
bench-bookings: release
	scripts/bench-bookings.sh 10000 20000 64 release

## Abuse limits (issue 7): a steady principal's p99 unloaded and while another floods (closed, then open loop).
bench-flood: release
	scripts/bench-flood.sh 10 50 256 20000 release

## Matcher accuracy on the development set and on European spellings and hard negatives (issue 3), and on each
## category table of bench/categories (issue 17), with a summary line per table against its bar.
bench-accuracy: release
	.build/release/dealreg-bench accuracy bench/customers-dev/customers.csv bench/european-customers.csv bench/categories

## One check's latency, memory and build time at 1,000,000 registrations (issue 3), indexed one entry per registration
## (before accounts) and one per account over 250,000 accounts (issue 16), in the same run.
bench-scale: release
	.build/release/dealreg-bench scale --registrations 1000000 --accounts 250000 --checks 100000

## What the signed ledger costs (issue 18): signing and tree upkeep per registration, audit and proofs at 1,000,000.
bench-ledger: release
	.build/release/dealreg-bench ledger --entries 50000 --audit-entries 1000000

## Refits the matcher's evidence weights on the development set and prints them as Swift source.
calibrate: release
	.build/release/dealreg-bench calibrate bench/customers-dev/customers.csv

## Regenerates Sources/DealWire/Generated from proto/ (builds protoc-gen-swift once, minutes).
generate:
	scripts/generate-proto.sh

## libFuzzer (ASan, leaks) on every decoder and request handler a client reaches (issue 7), ITERATIONS inputs per
## target (default 1,000,000), TARGETS (default all): inputs, exec/s, coverage; findings kept in fuzz/findings.
fuzz: deps
	scripts/fuzz.sh $(ITERATIONS) $(TARGETS)

## The C client (clients/c, protobuf-c and libzmq): generates the contract's C code and builds
## .build/c-client/dealreg-c-client.
c-client: deps
	scripts/build-c-client.sh

## Multi-host on one machine (issue 9): five network namespaces (registry, two check hosts, enforcement, a client),
## a load from the client host, a check host killed and restarted mid-load, every result checked. Needs root.
multihost: build
	deploy/multihost.sh debug
