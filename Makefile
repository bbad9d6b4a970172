# SPDX-License-Identifier: GPL-3.0-or-later
# Sciatica stretching feedback station.
#   make          build build/station
#   make run      run it: the real sensor when one answers, else the demo
#   make check    every test (unit, sanitizers, integration, goldens)
#   make eval     accuracy against ground truth
#   make bench    cost per sample and replay speed, the clinic server's load
#   make clinic   build/station-clinic, the clinic server (make install-clinic)
#   make check-clinic  the clinic server's tests (real PostgreSQL and mosquitto)
# `run` and `check` first install missing Debian packages (scripts/deps.sh).

CC ?= cc
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
SAN ?=

BINDIR := $(PREFIX)/bin
DATADIR := $(PREFIX)/share/station
MANDIR := $(PREFIX)/share/man
DOCDIR := $(PREFIX)/share/doc/station
SYSCONFDIR ?= /etc/station
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
# make install creates the groups and reloads udev when it installs into
# the running system (no DESTDIR)
POSTINST ?= $(if $(DESTDIR),no,yes)
# udev reads /usr/lib/udev/rules.d and /etc/udev/rules.d, not /usr/local
UDEVDIR ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/udev/rules.d,/etc/udev/rules.d)

PKGS := libconfig libgpiod sdl2 SDL2_ttf SDL2_image libcjson libsystemd espeak-ng sqlite3 cairo fontconfig libmosquitto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libgpiod 2 changed the API; both are supported (src/input/gpio_buttons.c)
GPIOD_V2 := $(shell pkg-config --atleast-version=2 libgpiod 2>/dev/null && echo -DGPIOD_API_V2)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lconfig -lgpiod -lSDL2 -lSDL2_ttf -lSDL2_image -lcjson -lsystemd -lespeak-ng -lsqlite3 -lcairo -lfontconfig -lmosquitto)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

OPT ?= -O2 -g
ifeq ($(SAN),1)
# float-cast-overflow is not part of GCC's "undefined": a NaN or 1e300 cast
# to int is named by it (issue 14 #19).
OPT := -O1 -g -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
# snprintf truncating a long path in a message is intended, not a bug.
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation
# 64-bit file offsets on 32-bit Pis: readdir fails (EOVERFLOW) without them
# on filesystems with 64-bit directory cookies.
override CFLAGS := -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 $(WARN) $(OPT) $(PKG_CFLAGS) $(GPIOD_V2) \
	-DSTATION_DATADIR='"$(DATADIR)"' -DSTATION_SYSCONFDIR='"$(SYSCONFDIR)"' $(CFLAGS)
override LDFLAGS := $(OPT) $(LDFLAGS)
LDLIBS := $(PKG_LIBS) -li2c -lm

