# tests/t/002_signing.pl: signed certificate export.  For RSA, P-256 and
# P-384 keys, an export verifies with `openssl cms -verify`, prints
# certificate_document byte for byte and has the structure `openssl cms
# -sign` gives the same document (both are OpenSSL's CMS API); so does an
# export under an intermediate CA from mentor.signing_chain_file.  Exports
# of documents of many lengths (where DER length headers change size)
# decode and re-encode to the same bytes.  A tampered byte, a wrong CA, a
# world-readable key, unset settings, a revoked or expired certificate, an
# RSA-PSS key and an Ed25519 key (on OpenSSL 3.0) are all refused clearly.
# Keys and certificates are generated here, never committed.
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

sub openssl
{
	my @cmd = ('openssl', @_);
	my ($out, $err) = run_command(\@cmd);
	return ($out, $err);
}

# a CA and a signing certificate it issued, for one key type
sub make_signer
{
	my ($name, @keyopts) = @_;
	run_quiet('openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt',
		'ec_paramgen_curve:P-256', '-nodes', '-keyout', "$dir/$name-ca.key",
		'-out', "$dir/$name-ca.pem", '-days', '30', '-subj', "/CN=$name test CA");
	run_quiet('openssl', 'req', '-newkey', @keyopts, '-nodes',
		'-keyout', "$dir/$name.key", '-out', "$dir/$name.csr",
		'-subj', "/O=Potash Mining/CN=$name signer");
	run_quiet('openssl', 'x509', '-req', '-in', "$dir/$name.csr",
		'-CA', "$dir/$name-ca.pem", '-CAkey', "$dir/$name-ca.key",
		'-CAcreateserial', '-out', "$dir/$name.pem", '-days', '30');
	chmod 0600, "$dir/$name.key";
	return ("$dir/$name.key", "$dir/$name.pem", "$dir/$name-ca.pem");
}

my $node = PostgreSQL::Test::Cluster->new('signing');
$node->init;
$node->append_conf('postgresql.conf', "mentor.issuing_organisation = 'Potash Mining & Co'");
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION mentor;
	INSERT INTO mentor.employee (personnel_no, full_name, function_area, grade)
	VALUES ('100234', 'Алексей Сидоров <chief>', 'mining', 10),
		('100235', 'Boris Old', 'mining', 9);
	INSERT INTO mentor.assessment (employee_id, method, score, max_score, assessed_on)
	SELECT e, m, 90, 100, '2020-01-01' FROM unnest(ARRAY[1, 2]) e,
		unnest(ARRAY['competency_model', 'test', 'case_study', 'manager_feedback']) m;
	SELECT mentor.approve_mentor(1, 'mentor', '2020-02-01');
	SELECT mentor.issue_certificate(1, current_date - 10);            -- 1: valid
	SELECT mentor.issue_certificate(1, current_date - 20);            -- 2: revoked below
	SELECT mentor.issue_certificate(2, current_date - 4000);          -- 3: expired
	SELECT mentor.revoke_certificate(2, current_date - 1, 'lost');
});

sub configure
{
	my ($key, $cert, $chain) = @_;
	$chain //= '';
	$node->safe_psql('postgres', qq{
		LOAD 'mentor';
		ALTER SYSTEM SET mentor.signing_key_file = '$key';
		ALTER SYSTEM SET mentor.signing_cert_file = '$cert';
		ALTER SYSTEM SET mentor.signing_chain_file = '$chain';
		SELECT pg_reload_conf();
	});
}

# what `openssl cms -print` shows of a SignedData, but for the signing
# time and the signature value, which differ from one signature to the next
sub cms_structure
{
	my ($file) = @_;
	my ($out, $err) = openssl('cms', '-cmsout', '-print', '-inform', 'DER', '-in', $file);
	$out =~ s/UTCTIME:.*$/UTCTIME:(signing time)/mg;
	$out =~ s/^( +signature: *\n)(?: +[0-9a-f]{4} - .*\n)+/$1(signature value)\n/mg;
	return $out;
}

# run sql, errors reported with their SQLSTATE ("ERROR:  22023: ...")
sub psql_verbose
{
	my ($sql) = @_;
	return $node->psql('postgres', $sql, extra_params => [ '-v', 'VERBOSITY=verbose' ]);
}

