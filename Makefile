# Front door. The real build is Meson (meson.build); the scripts live in scripts/.
#
#   make build   build/klantportal
#   make run     install what is missing, build, demo database in var/, serve on :8080
#   make test    everything (scripts/test.sh); the last line is `N passed, N failed`
#   make check   unit + HTTP tests on SQLite, the quick loop (scripts/test.sh check)
#   make bench   bench/run.sh
#   make fuzz    every libFuzzer target for FUZZ_SECONDS (default 300) each
#   make format  clang-format on src/ and tests/
#   make clean   remove the build folders (keeps var/ and node_modules/)

SHELL := /bin/bash
FUZZ_SECONDS ?= 300

RUN_DB     ?= sqlite:var/klantportal.db
RUN_LISTEN ?= 127.0.0.1:8080
RUN_URL    ?= http://127.0.0.1:8080
# Started as root, the program runs as RUN_USER (scripts/install-deps.sh creates it), and var/
# belongs to that user.
RUN_USER   ?= klantportal
RUN_ROOT   := $(filter 0,$(shell id -u))
RUN_ENV = KLANTPORTAL_DB=$(RUN_DB) KLANTPORTAL_LISTEN=$(RUN_LISTEN) \
          KLANTPORTAL_BASE_URL=$(RUN_URL) KLANTPORTAL_MAIL_DIR=var/mail \
          $(if $(RUN_ROOT),KLANTPORTAL_USER=$(RUN_USER))

.PHONY: all build run test check bench fuzz format clean

all: build

build:
	@test -f build/build.ninja || meson setup build
	ninja -C build

run:
	bash scripts/install-deps.sh --runtime
	$(MAKE) --no-print-directory build
	install -d -m 0700 var var/mail
	$(if $(RUN_ROOT),chown -R $(RUN_USER): var)
	@if [ ! -f var/klantportal.db ]; then \
		echo "make run: new demo database var/klantportal.db"; \
		env $(RUN_ENV) ./build/klantportal migrate && env $(RUN_ENV) ./build/klantportal demo; \
	fi
	@echo
	@echo "Klantportal: $(RUN_URL)"
	@echo "Demo logins, all with password Cursus!2026:"
	@echo "  martin.sommer@example.nl"
	@echo "  deby.rummens@example.nl"
	@echo "  jan.devries@example.nl"
	@echo "  administratie@example.nl  (Beheer on /beheer: at the first login it sets up an"
	@echo "                            authenticator app, as every staff login needs a code)"
	@echo "Sent email lands in var/mail/. Ctrl-C stops the server."
	@echo
	exec env $(RUN_ENV) ./build/klantportal serve

test:
	bash scripts/test.sh

check:
	bash scripts/test.sh check

bench:
	bash bench/run.sh

fuzz:
	bash scripts/fuzz.sh run $(FUZZ_SECONDS)

format:
	find src tests \( -name '*.c' -o -name '*.h' \) -print0 | xargs -0 -r clang-format -i

clean:
	-bash scripts/pg.sh stop
	-KP_PG_STATE=build/pg-test.env bash scripts/pg.sh stop
	rm -rf build build-asan build-fuzz test-results
