# tests/t/007_replication.pl: mentor past one machine.  A publication FOR
# TABLES IN SCHEMA mentor and a default subscription sync every table (the
# built-in rows both sides have merge, with the publisher's changes to
# them); the demo enterprise written on the publisher arrives row for row;
# a programme change applied by replication reaches a subscriber session's
# cached parameters; sync_sequences() lets a subscriber take writes.  A hot
# standby of the publisher runs every report function and view read-only.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $root = $ENV{MENTOR_ROOT} or die "MENTOR_ROOT is not set";

my $pub = PostgreSQL::Test::Cluster->new('publisher');
$pub->init(allows_streaming => 'logical');
$pub->start;
my $sub = PostgreSQL::Test::Cluster->new('subscriber');
$sub->init;
$sub->start;

foreach my $node ($pub, $sub)
{
	$node->safe_psql('postgres', 'CREATE DATABASE hr');
	$node->safe_psql('hr', 'CREATE EXTENSION mentor');
}

# the publisher tunes a built-in programme and adds rows of its own before
# the subscription starts: the initial copy must merge, not duplicate
$pub->safe_psql('hr', q{
	UPDATE mentor.program SET notice_working_days = 5 WHERE code = 'production';
	INSERT INTO mentor.program (code, title, max_mentees) VALUES ('apprentice', 'Apprenticeship', 3);
	INSERT INTO mentor.checklist_item (item, description, max_score) VALUES ('shift_handover', 'shift hand-over', 5);
	CREATE PUBLICATION mentor_pub FOR TABLES IN SCHEMA mentor;
});
my $pub_connstr = $pub->connstr . ' dbname=hr';
$sub->safe_psql('hr', "CREATE SUBSCRIPTION mentor_sub CONNECTION '$pub_connstr' PUBLICATION mentor_pub");
$sub->wait_for_subscription_sync($pub, 'mentor_sub', 'hr');
is($sub->safe_psql('hr', q{
	SELECT string_agg(code || '=' || coalesce(notice_working_days::text, '-'), ' ' ORDER BY code) FROM mentor.program}),
	'apprentice=- management=- production=5',
	'the initial copy merges the built-in programmes and brings the publisher\'s');
is($sub->safe_psql('hr', q{SELECT count(*) FROM mentor.checklist_item}),
	$pub->safe_psql('hr', q{SELECT count(*) FROM mentor.checklist_item}),
	'the checklist has the publisher\'s items, none twice');

# a workload on the publisher: the demo enterprise and its internship
foreach my $file ('enterprise.sql', 'internship.sql')
{
	my ($rc, $out, $err) = $pub->psql('hr', undef,
		extra_params => [ '-v', 'ON_ERROR_STOP=1', '-f', "$root/tests/demo/$file" ]);
	is($rc, 0, "publisher: tests/demo/$file loads") or diag($err);
}
$pub->wait_for_catchup('mentor_sub');

# every table, row for row
my $tables = $pub->safe_psql('hr', q{
	SELECT string_agg(c.oid::regclass::text, ' ' ORDER BY c.relname)
	FROM pg_class c WHERE c.relnamespace = 'mentor'::regnamespace AND c.relkind = 'r'});
my $digest = join(' UNION ALL ', map {
	"SELECT '$_' AS t, count(*) AS n, md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) AS h FROM $_ x" }
	split(/ /, $tables));
my $on_pub = $pub->safe_psql('hr', "SELECT string_agg(t || ':' || n || ':' || h, E'\\n' ORDER BY t) FROM ($digest) d");
my $on_sub = $sub->safe_psql('hr', "SELECT string_agg(t || ':' || n || ':' || h, E'\\n' ORDER BY t) FROM ($digest) d");
is($on_sub, $on_pub, 'every table of the subscriber holds the publisher\'s rows');
cmp_ok(scalar(split(/ /, $tables)), '>=', 30, 'every table is published');

# a subscriber taking writes (after a switch-over): its sequences lag until
# sync_sequences()
my ($rc, $out, $err) = $sub->psql('hr', q{
	INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade) VALUES ('900001', 'New Hire', 'mining', 2)});
