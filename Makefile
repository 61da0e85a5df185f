# The two quick-start commands are `make run` and `make test`; each installs what is missing first.
DATA ?= $(HOME)/.dealreg
WORKERS ?= 2
SWIFT_FLAGS ?= --explicit-target-dependency-import-check error

.PHONY: deps build release run run-release test lint bench-import generate

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

## Lint, build and run every test (unit, in-process, end-to-end over real processes), then a short import run.
test: deps lint
	swift build --build-tests $(SWIFT_FLAGS)
	swift test --skip-build
	scripts/bench-import.sh 1000 debug

## The import load run of issue 2: 10,000 rows through a release cluster.
bench-import: release
	scripts/bench-import.sh 10000 release

## Regenerates Sources/DealWire/Generated from proto/ (builds protoc-gen-swift once, minutes).
generate:
	scripts/generate-proto.sh
