# tests/t/003_uploader.pl: the legal department's uploader (mentor-upload)
# against a running server: each agreement's outcome, exit status 0 when all
# landed and 1 when anything was rejected, dry runs that write nothing.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $root = $ENV{MENTOR_ROOT} or die "MENTOR_ROOT is not set";
my $samples = "$root/xml/samples";

my $node = PostgreSQL::Test::Cluster->new('uploader');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION mentor;
	INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade)
	SELECT '10010' || i, 'Mentor ' || i, 'mining', 8 FROM generate_series(1, 7) i;
	INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on)
	SELECT e, m, 90, 100, '2025-12-01' FROM generate_series(1, 7) e,
		unnest(ARRAY['competency_model', 'test', 'case_study', 'manager_feedback']) m;
	SELECT count(mentor.approve_mentor(e, 'mentor', '2026-01-01')) FROM generate_series(1, 7) e;
	-- the agreements the sample forms replace
	INSERT INTO mentor.agreement (number, employee_id, signed_on, valid_from, valid_to)
	SELECT 'MA-2024-' || personnel_no, employee_id, '2024-03-01', '2024-03-01', '2027-02-28'
	FROM mentor.employee;
});
my $conninfo = $node->connstr('postgres');

sub upload
{
	my ($out, $err) = ('', '');
	IPC::Run::run([ 'mentor-upload', @_ ], '>', \$out, '2>', \$err);
	return ($? >> 8, $out, $err);
}

my ($status, $out, $err) = upload('--dry-run', $conninfo, "$samples/batch.xml");
is($status, 0, 'a dry run of a good batch exits 0');
like($out, qr/MA-2026-00101 would insert \(personnel no 100101, line 4\)/, 'a dry run says what would happen');
is($node->safe_psql('postgres', 'SELECT count(*) FROM mentor.agreement'), '7', 'a dry run writes nothing');

($status, $out, $err) = upload($conninfo, "$samples/batch.xml", "$samples/single.xml",
	"$samples/cp1251.xml", "$samples/utf16.xml");
is($status, 0, 'the sample forms land: exit 0') or diag($out . $err);
is(() = $out =~ / inserted /g, 6, 'six agreements inserted, one line each');
is(() = $out =~ / replaced /g, 6, 'each replacing the mentor\'s earlier agreement');
is($node->safe_psql('postgres', q{SELECT count(*) FROM mentor.agreement WHERE number NOT LIKE 'MA-2024-%'}), '6',
	'six agreements in the table');
is($node->safe_psql('postgres', q{SELECT count(*) FROM mentor.agreement old JOIN mentor.agreement new
	ON new.replaces = old.number WHERE old.valid_to = new.valid_from - 1}), '6',
	'the six agreements they replace end the day before them');

($status, $out, $err) = upload($conninfo, "$samples/batch.xml");
is($status, 0, 'uploading again exits 0');
is(() = $out =~ / unchanged /g, 3, 'and changes nothing');

($status, $out, $err) = upload($conninfo, "$samples/broken/business_invalid.xml", "$samples/single.xml");
is($status, 1, 'a rejected file makes the exit status 1');
like($out, qr/business_invalid.xml: REJECTED: 5 of 5 agreements rejected/, 'the rejection is reported');
like($out, qr/business_invalid.xml:   line 6, agreement MA-2026-00301: no employee has personnel number 999999/,
	'with every problem and its line');
like($out, qr/single.xml: MA-2026-00104 unchanged/, 'the other files are still processed');

($status, $out, $err) = upload($conninfo, "$samples/broken/xxe_file.xml");
is($status, 1, 'a hostile file is rejected');
unlike($out, qr/root:/, 'and no file content appears');

($status, $out, $err) = upload($conninfo, "$samples/no-such-file.xml");
is($status, 1, 'a missing file is a failure');
($status, $out, $err) = upload('dbname=nosuchdb host=/nonexistent', "$samples/batch.xml");
is($status, 2, 'a connection failure exits 2');
($status, $out, $err) = upload();
is($status, 2, 'no arguments: usage, exit 2');

$node->stop;
done_testing();