# the clinic server is a binary of its own (station-clinic), not in the library
CLINIC_SRC := $(wildcard src/clinic/*.c)
LIB_SRC := $(filter-out src/main.c src/clinic/%,$(wildcard src/*/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
EVAL_BIN := $(BUILD)/tests/eval
BENCH_BIN := $(BUILD)/tests/bench

.PHONY: clinic check-clinic install-clinic uninstall-clinic
.PHONY: all run check check-kernel check-platform check-deb check-trixie deb coverage unit deps deps-check eval bench goldens install uninstall clean cross fuzz soak FORCE

all: $(BUILD)/station

# V=1 shows the full commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @echo "  $(1) $(2)"
endif

# Objects are rebuilt when the flags change, not only the sources.
$(BUILD)/.cflags: FORCE
	@mkdir -p $(BUILD)
	@echo '$(CFLAGS) $(LDFLAGS) $(LDLIBS)' | cmp -s - $@ || echo '$(CFLAGS) $(LDFLAGS) $(LDLIBS)' >$@

$(BUILD)/%.o: %.c $(BUILD)/.cflags
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# The software's version in records and reports: VERSION and the commit
# built (rewritten only when either changes, so nothing else rebuilds).
VERSION := 1.1
GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
$(BUILD)/version.h: FORCE
	@mkdir -p $(BUILD)
	@printf '#define STATION_VERSION "%s"\n#define STATION_GIT "%s"\n' '$(VERSION)' '$(GIT_REV)' | \
		cmp -s - $@ || printf '#define STATION_VERSION "%s"\n#define STATION_GIT "%s"\n' \
		'$(VERSION)' '$(GIT_REV)' >$@
$(BUILD)/src/history/history.o: $(BUILD)/version.h
$(BUILD)/src/history/history.o: override CFLAGS += -I$(BUILD)

$(BUILD)/libstation.a: $(LIB_OBJ)
	@rm -f $@
	$(call say,AR,$@)
	$(Q)$(AR) rcs $@ $^

$(BUILD)/station: $(BUILD)/src/main.o $(BUILD)/libstation.a
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The clinic server (README "Clinic server"): PostgreSQL, the broker, the web page.
CLINIC_PKGS := libpq libmosquitto libmicrohttpd libcjson libsodium cairo fontconfig
CLINIC_CFLAGS := $(shell pkg-config --cflags $(CLINIC_PKGS) 2>/dev/null)
CLINIC_LIBS := $(shell pkg-config --libs $(CLINIC_PKGS) 2>/dev/null || echo -lpq -lmosquitto -lmicrohttpd -lcjson -lsodium -lcairo -lfontconfig)
$(CLINIC_SRC:%.c=$(BUILD)/%.o): override CFLAGS += $(CLINIC_CFLAGS)
$(BUILD)/station-clinic: $(CLINIC_SRC:%.c=$(BUILD)/%.o) $(BUILD)/libstation.a
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(CLINIC_LIBS) $(LDLIBS)

clinic: $(BUILD)/station-clinic

# test_app makes signalfd, read and malloc fail on purpose (tests/unit/test_app.c)
TEST_LDFLAGS_test_app := -Wl,--wrap=signalfd,--wrap=read,--wrap=malloc
# test_i2c_transport puts a fake /dev/i2c-N behind the adapter's system
# calls and libi2c (tests/unit/test_i2c_transport.c)
TEST_LDFLAGS_test_i2c_transport := -Wl,--wrap=open64,--wrap=close,--wrap=ioctl,--wrap=nanosleep \
	-Wl,--wrap=i2c_smbus_read_i2c_block_data,--wrap=i2c_smbus_write_byte_data

# the clinic web page's pure pieces are tested without its libraries
TEST_OBJS_test_clinic_web := $(BUILD)/src/clinic/web_util.o $(BUILD)/src/clinic/web_svg.o
$(BUILD)/tests/test_clinic_web: $(TEST_OBJS_test_clinic_web)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libstation.a tests/unit/test_util.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(TEST_LDFLAGS_$*) -Isrc -o $@ $< $(TEST_OBJS_$*) $(BUILD)/libstation.a $(CMOCKA_LIBS) $(LDLIBS)

$(EVAL_BIN): tests/eval/eval.c $(BUILD)/libstation.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -Isrc -o $@ $< $(BUILD)/libstation.a $(LDLIBS)

$(BENCH_BIN): tests/bench/bench.c $(BUILD)/libstation.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -Isrc -o $@ $< $(BUILD)/libstation.a $(LDLIBS)

unit: $(UNIT_BIN)

deps:
	@scripts/deps.sh

# the tests' extra packages (qemu for the kernel tests)
deps-check:
	@scripts/deps.sh check

run: deps all
	$(BUILD)/station run

# Unit tests as built, again under ASan+UBSan, then the integration and
# golden tests; one summary line at the end.
check: deps deps-check
	@$(MAKE) --no-print-directory all clinic unit
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 all clinic unit
	@tests/run.sh

# Fuzzing with libFuzzer: the library built by clang with the fuzzer's
# instrumentation and ASan+UBSan, one binary a target (tests/fuzz/).
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
ifeq ($(BUILD),build-fuzz)
build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/libstation.a
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) -fsanitize=fuzzer,address,undefined -Isrc -Itests/fuzz -o $@ $< \
		build-fuzz/libstation.a $(LDLIBS)
fuzz-build: $(FUZZ_TARGETS)
endif

fuzz: deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="-O1 -g $(FUZZ_SAN)" \
		CFLAGS=-Wno-unknown-warning-option fuzz-build
	@tests/fuzz/run.sh

# The station's I2C path against Debian's kernel in a VM (i2c-dev, i2c-stub).
check-kernel: deps deps-check all
	@tests/kernel/run.sh

