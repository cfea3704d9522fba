# Freshet — the two commands a user needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help bootstrap build release test run stack-up stack-down stack-status format bench-collector bench-shipper compose-check config-table bench-enricher bench-visitor-profile bench-loader demo bench-e2e test-e2e

help: ## List the targets.
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

bootstrap: ## Install what is missing (Debian packages, .venv with the PyPI tools, runtime librdkafka).
	scripts/bootstrap.sh

build: bootstrap ## Build the four services (debug).
	swift build

release: bootstrap ## Build the four services optimised (.build/release/{collector,shipper,enricher,loader}).
	swift build -c release

test: ## Build, start the local stack, run every test (unit, C wrappers, integration).
	scripts/test.sh

run: ## Start the local stack and the pipeline (prints where to send events; live progress; Ctrl-C stops).
	scripts/run.sh

demo: ## Send a burst of Snowplow Python tracker traffic to the pipeline (started if not running) and print a report.
	scripts/run.sh --demo

test-e2e: ## Only the end-to-end tests: tracker → four services → ClickHouse, and the fault test (after a build).
	scripts/test-e2e.sh

stack-up: ## Start Kafka (Tansu), Redis and ClickHouse under .stack/ (installs what is missing).
	scripts/stack.sh up

stack-down: ## Stop the local stack.
	scripts/stack.sh down

stack-status: ## Show whether each server of the local stack is up.
	scripts/stack.sh status

format: ## Apply swift-format to the sources and tests.
	swift format --in-place --recursive Sources Tests Package.swift

bench-collector: bootstrap ## nginx vs the collector under wrk: req/s, p99, peak RSS (ends with a BENCH line).
	bench/collector.sh

compose-check: bootstrap ## Validate docker-compose.yml with docker-compose (no Docker engine needed).
	docker-compose -f docker-compose.yml config -q

config-table: build ## Regenerate the README's configuration table from the built services.
	scripts/config-table.sh --update

bench-shipper: bootstrap ## The shipper vs a Python confluent-kafka producer on one file of collector lines (ends with a BENCH line).
	bench/shipper.sh

bench-enricher: bootstrap ## The enricher (service from Kafka, and offline mode) on a realistic payload mix: events/s, peak RSS (ends with a BENCH line).
	bench/enricher.sh

bench-visitor-profile: bootstrap ## The enricher's visitor profile store: events/s in batches of 1000 vs redis-benchmark (ends with a BENCH line).
	bench/visitor-profile.sh

bench-loader: bootstrap ## Loader vs clickhouse-client inserting the same rows: rows/s, peak RSS (ends with a BENCH line).
	bench/loader.sh

bench-e2e: bootstrap ## Sustained tracker load through all four services (60 s): events/s, lost, latency p50/p99 (ends with a BENCH line).
	bench/e2e.sh
