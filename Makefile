# rolereport — everything a fresh machine needs starts here.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
RR := $(VENV)/bin/rolereport
OUT ?= output
SOURCE ?=
PROFILE ?=
PROFILES ?= sources/profiles
JOBS ?=
THEME ?=
TEMPLATES ?=
FORMATS ?=
FORCE ?=
CLUSTER ?=
SCHEDULER ?=
# The options every building target passes on (empty variables pass nothing).
BUILD_OPTS = $(if $(SOURCE),--source $(SOURCE)) $(if $(THEME),--theme $(THEME)) \
  $(if $(TEMPLATES),--templates $(TEMPLATES)) $(if $(FORMATS),--format $(FORMATS)) $(if $(FORCE),--force)

.DEFAULT_GOAL := help

# $(call apt_try,CHECK,PACKAGE,WHAT-IF-MISSING): install a Debian package when CHECK fails, as root
# with apt only; never fails the build.
define apt_try
@if ! ( $(1) ) >/dev/null 2>&1; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
    echo "installing $(2)"; \
    (apt-get install -y -qq $(2) >/dev/null 2>&1 || \
     (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $(2) >/dev/null 2>&1)) \
     || echo "note: $(2) not installed; $(3)"; \
  fi; \
fi
endef
.PHONY: help install report extract test lint bench batch clean sysdeps testdeps lock fonts eval-fit compare

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  variables: SOURCE=page PROFILE=profile.yaml PROFILES='files or folders' OUT=dir JOBS=n"
	@echo "             THEME=theme.toml TEMPLATES=dir FORMATS=pdf,docx,xlsx FORCE=1 (rebuild everything)"
	@echo "             CLUSTER=local:N or SCHEDULER=tcp://host:8786 (make batch on Dask)"

PIP := $(PY) -m pip install --quiet --disable-pip-version-check
LOCK := requirements.lock
TEST_LOCK := requirements-test.lock
DASK_LOCK := requirements-dask.lock
FONTS_IN := requirements-fonts.in
FONTS_LOCK := requirements-fonts.lock
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 --generate-hashes

# Installs come from the lock files (exact versions, hashes checked), so two machines a month
# apart get the same WeasyPrint, pandoc and openpyxl and the same bytes; `make lock` refreshes them.
$(VENV)/.installed: pyproject.toml $(LOCK)
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(MAKE) --no-print-directory sysdeps
	$(PIP) --require-hashes -r $(LOCK)
	$(PIP) --no-deps -e .
	@$(MAKE) --no-print-directory fonts
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed $(TEST_LOCK)
	@$(MAKE) --no-print-directory testdeps
	$(PIP) --require-hashes -r $(TEST_LOCK)
	$(PIP) --no-deps -e .
	@touch $@

lock: $(VENV)/.installed ## refresh requirements*.lock from pyproject.toml (pinned, with hashes)
	$(PIP) uv
	$(UV_COMPILE) --all-extras -o $(TEST_LOCK)
	$(UV_COMPILE) -c $(TEST_LOCK) -o $(LOCK)
	$(VENV)/bin/uv pip compile $(FONTS_IN) --quiet --universal --python-version 3.11 --generate-hashes -o $(FONTS_LOCK)
	$(UV_COMPILE) -c $(TEST_LOCK) --extra dask -o $(DASK_LOCK)

# The Dask extra, from its own lock (the tests' lock has every extra, so make test installs it too).
$(VENV)/.installed-dask: $(VENV)/.installed $(DASK_LOCK)
	$(PIP) --require-hashes -r $(DASK_LOCK)
	$(PIP) --no-deps -e .
	@touch $@

# `make batch CLUSTER=local:2` or `SCHEDULER=tcp://host:8786` runs on Dask (installing the extra once).
DASK_NEEDED := $(if $(CLUSTER)$(SCHEDULER),$(VENV)/.installed-dask)

testdeps: ## best effort: pdftotext (poppler-utils) for the security tests, Chromium for the HTML layout test
	$(call apt_try,command -v pdftotext,poppler-utils,the PDF text checks that need pdftotext are skipped)
	$(call apt_try,command -v chromium || command -v chromium-browser,chromium,the HTML layout test in a browser is skipped)

install: $(VENV)/.installed ## create .venv and install rolereport into it

sysdeps: ## best effort: HarfBuzz's font subsetter makes PDFs faster (needs root and apt)
	$(call apt_try,ldconfig -p | grep -q libharfbuzz-subset,libharfbuzz-subset0,PDFs still build a little slower)

# The PDF's fonts for every script (README "Scripts and fonts"): Debian's Noto packages as root with
# apt, else the same fonts from PyPI into the venv (requirements-fonts.lock), else a note naming the
# scripts that will show as boxes. Never fails the build.
NOTO_DEBIAN := fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
NOTO_CHECK := fc-list 'Noto Sans Arabic' | grep -q . && fc-list 'Noto Sans CJK SC' | grep -q . && fc-list 'Noto Color Emoji' | grep -q .
fonts: ## best effort: Noto fonts for every script in the PDF (Debian packages as root, else PyPI)
	@if ! ( $(NOTO_CHECK) ) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && echo "installing $(NOTO_DEBIAN)" && \
	     (apt-get install -y -qq $(NOTO_DEBIAN) >/dev/null 2>&1 || \
	      (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq $(NOTO_DEBIAN) >/dev/null 2>&1)); then :; \
	  else echo "installing the Noto fonts from PyPI ($(FONTS_LOCK))"; \
	    $(PIP) --require-hashes -r $(FONTS_LOCK) || true; fi; \
	fi
	@$(PY) -m rolereport.render.glyphs || true

report: $(VENV)/.installed ## build the default report into output/ (PROFILE=... personalises it)
	$(RR) report $(BUILD_OPTS) $(if $(PROFILE),--profile $(PROFILE)) --out $(OUT)

extract: $(VENV)/.installed ## print the extracted role data of SOURCE as JSON
	$(RR) extract $(SOURCE)

batch: $(VENV)/.installed $(DASK_NEEDED) ## one bundle per person in PROFILES (files, folders, CSV/XLSX rosters)
	$(RR) batch $(PROFILES) $(BUILD_OPTS) --out $(OUT)/batch $(if $(JOBS),--jobs $(JOBS)) \
	  $(if $(CLUSTER),--cluster $(CLUSTER)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

test: $(VENV)/.installed-test ## install test tools and run the suite
	$(VENV)/bin/ruff check src tests benchmarks
	$(PY) -m pytest

eval-fit: $(VENV)/.installed ## how fit scoring does on eval/fit/ (top-1, margins, evidence, negation probes)
	$(PY) eval/eval_fit.py

bench: $(VENV)/.installed $(VENV)/.installed-dask ## benchmark against the naive pandoc + WeasyPrint + openpyxl route
	$(PY) benchmarks/bench.py --out $(OUT)/bench.json

compare: $(VENV)/.installed ## one report at several commits against the naive route, alternating round by round (COMMITS="0689e5e .")
	$(PY) benchmarks/compare_commits.py $(or $(COMMITS),HEAD .)

clean: ## remove generated output (keeps .venv)
	rm -rf $(OUT)/* build dist src/*.egg-info
