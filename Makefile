# The two commands: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
PORT ?= 8080
DEMO_DB ?= var/demo.db
DEMO_EVENTS ?= 20000
DEMO_PASSWORD ?= demo-pass-2026

.PHONY: run test deps build build-asan bench format clean demo clean-demo

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@ninja -C build -j$(JOBS)

build-asan: deps
	@cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCIVICGRID_SANITIZE=ON >/dev/null
	@ninja -C build-asan -j$(JOBS)

demo: build
	@mkdir -p $(dir $(DEMO_DB))
	@if [[ ! -f $(DEMO_DB) ]]; then build/civicgrid demo --db $(DEMO_DB) --events $(DEMO_EVENTS) \
	  --seed 1 --password $(DEMO_PASSWORD); else echo "demo database $(DEMO_DB) exists (make clean-demo to rebuild)"; fi

run: demo
	@echo "serving the demo city on http://127.0.0.1:$(PORT)  (demo users' password: $(DEMO_PASSWORD))"
	@build/civicgrid serve --db $(DEMO_DB) --listen 127.0.0.1:$(PORT)

clean-demo:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB)-search $(DEMO_DB)-search-wal $(DEMO_DB)-search-shm

test: build build-asan
	@bash scripts/test.sh

bench: build
	@bash scripts/bench.sh

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf build build-asan