sub export_der
{
	my ($id) = @_;
	my $b64 = $node->safe_psql('postgres',
		"SELECT encode(mentor.export_certificate($id), 'base64')");
	return decode_base64($b64);
}

my $document = decode_base64($node->safe_psql('postgres',
	"SELECT encode(mentor.certificate_document(1), 'base64')"));
like($document, qr{^<\?xml version="1.0" encoding="UTF-8"\?>\n<certificate xmlns="urn:mentor:certificate:1">},
	'the document is UTF-8 XML in the certificate namespace');
like($document, qr{<fullName>Алексей Сидоров &lt;chief&gt;</fullName>}, 'names are escaped and UTF-8');
like($document, qr{<issuer>Potash Mining &amp; Co</issuer>}, 'the issuer comes from the setting');
is(decode_base64($node->safe_psql('postgres',
	"SELECT encode(mentor.certificate_document(1), 'base64')")), $document,
	'the document is deterministic');

# the export has the structure `openssl cms -sign` gives the same document
sub same_structure_as_openssl
{
	my ($name, $p7m, $key, $cert, @certfile) = @_;
	write_file("$dir/$name-document.xml", $document);
	run_quiet('openssl', 'cms', '-sign', '-binary', '-nodetach', '-nosmimecap',
		'-md', 'sha256', '-signer', $cert, '-inkey', $key, @certfile,
		'-in', "$dir/$name-document.xml", '-outform', 'DER', '-out', "$dir/$name-openssl.p7m");
	my $ours = cms_structure($p7m);
	like($ours, qr/signingTime.*messageDigest.*\(signature value\)/s,
		"$name: the export has signed attributes and a signature");
	is($ours, cms_structure("$dir/$name-openssl.p7m"),
		"$name: the export has the structure of openssl cms -sign");
}

# unset settings: an error whose hint says what to set
my ($rc, $out, $err) = psql_verbose('SELECT mentor.export_certificate(1)');
like($err, qr/ERROR:  55000: setting mentor.signing_key_file is not set.*HINT:.*postgresql.conf/s,
	'unset settings give a hinted error');

