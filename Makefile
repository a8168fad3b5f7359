# Two commands: `make demo` and `make test`. Both create .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
APP := $(VENV)/.app-$(HASH)
TESTS := $(VENV)/.test-$(HASH)

.PHONY: demo test install bench clean

$(BIN)/python:
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "minime needs Python 3.11 or newer; run: make PY=python3.11 ...")'
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# minime and its web app: what `make demo` and everyday use need. --no-compile: Python compiles what it
# imports on first use, instead of pip compiling every module of torch, Ray and the rest up front.
$(APP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install -q --no-compile -c constraints.txt -e '.[web]'
	@rm -f $(VENV)/.app-*; touch $@

# The test extra adds the SDKs, a CPU torch and diffusers, the web stack and Ray, all driven offline.
# One install of both extras (one resolve); it also stands for the app's.
$(TESTS): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install -q --no-compile -c constraints.txt -e '.[web,test]'
	$(BIN)/python -m pip install -q --no-compile --no-deps --no-build-isolation ./tests/fixtures/engine_plugin  # a third-party engine, for its test
	# The Khronos glTF validator, for the GLB test (npm's package, run by Node); the test skips without Node.
	if command -v npm >/dev/null; then npm install -q --no-save --no-audit --no-fund --prefix $(VENV)/node gltf-validator@2.0.0-dev.3.10; fi
	@rm -f $(VENV)/.app-* $(VENV)/.test-*; touch $(APP) $@

install: $(APP)

demo: $(APP)
	$(BIN)/minime demo -o minime-demo.png

# The code checks first (a second or two each, once mypy's cache is warm), then the suite.
test: $(TESTS)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

# The benches' own packages (the bench extra), then the headline bench; every script in bench/ runs after this.
bench: $(APP)
	$(BIN)/python -m pip install -q --no-compile -c constraints.txt -e '.[web,bench]'
	$(BIN)/python bench/make.py

clean:
	rm -rf $(VENV) .pytest_cache minime-demo.png
