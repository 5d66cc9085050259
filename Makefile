# Newcomers need two commands: `make demo` and `make test`. Both install what they need.
.PHONY: demo test bench package setup clean fuzz soak generate

demo: ## build everything and run the demo against gumroad-mock (DEMO_ONCE=1: smoke check, then exit)
	@scripts/setup.sh browser
	@scripts/build.sh
	@node scripts/demo.mjs

test: ## everything CI checks
	@scripts/test.sh

bench: ## benchmarks (README: Benchmarks; results in bench/RESULTS.md)
	@scripts/setup.sh
	@scripts/build.sh
	@node bench/run.mjs

fuzz: ## coverage-guided fuzzing of every parser (FUZZ_SECONDS per target, default 60), then the long property run (PROPTEST_CASES, default 200000)
	@scripts/fuzz.sh $${FUZZ_SECONDS:-60}
	PROPTEST_CASES=$${PROPTEST_CASES:-200000} cargo test --release --test properties

soak: ## the full worker soak: 20,000 requests at concurrency 50, 20 % upstream failures
	@scripts/setup.sh
	@scripts/build.sh
	@node tests/soak/soak.mjs 20000 50

package: ## build the npm package into dist/pkg (npm pack-able; DEBUG=1 keeps wasm names and DWARF)
	@scripts/setup.sh
	@scripts/build.sh

generate: ## rewrite what Rust lists derive: the endpoint table's TypeScript, README API table and mock route list; the error codes' and ping event kinds' JS, TypeScript and README copies
	UPDATE_GENERATED=1 cargo test --test generated --quiet

setup: ## install toolchain pieces only
	@scripts/setup.sh browser

clean:
	rm -rf dist test-output target/wasm32-unknown-unknown
