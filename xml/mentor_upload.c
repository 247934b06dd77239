/*-------------------------------------------------------------------------
 *
 * mentor_upload.c
 *	  mentor-upload: the legal department's command-line uploader of
 *	  mentorship agreement forms (libpq).
 *
 *	  mentor-upload [--dry-run] CONNINFO FILE...
 *
 * Each file is sent as it is on disk (so its declared encoding counts) to
 * mentor.import_agreements(bytea, dry_run), in a transaction of its own,
 * and each agreement's outcome is printed.  Exit status: 0 when every
 * agreement of every file landed (or would land, with --dry-run), 1 when
 * anything was rejected, 2 on a usage or connection error.
 *
 * xml/mentor_upload.c
 *
 *-------------------------------------------------------------------------
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define MAX_FILE_BYTES (1024L * 1024 * 1024)

static void
usage(FILE *out)
{
	fprintf(out,
			"Usage: mentor-upload [--dry-run] CONNINFO FILE...\n"
			"Imports mentorship agreement forms (XML) into the mentor extension.\n"
			"  --dry-run   check the files and show what would happen; write nothing\n"
			"  CONNINFO    a libpq connection string, e.g. \"dbname=hr host=db1\"\n"
			"Exit status: 0 all landed, 1 something was rejected, 2 usage or connection error.\n");
}

/* the whole file, or NULL with a message printed */
static char *
read_file(const char *path, long *len)
{
	FILE	   *f = fopen(path, "rb");
	char	   *data;

	if (f == NULL)
	{
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (*len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
	{
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	if (*len > MAX_FILE_BYTES)
	{
		fprintf(stderr, "%s: larger than 1 GB\n", path);
		fclose(f);
		return NULL;
	}
	data = malloc(*len + 1);
	if (data == NULL || (long) fread(data, 1, *len, f) != *len)
	{
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		free(data);
		fclose(f);
		return NULL;
	}
	fclose(f);
	return data;
}

static void
print_error(const char *path, const PGresult *res)
{
	const char *message = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);

	printf("%s: REJECTED: %s\n", path, message ? message : PQresultErrorMessage(res));
	if (detail)
	{
		const char *line = detail;

		/* one problem a line, indented */
		while (*line)
		{
			const char *end = strchr(line, '\n');
			int			n = end ? (int) (end - line) : (int) strlen(line);

			printf("%s:   %.*s\n", path, n, line);
			line += n + (end ? 1 : 0);
		}
	}
	if (hint)
		printf("%s:   hint: %s\n", path, hint);
}

/* import one file; true when everything in it landed */
static bool
upload(PGconn *conn, const char *path, bool dry_run)
{
	long		len;
	char	   *data = read_file(path, &len);
	const char *values[2];
	int			lengths[2];
	int			formats[2] = {1, 0};
	PGresult   *res;
	bool		ok = true;
	int			i;

	if (data == NULL)
		return false;
	values[0] = data;
	lengths[0] = (int) len;
	values[1] = dry_run ? "true" : "false";
	lengths[1] = 0;
	res = PQexecParams(conn,
					   "SELECT number, personnel_no, action, line, message"
					   " FROM mentor.import_agreements($1::pg_catalog.bytea, $2::pg_catalog.bool)",
					   2, NULL, values, lengths, formats, 0);
	free(data);

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
	{
		print_error(path, res);
		PQclear(res);
		return false;
	}
	for (i = 0; i < PQntuples(res); i++)
	{
		const char *action = PQgetvalue(res, i, 2);

		if (strcmp(action, "rejected") == 0)
			ok = false;
		printf("%s: %s %s (personnel no %s, line %s)%s%s\n", path,
			   PQgetisnull(res, i, 0) ? "-" : PQgetvalue(res, i, 0), action,
			   PQgetisnull(res, i, 1) ? "-" : PQgetvalue(res, i, 1),
			   PQgetvalue(res, i, 3),
			   PQgetisnull(res, i, 4) ? "" : ": ",
			   PQgetisnull(res, i, 4) ? "" : PQgetvalue(res, i, 4));
	}
	if (PQntuples(res) == 0)
		printf("%s: no agreements\n", path);
	PQclear(res);
	return ok;
}

int
main(int argc, char **argv)
{
	bool		dry_run = false;
	int			first = 1;
	PGconn	   *conn;
	bool		all_ok = true;
	int			i;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
	{
		usage(stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--dry-run") == 0)
	{
		dry_run = true;
		first = 2;
	}
	if (argc - first < 2)
	{
		usage(stderr);
		return 2;
	}

	conn = PQconnectdb(argv[first]);
	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "mentor-upload: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return 2;
	}
	for (i = first + 1; i < argc; i++)
		all_ok = upload(conn, argv[i], dry_run) && all_ok;
	PQfinish(conn);
	return all_ok ? 0 : 1;
}
