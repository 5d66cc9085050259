# Newcomers need two commands: `make demo` and `make test`. Both install what they need.
.PHONY: demo test bench package setup clean

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

package: ## build the npm package into dist/pkg (npm pack-able)
	@scripts/setup.sh
	@scripts/build.sh

setup: ## install toolchain pieces only
	@scripts/setup.sh browser

clean:
	rm -rf dist test-output target/wasm32-unknown-unknown
