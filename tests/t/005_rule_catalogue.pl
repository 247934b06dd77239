# tests/t/005_rule_catalogue.pl: the rule catalogue (the mentor.rules view)
# is the one list of rules, and everything else agrees with it.  Grep a
# rule's name and you land on its C check, its refusal in a test's expected
# output and its README row: every rule of the view has a place in C that
# raises it, a refusal with SQLSTATE 23514 and that CONSTRAINT in expected/,
# and a row in the README's rule table; every rule C raises is in the view;
# enforced_in names triggers that exist on those tables.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $root = $ENV{MENTOR_ROOT} or die "MENTOR_ROOT is not set";

sub slurp_all
{
	my $text = '';
	foreach my $file (@_)
	{
		open(my $fh, '<', $file) or die "$file: $!";
		local $/;
		$text .= <$fh>;
	}
	return $text;
}

my $node = PostgreSQL::Test::Cluster->new('catalogue');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION mentor');
my %rules = map { split(/\|/, $_, 2) } split(/\n/, $node->safe_psql('postgres',
	'SELECT rule, enforced_in FROM mentor.rules ORDER BY rule'));
cmp_ok(scalar(keys %rules), '>=', 19, 'the view lists the rules of the contract');

my $c = slurp_all(glob("$root/extension/*.c"), glob("$root/xml/*.c"));
my $expected = slurp_all(glob("$root/expected/*.out"));
my $readme = slurp_all("$root/README.md");
my %triggers = map { $_ => 1 } split(/\n/, $node->safe_psql('postgres', q{
	SELECT t.tgname || ' on ' || t.tgrelid::regclass FROM pg_trigger t
	WHERE NOT t.tgisinternal AND t.tgrelid IN
		(SELECT oid FROM pg_class WHERE relnamespace = 'mentor'::regnamespace)}));

foreach my $rule (sort keys %rules)
{
	like($c, qr/mentor_rule_error\([^,]*,\s*"\Q$rule\E"\)/,
		"$rule: raised in C");
	like($expected, qr/ERROR 23514 \Q$rule\E on /,
		"$rule: a test's expected output refuses with it");
	like($readme, qr/^\| `\Q$rule\E` \|/m, "$rule: a row in the README's rule table");
	my @missing;
	foreach my $place (split(/; /, $rules{$rule}))
	{
		next if $place =~ /^function /;
		my ($names, $table) = $place =~ /^triggers? (.+) on (mentor\.\w+)$/
		  or do { push @missing, $place; next };
		push @missing, grep { !$triggers{"$_ on $table"} } split(/ and /, $names);
	}
	is("@missing", '', "$rule: enforced_in names triggers that exist");
}

my %raised = map { $_ => 1 } $c =~ /mentor_rule_error\([^,]*,\s*"(mentor_\w+)"\)/g;
is(join(' ', grep { !exists $rules{$_} } sort keys %raised), '',
	'every rule C raises is in the view');

$node->stop;
done_testing();