# The buttons and the INT line on gpio-sim through libgpiod 1 and 2 (the
# trixie build: check-trixie first), the fullscreen screen through KMSDRM
# on virtio-gpu, in a VM (tests/kernel/platform.sh).
check-platform: deps deps-check all
	@tests/kernel/platform.sh

# Line coverage per file of the unit and integration tests (build-cov/).
coverage: deps deps-check
	@scripts/coverage.sh

# The Debian package (build/deb/), and its test: lintian, then installed in
# a bookworm chroot (tests/deb/run.sh; part of make check).
deb: deps deps-check
	@scripts/deb.sh

check-deb: deps deps-check all
	@tests/deb/run.sh

# The station built and its unit tests run in a Debian 13 (trixie) chroot:
# gcc 14, libgpiod 2 (tests/trixie/run.sh; part of make check).
check-trixie: deps deps-check
	@tests/trixie/run.sh

# The station for a Pi's architectures, its unit tests under qemu-user.
cross:
	@scripts/cross.sh arm64
	@scripts/cross.sh armhf

eval: all $(EVAL_BIN)
	@tests/eval/run.sh

soak: all
	@tests/soak.sh

bench: all $(BENCH_BIN) $(BUILD)/station-clinic
	@tests/bench.sh
	@STATION=$(BUILD)/station CLINIC=$(BUILD)/station-clinic sh tests/clinic/load.sh

