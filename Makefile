# Makefile: PGXS build and tests of the mentor extension

MODULE_big = mentor
OBJS = \
	extension/mentor.o \
	extension/rule_error.o \
	extension/queries.o \
	extension/program.o \
	extension/calendar.o \
	extension/certificate.o \
	extension/selection.o \
	extension/agreement.o \
	extension/reliance.o \
	extension/audit.o \
	extension/override.o \
	extension/lookup.o \
	extension/pairing.o \
	extension/session.o \
	extension/career.o \
	extension/internship.o \
	extension/demand.o \
	extension/signing_keys.o \
	extension/signing.o \
	xml/xml_reader.o \
	xml/xml_import.o \
	xml/agreement_core.o \
	xml/agreement_import.o \
	xml/calendar_core.o \
	xml/calendar_import.o \
	xml/xml_writer.o \
	xml/admission_document.o

EXTENSION = mentor
SCRIPTS = xml/mentor-export-certificates
SCRIPTS_built = xml/mentor-upload
EXTRA_CLEAN = xml/mentor-upload
DATA = $(wildcard sql/mentor--*.sql) xml/mentor_agreement.xsd xml/mentor_calendar.xsd xml/mentor_admission.xsd
PGFILEDESC = "mentor - mentorship programme rules inside PostgreSQL"

# Regression tests: inputs in tests/sql, expected output in expected/.
# Names must not match a file in sql/ (see README).
REGRESS = mentor_install mentor_people mentor_pairing mentor_state \
	mentor_session mentor_certificate mentor_calendar mentor_selection \
	mentor_reports mentor_import mentor_bonus mentor_planning mentor_career \
	mentor_security mentor_nulls mentor_privileges mentor_reliance mentor_in_force mentor_audit mentor_closed_months mentor_calendar_import mentor_internship mentor_messages mentor_demand_reference mentor_upgrade
REGRESS_OPTS = --inputdir=tests --load-extension=mentor

ISOLATION = capacity_race spacing_race dismissal_race program_cache invalidation reliance_race agreement_race calendar_import_race admission_race events
ISOLATION_OPTS = --inputdir=tests --outputdir=. --load-extension=mentor

SHLIB_LINK = -lcrypto -lxml2
PG_CPPFLAGS = -Iextension -Ixml

# The test run builds with these (tests/lib.sh: make strict=yes), under gcc
# and, for the JIT bitcode, clang; a DBA's plain make does not stop on a
# warning a newer compiler may add.
ifeq ($(strict),yes)
PG_CPPFLAGS += -Wall -Wextra -Werror -Wno-unused-parameter
endif

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Russian messages: po/ru.po compiled and installed where PostgreSQL's own
# catalogues are, as mentor-<major>.mo (what pg_bindtextdomain looks for)
# (skipped, with English messages only, where msgfmt is missing)
localedir := $(shell $(PG_CONFIG) --localedir)
MSGFMT := $(shell command -v msgfmt 2>/dev/null)
EXTRA_CLEAN += po/ru.mo

ifneq ($(MSGFMT),)
all: po/ru.mo
install: install-po
endif
uninstall: uninstall-po

po/ru.mo: po/ru.po
	$(MSGFMT) -c -o $@ $<

.PHONY: install-po uninstall-po
install-po: po/ru.mo
	$(MKDIR_P) '$(DESTDIR)$(localedir)/ru/LC_MESSAGES'
	$(INSTALL_DATA) po/ru.mo '$(DESTDIR)$(localedir)/ru/LC_MESSAGES/mentor-$(MAJORVERSION).mo'

uninstall-po:
	rm -f '$(DESTDIR)$(localedir)/ru/LC_MESSAGES/mentor-$(MAJORVERSION).mo'

# every object depends on the shared headers (PGXS tracks no dependencies)
$(OBJS): $(wildcard extension/*.h) $(wildcard xml/*.h)

# the uploader: a libpq client, built beside the module and installed into bindir
xml/mentor-upload: xml/mentor_upload.c
	$(CC) $(CFLAGS) $(filter -W%,$(PG_CPPFLAGS)) -I$(shell $(PG_CONFIG) --includedir) $< \
		-L$(shell $(PG_CONFIG) --libdir) -lpq -o $@
