# tests/t/001_dump_restore.pl: pg_dump keeps every data table of mentor, a
# restore as the README documents it (session_replication_role = replica,
# so the rule triggers do not re-judge history) brings back every row, and
# the restored database enforces the same rules.  Needs its own cluster, so
# it is a TAP test.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $root = $ENV{MENTOR_ROOT} or die "MENTOR_ROOT is not set";

my $node = PostgreSQL::Test::Cluster->new('main');
$node->init;
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE hr');
$node->safe_psql('hr', 'CREATE EXTENSION mentor');
my ($rc, $out, $err) = $node->psql('hr', undef,
	extra_params => [ '-f', "$root/tests/demo/enterprise.sql" ]);
is($rc, 0, 'demo enterprise loads') or diag($err);
($rc, $out, $err) = $node->psql('hr', undef,
	extra_params => [ '-v', 'ON_ERROR_STOP=1', '-f', "$root/tests/demo/internship.sql" ]);
is($rc, 0, 'the demo internship loads') or diag($err);

# a programme of the company's own, and a tuned rule threshold
$node->safe_psql('hr', q{
	INSERT INTO mentor.program (code, title, max_mentees, max_session_minutes)
	VALUES ('apprentice', 'Apprenticeship', 3, 240);
	INSERT INTO mentor.selection_threshold (method, required_pct, required)
	VALUES ('safety_exam', 80, false);
});

my $counts = q{
	SELECT string_agg(t || '=' || n, ' ' ORDER BY t) FROM (
		SELECT 'employee' t, count(*) n FROM mentor.employee UNION ALL
		SELECT 'program', count(*) FROM mentor.program UNION ALL
		SELECT 'threshold', count(*) FROM mentor.selection_threshold UNION ALL
		SELECT 'holiday', count(*) FROM mentor.holiday UNION ALL
		SELECT 'assessment', count(*) FROM mentor.assessment UNION ALL
		SELECT 'mentor', count(*) FROM mentor.mentor UNION ALL
		SELECT 'certificate', count(*) FROM mentor.certificate UNION ALL
		SELECT 'agreement', count(*) FROM mentor.agreement UNION ALL
		SELECT 'pairing', count(*) FROM mentor.pairing UNION ALL
		SELECT 'session', count(*) FROM mentor.session UNION ALL
		SELECT 'skill', count(*) FROM mentor.skill UNION ALL
		SELECT 'shift', count(*) FROM mentor.internship_shift UNION ALL
		SELECT 'signoff', count(*) FROM mentor.skill_signoff UNION ALL
		SELECT 'check', count(*) FROM mentor.knowledge_check UNION ALL
		SELECT 'admission', count(*) FROM mentor.admission UNION ALL
		SELECT 'workshop', count(*) FROM mentor.workshop UNION ALL
		SELECT 'attendance', count(*) FROM mentor.workshop_attendance) c};
my $before = $node->safe_psql('hr', $counts);

my $dump = $node->basedir . '/hr.sql';
$node->command_ok([ 'pg_dump', '-d', $node->connstr('hr'), '-f', $dump ],
	'pg_dump of the HR database');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
{
	local $ENV{PGOPTIONS} = '-c session_replication_role=replica';
	($rc, $out, $err) = $node->psql('restored', undef,
		extra_params => [ '-v', 'ON_ERROR_STOP=1', '-f', $dump ]);
}
is($rc, 0, 'the dump restores without errors') or diag($err);

is($node->safe_psql('restored', $counts), $before,
	'every table has the same rows after restore');
is($node->safe_psql('restored',
		"SELECT max_session_minutes FROM mentor.program WHERE code = 'apprentice'"),
	'240', 'a programme of our own survives');

# identities continue after the restored rows
is($node->safe_psql('restored', q{
	INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade)
	VALUES ('999999', 'New Hire', 'mining', 2) RETURNING employee_id > 0}),
	't', 'new employees get fresh ids');

# and the rules still hold
($rc, $out, $err) = $node->psql('restored', q{
	SELECT mentor.assign_pairing('production',
		(SELECT employee_id FROM mentor.employee WHERE personnel_no = '400404'),
		(SELECT employee_id FROM mentor.employee WHERE personnel_no = '100101'))});
like($err, qr/mentor_capacity|has no free place/,
	'rules are enforced in the restored database');

$node->stop;
done_testing();