like($err, qr/duplicate key value violates unique constraint "employee_pkey"/,
	'before sync_sequences a local write collides with replicated rows');
like($sub->safe_psql('hr', q{SELECT string_agg(sequence_name, ' ') FROM mentor.sync_sequences()}),
	qr/employee_employee_id_seq.*certificate_serial_seq/, 'sync_sequences sets every sequence');
is($sub->safe_psql('hr', q{
	INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade)
	VALUES ('900001', 'New Hire', 'mining', 2) RETURNING employee_id > 1}), 't',
	'after it, local writes take fresh ids');

# a subscriber session's cached programme parameters follow a change the
# apply worker makes (rolled-back attempts: nothing stays on the subscriber)
my $pairing = $sub->safe_psql('hr', q{
	SELECT min(pairing_id) FROM mentor.pairing WHERE program = 'management' AND status = 'active'});
my $attempt = "BEGIN; SELECT mentor.log_session($pairing, current_date + 400 + time '10:00', 60); ROLLBACK;";
my $session = $sub->background_psql('hr', on_error_stop => 0);
$session->query($attempt);
like($session->{stderr}, qr/cannot last 60 minutes/, 'a 60-minute session is refused under the 45-minute limit');
$session->{stderr} = '';
$pub->safe_psql('hr', q{UPDATE mentor.program SET max_session_minutes = 90 WHERE code = 'management'});
$pub->wait_for_catchup('mentor_sub');
$session->query($attempt);
is($session->{stderr}, '', 'the same session accepts it once the replicated change arrived');
$session->quit;

# a hot standby of the publisher: every report read-only
$pub->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($pub, 'base', has_streaming => 1);
$standby->start;
$pub->wait_for_catchup($standby, 'replay');
my %sample = (
	'bigint' => '1', 'integer' => '2026', 'numeric' => '16', 'boolean' => 'true',
	'date' => 'current_date', 'interval' => q{'90 days'}, 'text' => q{'production'},
	'timestamp with time zone' => 'now()', 'bytea' => q{'\\x00'}, 'jsonb' => q{'{}'});
my @calls = split(/\n/, $standby->safe_psql('hr', q{
	SELECT format('SELECT count(*) FROM %s(%s)', p.oid::regproc,
		(SELECT coalesce(string_agg(format_type(t, NULL), ',' ORDER BY n), '')
		 FROM unnest(p.proargtypes) WITH ORDINALITY a(t, n)))
	FROM pg_proc p
	WHERE p.pronamespace = 'mentor'::regnamespace AND p.prokind = 'f'
		AND p.provolatile IN ('s', 'i') AND p.prorettype <> 'trigger'::regtype
	UNION ALL
	SELECT format('SELECT count(*) FROM %s', c.oid::regclass)
	FROM pg_class c WHERE c.relnamespace = 'mentor'::regnamespace AND c.relkind = 'v'
	ORDER BY 1}));
cmp_ok(scalar(@calls), '>=', 25, 'the standby has every report function and view to call');
my @read_only_failures;
foreach my $call (@calls)
{
	(my $sql = $call) =~ s/\(([^()]*)\)$/'(' . join(', ', map { $sample{$_} \/\/ 'NULL' } grep { $_ ne '' } split(m{,}, $1)) . ')'/e;
	my ($crc, $cout, $cerr) = $standby->psql('hr', $sql, extra_params => [ '-v', 'VERBOSITY=verbose' ]);
	push @read_only_failures, "$sql: $cerr"
	  if $cerr =~ /ERROR:  (25006|XX000|55000: cannot execute)/ || $cerr =~ /server closed|terminated/;
}
is(join("\n", @read_only_failures), '', 'every report function and view runs on the hot standby');
is($standby->safe_psql('hr', q{SELECT count(*) FROM mentor.roster}),
	$pub->safe_psql('hr', q{SELECT count(*) FROM mentor.roster}), 'the roster reads the same on the standby');
is($standby->safe_psql('hr', q{SELECT count(*) FROM mentor.working_without_admission()}), '1',
	'the morning report runs on the standby');

$standby->stop;
$sub->stop;
$pub->stop;
done_testing();
