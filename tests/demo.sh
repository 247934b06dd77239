#!/usr/bin/env bash
# tests/demo.sh: the demo.  Installs the Debian packages it needs, builds and
# installs mentor, starts a throwaway PostgreSQL cluster (never a system
# one), loads a small demo enterprise and prints what an HR manager sees.
#
#   sudo bash tests/demo.sh           run the demo, then stop the cluster
#   sudo bash tests/demo.sh --keep    leave the cluster running to explore
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mentor_install_packages
mentor_build_install
mentor_start_cluster

echo "== loading the demo enterprise"
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION mentor" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -f "$MENTOR_ROOT/tests/demo/enterprise.sql" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -f "$MENTOR_ROOT/tests/demo/reports.sql"

echo
echo "== The legal department uploads its agreement forms (xml/samples) with mentor-upload"
conninfo="host=$PGHOST port=$PGPORT user=postgres"
( cd "$MENTOR_ROOT" && "$PG_BIN/mentor-upload" "$conninfo" xml/samples/batch.xml xml/samples/single.xml \
	xml/samples/cp1251.xml xml/samples/utf16.xml ) | sed 's/^/  /'
echo "  ... and a form with mistakes is refused whole, every problem with its line:"
( cd "$MENTOR_ROOT" && "$PG_BIN/mentor-upload" "$conninfo" xml/samples/broken/business_invalid.xml ) | sed 's/^/  /' || true
echo "  ... and a hostile one (an external entity pointing at /etc/passwd):"
( cd "$MENTOR_ROOT" && "$PG_BIN/mentor-upload" "$conninfo" xml/samples/broken/xxe_file.xml ) | sed 's/^/  /' || true

echo
echo "== Bonus accruals for the last three months (payroll reads this)"
psql -X -c "SELECT e.full_name, b.month, b.mentee_days, b.mentee_months, b.agreement_number, b.bonus_kind, b.amount, b.note
	FROM mentor.bonus_accruals((current_date - interval '2 months')::date, current_date) b
	JOIN mentor.employee e USING (employee_id) ORDER BY e.full_name, b.month"

psql -X -q -v ON_ERROR_STOP=1 -v calendar_b64="$(base64 -w0 "$MENTOR_ROOT/xml/samples/calendar/ru-2025.xml")" \
	-f "$MENTOR_ROOT/tests/demo/record.sql"
psql -X -q -v ON_ERROR_STOP=1 -f "$MENTOR_ROOT/tests/demo/internship.sql" 2>&1

echo
echo "== A signed certificate anyone can check with openssl"
mentor_make_signing_key
export_dir=$(mktemp -d /tmp/mentor-demo-export.XXXXXX)
trap 'rm -rf "$export_dir"; mentor_stop_cluster' EXIT
id=$(psql -X -At -c "SELECT c.certificate_id FROM mentor.certificate c JOIN mentor.employee e USING (employee_id) WHERE e.personnel_no = '100101'")
serial=$(psql -X -At -c "SELECT serial FROM mentor.certificate WHERE certificate_id = $id")
psql -X -At -c "SELECT encode(mentor.export_certificate($id), 'base64')" | base64 -d > "$export_dir/$serial.p7m"
echo "exported certificate $serial of Sergei Volkov: $export_dir/$serial.p7m ($(stat -c %s "$export_dir/$serial.p7m") bytes, CMS/DER)"
echo "\$ openssl cms -verify -inform DER -in $serial.p7m -CAfile ca.pem"
openssl cms -verify -inform DER -in "$export_dir/$serial.p7m" -CAfile "$MENTOR_CA"
echo
echo "== Rustam Khabibullin's admission to independent work, signed the same way"
pairing=$(psql -X -At -c "SELECT a.pairing_id FROM mentor.admission a JOIN mentor.pairing p USING (pairing_id) JOIN mentor.employee e ON e.employee_id = p.mentee_id WHERE e.personnel_no = '400415'")
psql -X -At -c "SELECT encode(mentor.export_admission($pairing), 'base64')" | base64 -d > "$export_dir/admission-400415.p7m"
echo "\$ openssl cms -verify -inform DER -in admission-400415.p7m -CAfile ca.pem | xmllint --format -"
openssl cms -verify -inform DER -in "$export_dir/admission-400415.p7m" -CAfile "$MENTOR_CA" | xmllint --format -
echo
echo "== The same export checked inside the database"
psql -X -c "SELECT valid, signer FROM mentor.verify_certificate_export(decode('$(base64 -w0 "$export_dir/$serial.p7m")', 'base64'))"
echo "== A revoked certificate is not exported"
# (an error is the expected outcome here)
psql -X -c "SELECT mentor.export_certificate(c.certificate_id) FROM mentor.certificate c JOIN mentor.employee e USING (employee_id) WHERE e.personnel_no = '100107'" 2>&1 | sed 's/^/  /' || true

if [ "${1:-}" = "--keep" ]; then
	trap 'rm -rf "$export_dir"' EXIT
	echo
	echo "The demo cluster keeps running. Connect with:"
	echo "  psql -h $PGHOST -p $PGPORT -U postgres"
	echo "Stop it with:"
	echo "  runuser -u postgres -- $PG_BIN/pg_ctl -D $MENTOR_PGDATA stop"
fi
