# Two commands matter: `make run` and `make test`. Both build .venv from nothing.
# faqbot needs Python >= 3.11: `make run PYTHON=python3.12` picks the interpreter, and a .venv
# built by another Python (or by one too old, or broken) is rebuilt.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# Prints "MAJOR.MINOR OK", OK being 1 for a Python new enough for faqbot.
PROBE  := import sys; v = sys.version_info; print("%d.%d" % v[:2], int(v >= (3, 11)))

VENV_PROBE := $(shell $(BIN)/python -c '$(PROBE)' 2>/dev/null)
ifneq ($(wildcard $(VENV)),)
  ifneq ($(word 2,$(VENV_PROBE)),1)
    STALE := $(VENV) was built by Python $(or $(word 1,$(VENV_PROBE)),that no longer runs)
  else ifneq ($(origin PYTHON),file)
    WANTED := $(word 1,$(shell $(PYTHON) -c '$(PROBE)' 2>/dev/null))
    ifneq ($(WANTED),$(word 1,$(VENV_PROBE)))
      STALE := $(VENV) was built by Python $(word 1,$(VENV_PROBE)), not $(PYTHON)
    endif
  endif
endif

.PHONY: run test lint bench soak eval verdict validate clean install FORCE

ifneq ($(STALE),)
$(BIN)/python: FORCE
endif

$(BIN)/python:
	@case "$$($(PYTHON) -c '$(PROBE)' 2>/dev/null)" in \
	  *" 1") ;; \
	  *) echo "faqbot needs Python >= 3.11; '$(PYTHON)' is not. Try: make $(or $(MAKECMDGOALS),run) PYTHON=python3.11" >&2; exit 1;; \
	esac
	$(if $(STALE),@echo "$(STALE): rebuilding it")
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[all]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/faqbot run

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check bot adapters tests bench
	$(BIN)/ruff format --check bot adapters tests bench
	$(BIN)/mypy

eval: $(STAMP)
	$(BIN)/faqbot eval $(wildcard tests/eval/*.yaml)
	$(BIN)/faqbot --knowledge tests/packs/harbour-cable eval $(wildcard tests/eval/harbour-cable/*.yaml)

# Refit the answer-or-refuse model on the seen question sets, after held-out figures.
verdict: $(STAMP)
	$(BIN)/faqbot train-verdict tests/verdict-training.yaml --cross-validate --out bot/data/models/verdict.yaml

validate: $(STAMP)
	$(BIN)/faqbot validate

bench: $(STAMP)
	$(BIN)/faqbot bench

# Minutes of mixed traffic above Telegram's send limit against the loopback fakes (not a test).
soak: $(STAMP)
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
