# tests/t/MentorFiles.pm: what the signing TAP tests share: run a command
# quietly, write and read files byte for byte.
package MentorFiles;

use strict;
use warnings;
use Exporter 'import';
use IPC::Run;

our @EXPORT = qw(run_quiet write_file read_file);

# run a command quietly; die with its output if it fails
sub run_quiet
{
	my ($out, $err) = ('', '');
	IPC::Run::run(\@_, '>', \$out, '2>', \$err) or die "@_ failed: $err";
}

sub write_file
{
	my ($path, $bytes) = @_;
	open my $fh, '>:raw', $path or die "$path: $!";
	print $fh $bytes;
	close $fh;
}

# the file's bytes, or undef when it cannot be read
sub read_file
{
	my ($path) = @_;
	open my $fh, '<:raw', $path or return undef;
	local $/;
	my $bytes = <$fh>;
	close $fh;
	return $bytes;
}

1;