goldens: all
	@tests/integration/goldens.sh --regenerate

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(SYSCONFDIR) \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(UDEVDIR) \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BUILD)/station $(DESTDIR)$(BINDIR)/station
	sed 's|@BINDIR@|$(BINDIR)|' systemd/station.service.in >$(DESTDIR)$(UNITDIR)/station.service
	sed 's|@BINDIR@|$(BINDIR)|' systemd/station-kiosk.service.in >$(DESTDIR)$(UNITDIR)/station-kiosk.service
	sed 's|@BINDIR@|$(BINDIR)|' systemd/station-upload.service.in >$(DESTDIR)$(UNITDIR)/station-upload.service
	chmod 644 $(DESTDIR)$(UNITDIR)/station.service $(DESTDIR)$(UNITDIR)/station-kiosk.service \
		$(DESTDIR)$(UNITDIR)/station-upload.service
	install -m 644 systemd/station.sysusers $(DESTDIR)$(SYSUSERSDIR)/station.conf
	install -m 644 systemd/60-station.rules $(DESTDIR)$(UDEVDIR)/60-station.rules
	install -m 644 man/station.1 $(DESTDIR)$(MANDIR)/man1/station.1
	install -m 644 man/station.cfg.5 $(DESTDIR)$(MANDIR)/man5/station.cfg.5
	install -d $(DESTDIR)$(DATADIR)/fonts
	install -m 644 assets/demo.csv assets/README.md assets/phrases.cfg assets/phrases-de.cfg \
		$(DESTDIR)$(DATADIR)/
	install -m 644 assets/fonts/*.ttf assets/fonts/LICENSE $(DESTDIR)$(DATADIR)/fonts/
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/station.cfg ]; then \
		echo "keeping $(DESTDIR)$(SYSCONFDIR)/station.cfg; the new default is station.cfg.dist"; \
		install -m 644 config/station.cfg $(DESTDIR)$(SYSCONFDIR)/station.cfg.dist; \
	else \
		install -m 644 config/station.cfg $(DESTDIR)$(SYSCONFDIR)/station.cfg; \
	fi
	@# the i2c and gpio groups (Debian 12 has no gpio group) and the udev
	@# rules, in place before the first `systemctl enable --now station`;
	@# not into a DESTDIR, where a package's own scripts do it
	@if [ "$(POSTINST)" = yes ] && command -v systemd-sysusers >/dev/null 2>&1; then \
		echo "systemd-sysusers: creating the i2c and gpio groups"; \
		systemd-sysusers $(DESTDIR)$(SYSUSERSDIR)/station.conf || \
			echo "warning: systemd-sysusers failed: create the i2c and gpio groups by hand"; \
	fi
	@if [ "$(POSTINST)" = yes ] && command -v udevadm >/dev/null 2>&1; then \
		echo "udevadm: reloading the rules for the I2C and GPIO devices"; \
		udevadm control --reload && udevadm trigger --subsystem-match=i2c-dev --subsystem-match=gpio || \
			echo "warning: udevadm failed: reboot or run udevadm trigger"; \
	fi

uninstall:
	rm -f $(DESTDIR)$(UNITDIR)/station.service $(DESTDIR)$(UNITDIR)/station-kiosk.service \
		$(DESTDIR)$(UNITDIR)/station-upload.service \
		$(DESTDIR)$(SYSUSERSDIR)/station.conf \
		$(DESTDIR)$(UDEVDIR)/60-station.rules $(DESTDIR)$(MANDIR)/man1/station.1 \
		$(DESTDIR)$(MANDIR)/man5/station.cfg.5
	rm -f $(DESTDIR)$(BINDIR)/station $(DESTDIR)$(DATADIR)/demo.csv \
		$(DESTDIR)$(DATADIR)/README.md $(DESTDIR)$(DATADIR)/phrases.cfg \
		$(DESTDIR)$(DATADIR)/phrases-de.cfg $(DESTDIR)$(SYSCONFDIR)/station.cfg.dist
	rm -rf $(DESTDIR)$(DATADIR)/fonts
	-rmdir $(DESTDIR)$(DATADIR)
	@echo "left $(DESTDIR)$(SYSCONFDIR)/station.cfg in place (your settings)"

# The clinic server: station-clinic, its units, settings and migrations
# (README "Clinic server"). The settings already there are kept.
CLINIC_UNITS := station-clinic-collect station-clinic-web
install-clinic: $(BUILD)/station-clinic
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(DATADIR)/clinic/migrations $(DESTDIR)$(DOCDIR)
	install -m 755 $(BUILD)/station-clinic $(DESTDIR)$(BINDIR)/station-clinic
	install -m 644 clinic/migrations/*.sql $(DESTDIR)$(DATADIR)/clinic/migrations/
	install -m 644 docs/clinic-protocol.md $(DESTDIR)$(DOCDIR)/clinic-protocol.md
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 644 man/station-clinic.1 $(DESTDIR)$(MANDIR)/man1/station-clinic.1
	for u in $(CLINIC_UNITS); do \
		sed 's|@BINDIR@|$(BINDIR)|; s|@DOCDIR@|$(DOCDIR)|' systemd/$$u.service.in \
			>$(DESTDIR)$(UNITDIR)/$$u.service && chmod 644 $(DESTDIR)$(UNITDIR)/$$u.service; \
	done
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/clinic.cfg ]; then \
		echo "keeping $(DESTDIR)$(SYSCONFDIR)/clinic.cfg; the new default is clinic.cfg.dist"; \
		install -m 644 config/clinic.cfg $(DESTDIR)$(SYSCONFDIR)/clinic.cfg.dist; \
	else \
		install -m 644 config/clinic.cfg $(DESTDIR)$(SYSCONFDIR)/clinic.cfg; \
	fi

uninstall-clinic:
	rm -f $(DESTDIR)$(BINDIR)/station-clinic $(DESTDIR)$(DOCDIR)/clinic-protocol.md \
		$(DESTDIR)$(MANDIR)/man1/station-clinic.1 \
		$(DESTDIR)$(SYSCONFDIR)/clinic.cfg.dist
	for u in $(CLINIC_UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$$u.service; done
	rm -rf $(DESTDIR)$(DATADIR)/clinic
	-rmdir $(DESTDIR)$(DOCDIR)
	@echo "left $(DESTDIR)$(SYSCONFDIR)/clinic.cfg and the database in place"

# The clinic server's tests against a real PostgreSQL and mosquitto
# (tests/clinic/; also part of make check), then its load figures.
check-clinic: deps deps-check all $(BUILD)/station-clinic
	@for t in tests/clinic/transport.sh tests/clinic/faults.sh tests/clinic/web.sh tests/clinic/load.sh; do \
		echo "# $$t"; STATION=$(BUILD)/station CLINIC=$(BUILD)/station-clinic sh $$t || exit 1; \
	done

clean:
	rm -rf build build-asan build-arm64 build-armhf build-fuzz build-cov build-deb

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d $(CLINIC_SRC:%.c=$(BUILD)/%.d)
