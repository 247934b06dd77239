# tests/t/006_admission_export.pl: the signed admission to independent
# work.  An admitted mentee's export_admission verifies with `openssl cms
# -verify` against the signing CA and prints admission_document byte for
# byte; the document validates against xml/mentor_admission.xsd; a
# tampered byte fails verification; a pairing without admission has no
# document (P0002); and neither function is executable by PUBLIC.  Keys are
# generated here, never committed.
use strict;
use warnings;
use IPC::Run;
use MIME::Base64;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use FindBin;
use lib $FindBin::RealBin;
use MentorFiles;

my $dir = PostgreSQL::Test::Utils::tempdir;
my $root = $ENV{MENTOR_ROOT} or die "MENTOR_ROOT is not set";

# a CA and an RSA signing certificate it issued
run_quiet('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes',
	'-keyout', "$dir/ca.key", '-out', "$dir/ca.pem", '-days', '30',
	'-subj', '/CN=mentor test CA');
run_quiet('openssl', 'req', '-newkey', 'rsa:2048', '-nodes',
	'-keyout', "$dir/signer.key", '-out', "$dir/signer.csr",
	'-subj', '/O=Potash Mining/CN=HR signer');
run_quiet('openssl', 'x509', '-req', '-in', "$dir/signer.csr",
	'-CA', "$dir/ca.pem", '-CAkey', "$dir/ca.key", '-CAcreateserial',
	'-out', "$dir/signer.pem", '-days', '30');
chmod 0600, "$dir/signer.key";

my $node = PostgreSQL::Test::Cluster->new('admission');
$node->init;
$node->append_conf('postgresql.conf', qq{
mentor.issuing_organisation = 'Potash Mining & Co'
mentor.signing_key_file = '$dir/signer.key'
mentor.signing_cert_file = '$dir/signer.pem'
});
$node->start;

# an operator admitted after three shifts, two skills and a passed check
$node->safe_psql('postgres', q{
	CREATE EXTENSION mentor;
	INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade, site, profession, is_hr) VALUES
		('100234', 'Алексей Сидоров', 'mining', 10, 'Mine-1', 'drill operator', false),
		('200001', 'Ирина «Новая» <оператор>', 'mining', 3, 'Mine-1', 'drill operator', false),
		('300001', 'Helen Hart', 'hr', 9, 'Mine-1', 'hr specialist', true),
		('200002', 'Pyotr Second', 'mining', 3, 'Mine-1', 'drill operator', false);
	INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on)
	SELECT 1, m, 90, 100, '2025-12-01'
	FROM unnest(ARRAY['competency_model', 'test', 'case_study', 'manager_feedback']) m;
	SELECT mentor.approve_mentor(1, 'mentor', '2026-01-01');
	SELECT mentor.issue_certificate(1, '2026-01-10');
	INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to)
	VALUES ('MA-1', 1, '2026-01-05', '2026-01-05', '2029-01-04');
	INSERT INTO mentor.profession (profession, onboarding_weeks, internship_shifts)
	VALUES ('drill operator', 8, 3);
	INSERT INTO mentor.skill (profession, skill, description) VALUES
		('drill operator', 'pre_shift_check', 'проверка установки перед сменой'),
		('drill operator', 'gas_measurement', 'замер метана & CO');
	SELECT mentor.assign_pairing('production', 2, 1, '2026-02-02');
	SELECT mentor.log_shift(1, d) FROM unnest(ARRAY['2026-02-03', '2026-02-04', '2026-02-05']::date[]) d;
	SELECT mentor.sign_skill(1, s, '2026-02-05') FROM unnest(ARRAY['pre_shift_check', 'gas_measurement']) s;
	SELECT mentor.record_knowledge_check(1, '2026-02-06', true, 3);
	SELECT mentor.admit(1, '2026-02-09', 3, 'ДА-2026/17');
	SELECT mentor.assign_pairing('production', 4, 1, '2026-02-02');
});

my $document = decode_base64($node->safe_psql('postgres',
	"SELECT encode(mentor.admission_document(1), 'base64')"));
like($document, qr{^<\?xml version="1.0" encoding="UTF-8"\?>\n<admission xmlns="urn:mentor:admission:1">},
	'the document is UTF-8 XML in the admission namespace');
like($document, qr{<fullName>Ирина «Новая» &lt;оператор&gt;</fullName>}, 'names are escaped and UTF-8');
like($document, qr{<skill code="gas_measurement" signedOn="2026-02-05">замер метана &amp; CO</skill>},
	'skills carry their sign-off day');
like($document, qr{<shiftsWorked>3</shiftsWorked>.*<admittedOn>2026-02-09</admittedOn>}s,
	'shifts and the admission day are there');
write_file("$dir/admission.xml", $document);
my ($xout, $xerr) = run_command([ 'xmllint', '--noout', '--schema',
	"$root/xml/mentor_admission.xsd", "$dir/admission.xml" ]);
like($xerr, qr/validates/, 'the document validates against xml/mentor_admission.xsd');

# signed: openssl verifies it and prints the document byte for byte
my $der = decode_base64($node->safe_psql('postgres',
	"SELECT encode(mentor.export_admission(1), 'base64')"));
write_file("$dir/admission.p7m", $der);
my ($vout, $verr) = run_command([ 'openssl', 'cms', '-verify', '-inform', 'DER',
	'-in', "$dir/admission.p7m", '-CAfile', "$dir/ca.pem", '-out', "$dir/verified.xml" ]);
like($verr, qr/Verification successful/, 'openssl cms -verify accepts the export');
is(read_file("$dir/verified.xml"), $document, 'openssl prints the document byte for byte');

# one byte of the document changed: verification fails
my $at = index($der, '2026-02-09');
ok($at > 0, 'the admission day is in the signed content');
substr($der, $at + 9, 1) = '8';
write_file("$dir/tampered.p7m", $der);
($vout, $verr) = run_command([ 'openssl', 'cms', '-verify', '-inform', 'DER',
	'-in', "$dir/tampered.p7m", '-CAfile', "$dir/ca.pem", '-out', "$dir/tampered.xml" ]);
unlike($verr, qr/Verification successful/, 'a tampered export does not verify');

# no admission, no document
my ($rc, $out, $err) = $node->psql('postgres', 'SELECT mentor.export_admission(2)',
	extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($err, qr/ERROR:  P0002: pairing 2 has no admission to independent work/,
	'a pairing without admission has nothing to export');

# neither function is PUBLIC's
$node->safe_psql('postgres', q{
	CREATE ROLE clerk LOGIN;
	GRANT USAGE ON SCHEMA mentor TO clerk;
	GRANT SELECT ON ALL TABLES IN SCHEMA mentor TO clerk;
});
for my $f ('admission_document', 'export_admission')
{
	($rc, $out, $err) = $node->psql('postgres', "SELECT mentor.$f(1)",
		extra_params => [ '-U', 'clerk', '-v', 'VERBOSITY=verbose' ]);
	like($err, qr/ERROR:  42501: permission denied for function $f/, "$f is not executable by PUBLIC");
}

$node->stop;
done_testing();
