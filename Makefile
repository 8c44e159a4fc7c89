# rolereport — everything a fresh machine needs starts here.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
RR := $(VENV)/bin/rolereport
OUT ?= output
SOURCE ?=
PROFILE ?=
PROFILES ?= examples/profiles
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
.PHONY: help install report extract test test-fast lint bench batch clean sysdeps testdeps lock fonts venv-sync \
  eval-fit compare docs docs-build doc-pictures

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  variables: SOURCE=page PROFILE=profile.yaml PROFILES='files or folders' OUT=dir JOBS=n"
	@echo "             THEME=theme.toml TEMPLATES=dir FORMATS=pdf,docx,xlsx FORCE=1 (rebuild everything)"
	@echo "             CLUSTER=local:N or SCHEDULER=tcp://host:8786 (make batch on Dask)"

# Installs take exactly what uv.lock says (versions and hashes) and resolve nothing against the
# index: `uv sync --locked` refuses a lock that no longer matches pyproject.toml, and never asks the
# index which release is newest, so a release published after the lock changes nothing. uv itself
# comes pinned with its hashes (requirements-uv.txt, exported from uv.lock) into .tools/uv by the
# pip that `python3 -m venv` ships; `make lock` refreshes both files.
UV_HOME := .tools/uv
UV := $(UV_HOME)/bin/uv
UV_REQ := requirements-uv.txt
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
# The Noto fonts come from PyPI (the fonts extra) only where Debian's packages are not installed.
FONTS_EXTRA = $$( ( $(NOTO_CHECK) ) >/dev/null 2>&1 || echo --extra fonts)
SYNC = $(UV) sync --locked --quiet --python $(or $(PYTHON),python3) $(FONTS_EXTRA)

$(UV): $(UV_REQ)
	python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --only-binary :all: \
	  --require-hashes --upgrade --target $(UV_HOME) -r $(UV_REQ)
	@touch $@

# Each stamp is one exact sync of the venv; the base sync removes what the others added, so it
# drops their stamps too.
$(VENV)/.installed: pyproject.toml uv.lock $(UV)
	@$(MAKE) --no-print-directory sysdeps
	$(call apt_try,$(NOTO_CHECK),$(NOTO_DEBIAN),the fonts come from PyPI instead)
	@$(MAKE) --no-print-directory venv-sync
	@rm -f $(VENV)/.installed-test $(VENV)/.installed-dask $(VENV)/.installed-docs
	@$(PY) -m rolereport.render.pdf.glyphs || true
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	@$(MAKE) --no-print-directory testdeps
	@$(MAKE) --no-print-directory venv-sync SYNC_ARGS="--group test --group docs --extra dask"
	@touch $@ $(VENV)/.installed-dask $(VENV)/.installed-docs

# What the stamps say is installed besides the base, so that one sync does not remove another's.
KEEP_SYNCED = $(if $(wildcard $(VENV)/.installed-test),--group test --group docs --extra dask) \
  $(if $(wildcard $(VENV)/.installed-docs),--group docs) $(if $(wildcard $(VENV)/.installed-dask),--extra dask)

# One exact sync of the venv from uv.lock (SYNC_ARGS: the groups and extras).
venv-sync: $(UV)
	$(SYNC) $(SYNC_ARGS)

lock: $(UV) ## refresh uv.lock from pyproject.toml, and requirements-uv.txt from it
	$(UV) lock
	$(UV) export --frozen --only-group tools --no-emit-project --no-header --quiet -o $(UV_REQ)

# The Dask extra (make test installs it too).
$(VENV)/.installed-dask: $(VENV)/.installed
	@$(MAKE) --no-print-directory venv-sync SYNC_ARGS="--extra dask $(KEEP_SYNCED)"
	@touch $@

# `make batch CLUSTER=local:2` or `SCHEDULER=tcp://host:8786` runs on Dask (installing the extra once).
DASK_NEEDED := $(if $(CLUSTER)$(SCHEDULER),$(VENV)/.installed-dask)

