# quant-opt: top-level entry points. `make check` and `make demo` work on a
# fresh Debian 12 machine: they install what is missing, configure and build.

BUILD ?= build
CMAKE_FLAGS ?=

FUZZ_SECONDS ?= 60

.PHONY: all setup configure build check demo docs sanitize fuzz bench clean

all: build

setup:
	@bash scripts/setup.sh

configure: setup
	@bash scripts/configure.sh $(BUILD) $(CMAKE_FLAGS)

build: configure
	@cmake --build $(BUILD)

check: configure
	@bash scripts/check.sh $(BUILD)

demo: build
	@bash examples/demo.sh $(BUILD)

docs: configure
	@cmake --build $(BUILD) --target qops-doc

sanitize: setup
	@bash scripts/configure.sh build-asan -DQUANT_SANITIZE=address,undefined
	@QUANT_FUZZ_SECONDS=0 bash scripts/check.sh build-asan

bench: build
	@bash bench/run.sh $(BUILD)

fuzz: setup
	@bash fuzz/run.sh $(FUZZ_SECONDS) build-fuzz

clean:
	rm -rf $(BUILD)