for my $type (
	[ 'rsa', 'rsa:2048' ],
	[ 'p256', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256' ],
	[ 'p384', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384' ])
{
	my ($name, @keyopts) = @$type;
	my ($key, $cert, $ca) = make_signer($name, @keyopts);
	configure($key, $cert);

	my $der = export_der(1);
	write_file("$dir/$name.p7m", $der);
	my ($vout, $verr) = openssl('cms', '-verify', '-inform', 'DER', '-in', "$dir/$name.p7m",
		'-CAfile', $ca, '-out', "$dir/$name.xml");
	like($verr, qr/Verification successful/, "$name: openssl cms -verify accepts the export");
	is(read_file("$dir/$name.xml"), $document, "$name: openssl prints the document byte for byte");
	same_structure_as_openssl($name, "$dir/$name.p7m", $key, $cert);

	is($node->safe_psql('postgres', qq{
		SELECT valid || ' ' || signer || ' ' || (document::text = convert_from(mentor.certificate_document(1), 'UTF8')
			OR document::text || E'\\n' = convert_from(mentor.certificate_document(1), 'UTF8'))
		FROM mentor.verify_certificate_export(decode('@{[encode_base64($der, '')]}', 'base64'))}),
		"true CN=$name signer,O=Potash Mining true", "$name: verify_certificate_export accepts it");

	# one byte of the signed content changed
	(my $tampered = $der) =~ s/MC-/MD-/;
	isnt($tampered, $der, "$name: tampered copy differs");
	write_file("$dir/$name-bad.p7m", $tampered);
	($vout, $verr) = openssl('cms', '-verify', '-inform', 'DER', '-in', "$dir/$name-bad.p7m",
		'-CAfile', $ca, '-out', "$dir/$name-bad.xml");
	unlike($verr, qr/Verification successful/, "$name: openssl refuses a tampered export");
	is($node->safe_psql('postgres', qq{
		SELECT valid, signer IS NULL, document IS NULL
		FROM mentor.verify_certificate_export(decode('@{[encode_base64($tampered, '')]}', 'base64'))}),
		'f|t|t', "$name: verify_certificate_export reports tampering as valid = false");

	# PEM form
	my $pem = $node->safe_psql('postgres', 'SELECT mentor.export_certificate_pem(1)');
	write_file("$dir/$name.pem.p7m", "$pem\n");
	($vout, $verr) = openssl('cms', '-verify', '-inform', 'PEM', '-in', "$dir/$name.pem.p7m",
		'-CAfile', $ca, '-out', "$dir/$name-pem.xml");
	is(read_file("$dir/$name-pem.xml"), $document, "$name: the PEM form verifies too");
}

# an intermediate CA: the chain file's certificates travel in the export
run_quiet('openssl', 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
	'-keyout', "$dir/inter.key", '-out', "$dir/inter.csr", '-subj', '/CN=p256 intermediate CA');
write_file("$dir/ca.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n");
run_quiet('openssl', 'x509', '-req', '-in', "$dir/inter.csr", '-CA', "$dir/p256-ca.pem",
	'-CAkey', "$dir/p256-ca.key", '-CAcreateserial', '-extfile', "$dir/ca.ext",
	'-out', "$dir/inter.pem", '-days', '30');
run_quiet('openssl', 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
	'-keyout', "$dir/chained.key", '-out', "$dir/chained.csr", '-subj', '/CN=chained signer');
run_quiet('openssl', 'x509', '-req', '-in', "$dir/chained.csr", '-CA', "$dir/inter.pem",
	'-CAkey', "$dir/inter.key", '-CAcreateserial', '-out', "$dir/chained.pem", '-days', '30');
chmod 0600, "$dir/chained.key";
configure("$dir/chained.key", "$dir/chained.pem", "$dir/inter.pem");
write_file("$dir/chained.p7m", export_der(1));
my ($cout, $cerr) = openssl('cms', '-verify', '-inform', 'DER', '-in', "$dir/chained.p7m",
	'-CAfile', "$dir/p256-ca.pem", '-out', "$dir/chained.xml");
like($cerr, qr/Verification successful/, 'chain: openssl verifies against the root CA alone');
is(read_file("$dir/chained.xml"), $document, 'chain: the document byte for byte');
same_structure_as_openssl('chain', "$dir/chained.p7m", "$dir/chained.key", "$dir/chained.pem",
	'-certfile', "$dir/inter.pem");
is($node->safe_psql('postgres', qq{
	SELECT valid FROM mentor.verify_certificate_export(decode('@{[encode_base64(read_file("$dir/chained.p7m"), '')]}', 'base64'))}),
	't', 'chain: verify_certificate_export accepts it');

# a look-alike: another leaf under the same intermediate (in an enterprise,
# any employee's certificate) signs the same document with openssl itself;
# it chains to the same CA, but it is not the configured signer
run_quiet('openssl', 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
	'-keyout', "$dir/lookalike.key", '-out', "$dir/lookalike.csr", '-subj', '/CN=chained signer');
run_quiet('openssl', 'x509', '-req', '-in', "$dir/lookalike.csr", '-CA', "$dir/inter.pem",
	'-CAkey', "$dir/inter.key", '-CAcreateserial', '-out', "$dir/lookalike.pem", '-days', '30');
run_quiet('openssl', 'cms', '-sign', '-binary', '-nodetach', '-md', 'sha256', '-outform', 'DER',
	'-in', "$dir/chained.xml", '-signer', "$dir/lookalike.pem", '-inkey', "$dir/lookalike.key",
	'-certfile', "$dir/inter.pem", '-out', "$dir/lookalike.p7m");
($cout, $cerr) = openssl('cms', '-verify', '-inform', 'DER', '-in', "$dir/lookalike.p7m",
	'-CAfile', "$dir/p256-ca.pem", '-out', "$dir/lookalike.xml");
like($cerr, qr/Verification successful/, 'look-alike: a valid signature under the same CA');
is($node->safe_psql('postgres', qq{
	SELECT valid, signer IS NULL, document IS NULL FROM mentor.verify_certificate_export(decode('@{[encode_base64(read_file("$dir/lookalike.p7m"), '')]}', 'base64'))}),
	'f|t|t', 'look-alike: valid = false for a signer other than the configured certificate');
configure("$dir/p256.key", "$dir/p256.pem");

# a wrong CA
my ($okey, $ocert, $oca) = make_signer('other', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256');
my ($vout, $verr) = openssl('cms', '-verify', '-inform', 'DER', '-in', "$dir/p384.p7m",
	'-CAfile', $oca, '-out', "$dir/wrong-ca.xml");
unlike($verr, qr/Verification successful/, 'openssl refuses an export under the wrong CA');

# an export by another signer is not valid for this configuration
configure($okey, $ocert);
is($node->safe_psql('postgres', qq{
	SELECT valid FROM mentor.verify_certificate_export(decode('@{[encode_base64(read_file("$dir/p384.p7m"), '')]}', 'base64'))}),
	'f', 'an export signed by another key is valid = false');
is($node->safe_psql('postgres',
	q{SELECT valid FROM mentor.verify_certificate_export('\x3082deadbeef'::bytea)}),
	'f', 'garbage is valid = false, not an error');

# a key readable by others is refused, as PostgreSQL refuses such an ssl_key_file
chmod 0644, $okey;
($rc, $out, $err) = psql_verbose('SELECT mentor.export_certificate(1)');
like($err, qr/ERROR:  F0000: signing key file ".*" has group or world access/, 'a world-readable key is refused');
chmod 0600, $okey;
($rc, $out, $err) = $node->psql('postgres', 'SELECT length(mentor.export_certificate(1)) > 0');
is($out, 't', 'the same key works again once private');

# revoked and expired certificates
($rc, $out, $err) = psql_verbose('SELECT mentor.export_certificate(2)');
like($err, qr/ERROR:  22023: certificate MC-\d+-000002 is revoked/, 'a revoked certificate is refused');
($rc, $out, $err) = psql_verbose('SELECT mentor.export_certificate(3)');
like($err, qr/ERROR:  22023: certificate MC-\d+-000003 is not valid today/, 'an expired certificate is refused');
($rc, $out, $err) = psql_verbose('SELECT mentor.export_certificate(99)');
like($err, qr/ERROR:  P0002: certificate 99 does not exist/, 'an unknown certificate is refused');

# a key that does not match the certificate
configure($okey, "$dir/p256.pem");
($rc, $out, $err) = psql_verbose('SELECT mentor.export_certificate(1)');
like($err, qr/ERROR:  F0000: signing certificate .* does not match the signing key/, 'a key that does not match its certificate is refused');

# a short RSA key
run_quiet('openssl', 'genrsa', '-out', "$dir/short.key", '1024');
chmod 0600, "$dir/short.key";
run_quiet('openssl', 'req', '-x509', '-key', "$dir/short.key", '-out', "$dir/short.pem",
	'-days', '30', '-subj', '/CN=short');
configure("$dir/short.key", "$dir/short.pem");
($rc, $out, $err) = psql_verbose('SELECT mentor.export_certificate(1)');
like($err, qr/ERROR:  F0000: .*1024-bit RSA key/, 'RSA keys under 2048 bits are refused');

# RSA-PSS: OpenSSL 3.0's CMS would label its signature rsaEncryption
run_quiet('openssl', 'genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048',
	'-out', "$dir/pss.key");
chmod 0600, "$dir/pss.key";
run_quiet('openssl', 'req', '-x509', '-key', "$dir/pss.key", '-out', "$dir/pss.pem",
	'-days', '30', '-subj', '/CN=pss');
configure("$dir/pss.key", "$dir/pss.pem");
($rc, $out, $err) = psql_verbose('SELECT mentor.export_certificate(1)');
like($err, qr/ERROR:  F0000: .*holds a RSASSA-PSS key, which cannot sign exports.*HINT:.*RSA key of 2048 bits/s,
	'RSA-PSS keys are refused with a hint');

# Ed25519: OpenSSL 3.0 cannot put it in CMS; newer versions can
run_quiet('openssl', 'req', '-x509', '-newkey', 'ed25519', '-nodes', '-keyout', "$dir/ed.key",
	'-out', "$dir/ed.pem", '-days', '30', '-subj', '/CN=ed25519 signer');
chmod 0600, "$dir/ed.key";
configure("$dir/ed.key", "$dir/ed.pem");
($rc, $out, $err) = psql_verbose('SELECT length(mentor.export_certificate(1)) > 0');
if ($rc == 0)
{
	is($out, 't', 'Ed25519 signs where this OpenSSL supports it in CMS');
}
else
{
	like($err, qr/ERROR:  0A000: could not sign certificate .*cannot sign CMS with ED25519 keys.*HINT:.*RSA/s,
		'Ed25519 on OpenSSL 3.0 gives a clear error');
}

# bulk export of a site: only valid certificates
configure("$dir/p256.key", "$dir/p256.pem");
is($node->safe_psql('postgres',
	q{SELECT string_agg(file_name, ',') FROM mentor.export_site_certificates()}),
	$node->safe_psql('postgres', q{SELECT serial || '.p7m' FROM mentor.certificate WHERE certificate_id = 1}),
	'bulk export lists only certificates valid today');

# the DBA's command: every valid certificate to a file, with progress
my ($bout, $berr) = ('', '');
ok(IPC::Run::run([ "$root/xml/mentor-export-certificates", "$dir/bulk",
			'-h', $node->host, '-p', $node->port, '-d', 'postgres' ],
		'>', \$bout, '2>', \$berr),
	'mentor-export-certificates succeeds') or diag($berr);
like($bout, qr{exporting 1 certificate.*1/1.*wrote 1 file}s, 'it reports its progress');
my ($serial) = $node->safe_psql('postgres',
	'SELECT serial FROM mentor.certificate WHERE certificate_id = 1');
($vout, $verr) = openssl('cms', '-verify', '-inform', 'DER', '-in', "$dir/bulk/$serial.p7m",
	'-CAfile', "$dir/p256-ca.pem", '-out', "$dir/bulk.xml");
is(read_file("$dir/bulk.xml"), $document, 'the written file verifies with openssl');

# documents of many lengths: every export decodes (d2i) and re-encodes
# (i2d, openssl cms -cmsout) to the same bytes, verifies, and gives the
# document back.  The holder's name grows one byte at a time from the
# shortest document, and again where the content and the structures around
# it cross 65,535 bytes (DER's two- and three-byte length headers).
$node->safe_psql('postgres', q{
	CREATE FUNCTION public.exports_of_lengths(lengths int[])
	RETURNS TABLE (doc_length int, der bytea) LANGUAGE plpgsql AS $$
	DECLARE
		holder bigint := (SELECT employee_id FROM mentor.certificate WHERE certificate_id = 1);
		base int;
		l int;
	BEGIN
		UPDATE mentor.employee SET full_name = 'A' WHERE employee_id = holder;
		base := length(mentor.certificate_document(1)) - 1;
		FOREACH l IN ARRAY lengths LOOP
			IF l > base THEN
				UPDATE mentor.employee SET full_name = repeat('A', l - base) WHERE employee_id = holder;
				doc_length := length(mentor.certificate_document(1));
				der := mentor.export_certificate(1);
				RETURN NEXT;
			END IF;
		END LOOP;
	END $$});
my $lengths = join(',', 0 .. 700, map({ 63_000 + 18 * $_ } 0 .. 150), 65_530 .. 65_540);
my @rows = split(/\n/, $node->safe_psql('postgres',
	"SELECT doc_length || ' ' || translate(encode(der, 'base64'), E'\\n', '') FROM public.exports_of_lengths(ARRAY[$lengths])",
	extra_params => [ '-P', 'format=unaligned' ]));
my ($same, $verified, $checked) = (0, 0, 0);
my %covered;
foreach my $row (@rows)
{
	my ($length, $b64) = split(/ /, $row, 2);
	my $der = decode_base64($b64);
	write_file("$dir/length.p7m", $der);
	run_quiet('openssl', 'cms', '-cmsout', '-inform', 'DER', '-outform', 'DER',
		'-in', "$dir/length.p7m", '-out', "$dir/length-again.p7m");
	$same++ if read_file("$dir/length-again.p7m") eq $der;
	my ($lout, $lerr) = openssl('cms', '-verify', '-inform', 'DER', '-in', "$dir/length.p7m",
		'-CAfile', "$dir/p256-ca.pem", '-out', "$dir/length.xml");
	$verified++ if $lerr =~ /Verification successful/ && length(read_file("$dir/length.xml")) == $length;
	$covered{$length} = 1;
	$checked++;
}
cmp_ok($checked, ">", 450, "exports of $checked document lengths were made");
ok($covered{65_535} && $covered{65_536}, 'documents of 65,535 and 65,536 bytes are among them');
is($same, $checked, 'every export re-encodes to the same bytes');
is($verified, $checked, 'every export verifies with openssl and gives its document back');

$node->stop;
done_testing();