testdeps: ## best effort: pdftotext (poppler-utils), Chromium and LibreOffice for the tests that read outputs as people do
	$(call apt_try,command -v pdftotext,poppler-utils,the PDF text checks that need pdftotext are skipped)
	$(call apt_try,command -v chromium || command -v chromium-browser,chromium,the HTML layout test in a browser is skipped)
	$(call apt_try,command -v soffice,libreoffice-writer-nogui libreoffice-calc-nogui,the tests that print DOCX and XLSX through LibreOffice are skipped)

install: $(VENV)/.installed ## create .venv and install rolereport into it

sysdeps: ## best effort: HarfBuzz's font subsetter makes PDFs faster (needs root and apt)
	$(call apt_try,ldconfig -p | grep -q libharfbuzz-subset,libharfbuzz-subset0,PDFs still build a little slower)

# The PDF's fonts for every script (README "Scripts and fonts"): Debian's Noto packages as root with
# apt; where that cannot be done, the install takes the same fonts from PyPI (the fonts extra of
# uv.lock), and the glyph check names any script that would still show as boxes. Never fails.
NOTO_DEBIAN := fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
NOTO_CHECK := fc-list 'Noto Sans Arabic' | grep -q . && fc-list 'Noto Sans CJK SC' | grep -q . && fc-list 'Noto Color Emoji' | grep -q .
fonts: ## best effort: Noto fonts for every script in the PDF (Debian packages as root, else PyPI)
	@rm -f $(VENV)/.installed
	@$(MAKE) --no-print-directory install

report: $(VENV)/.installed ## build the default report into output/ (PROFILE=... personalises it)
	$(RR) report $(BUILD_OPTS) $(if $(PROFILE),--profile $(PROFILE)) --out $(OUT)

extract: $(VENV)/.installed ## print the extracted role data of SOURCE as JSON
	$(RR) extract $(SOURCE)

batch: $(VENV)/.installed $(DASK_NEEDED) ## one bundle per person in PROFILES (files, folders, CSV/XLSX rosters)
	$(RR) batch $(PROFILES) $(BUILD_OPTS) --out $(OUT)/batch $(if $(JOBS),--jobs $(JOBS)) \
	  $(if $(CLUSTER),--cluster $(CLUSTER)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

test: $(VENV)/.installed-test ## install test tools, run the whole suite (lint + every test) and build the docs strictly
	$(VENV)/bin/ruff check src tests benchmarks tools
	$(PY) -m pytest
	@$(MAKE) --no-print-directory docs-build

# The documentation site (docs/, mkdocs.yml): the reference pages are generated from the code into
# docs/reference/ (git-ignored), then `mkdocs build --strict` fails on any broken link or page
# missing from the nav. Nothing is downloaded while building (mkdocs.yml).
$(VENV)/.installed-docs: $(VENV)/.installed
	@$(MAKE) --no-print-directory venv-sync SYNC_ARGS="--group docs $(KEEP_SYNCED)"
	@touch $@

docs: $(VENV)/.installed-docs ## build the documentation site into site/ (mkdocs build --strict)
	@$(MAKE) --no-print-directory docs-build

docs-build:
	$(PY) tools/make_docs_reference.py docs/reference
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet --site-dir site

doc-pictures: $(VENV)/.installed ## redraw docs/images/ from the bundled page's real outputs (needs pdftoppm, soffice)
	$(PY) tools/make_doc_pictures.py docs/images

test-fast: $(VENV)/.installed-test ## the suite without the slow and external tests (under a minute)
	$(VENV)/bin/ruff check src tests benchmarks tools
	$(PY) -m pytest -m "not slow and not external"

eval-fit: $(VENV)/.installed ## how fit scoring does on eval/fit/ (top-1, margins, evidence, negation probes)
	$(PY) eval/eval_fit.py

bench: $(VENV)/.installed $(VENV)/.installed-dask ## benchmark against the naive pandoc + WeasyPrint + openpyxl route
	$(PY) benchmarks/bench.py --out $(OUT)/bench.json
	$(PY) benchmarks/library.py index 100
	$(PY) benchmarks/library.py batch 200

compare: $(VENV)/.installed ## one report at several commits against the naive route, alternating round by round (COMMITS="0689e5e .")
	$(PY) benchmarks/compare_commits.py $(or $(COMMITS),HEAD .)

clean: ## remove generated output (keeps .venv)
	rm -rf $(OUT)/* build dist site src/*.egg-info
